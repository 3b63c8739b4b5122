//! One month of deliveries as a routing problem. Time runs on a driving
//! clock: each day of the month holds `driving_hours_per_day` of driving,
//! from the departure time on; a trip that needs more stops overnight and
//! goes on the next day. Every vehicle departure day of the month is one
//! route slot, which must be back before the vehicle's next departure.

use super::deliveries::month_end;
use super::feasibility::{self, CUT_OFF_M, Why};
use crate::model::{Logistics, Scenario};
use crate::network::TravelMatrix;
use crate::plan::supply::{Delivery, SupplyRoute, SupplyStop};
use crate::routing::{self, Client, Matrix, Problem, SearchParams, UNLIMITED, VehicleType};
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, TimeDelta};

/// The outcome of one month.
pub struct MonthPlan {
    /// Routes, without ids.
    pub routes: Vec<SupplyRoute>,
    /// Per stop group: the route index, or why it is not made.
    pub outcome: Vec<Result<usize, Why>>,
    /// Km of the routes.
    pub km: f64,
    /// The routes as (vehicle type, deliveries in order), to start another
    /// search from.
    pub made: Vec<(usize, Vec<usize>)>,
}

/// How to search a month: from scratch, or from the routes of an earlier
/// plan of the same month (deliveries it did not have are inserted, see
/// [`super::carried`]), on a shorter budget.
#[derive(Clone, Copy)]
pub enum Start<'a> {
    /// Random solutions only.
    Fresh,
    /// Routes as (vehicle type, delivery indices) of an earlier plan.
    From(&'a [(usize, Vec<usize>)]),
}

/// A vehicle departure: vehicle index and day of the month (0-based).
struct Slot {
    vehicle: usize,
    day: i64,
    last_day: i64,
}

/// Plans the month starting on `month` for the stop `groups` (indices into
/// `all`). `seed` keeps months independent and the result deterministic.
pub fn plan(
    s: &Scenario,
    l: &Logistics,
    travel: &TravelMatrix,
    month: NaiveDate,
    all: &[Delivery],
    groups: &[Vec<usize>],
    (seed, start): (u64, Start),
) -> MonthPlan {
    let days = (month_end(month) - month).num_days() + 1;
    let day_len = (l.driving_hours_per_day * 60.0).round().max(1.0) as i64;
    let locality = |code: &str| {
        s.localities
            .iter()
            .position(|x| x.code == code)
            .expect("delivery locality exists")
    };
    // Nodes: depots, then one client per stop group.
    let mut node_loc: Vec<usize> = l.depots.iter().map(|d| d.locality.index()).collect();
    node_loc.extend(groups.iter().map(|g| locality(&all[g[0]].locality)));
    let n = node_loc.len();
    let ids = |i: usize| crate::model::LocalityId::from_index(node_loc[i]);
    let distance = Matrix::from_fn(n, |i, j| {
        travel
            .km(ids(i), ids(j))
            .map_or(CUT_OFF_M, |km| (km * 1000.0).round() as i64)
    });
    let time = Matrix::from_fn(n, |i, j| {
        travel
            .hours(ids(i), ids(j))
            .map_or(CUT_OFF_M, |h| (h * 60.0).ceil() as i64)
    });
    let clock = |d: NaiveDate| (d - month).num_days() * day_len;
    let clients: Vec<Client> = groups
        .iter()
        .map(|g| {
            let earliest = g
                .iter()
                .map(|&i| all[i].earliest)
                .max()
                .expect("non-empty group");
            let latest = g
                .iter()
                .map(|&i| all[i].latest)
                .min()
                .expect("non-empty group");
            Client {
                demand: [
                    g.iter().map(|&i| all[i].kg).sum::<f64>().ceil() as i64,
                    (g.iter().map(|&i| all[i].m3).sum::<f64>() * 1000.0).ceil() as i64,
                ],
                service: i64::from(l.unload_minutes),
                window: (clock(earliest).max(0), (clock(latest) + day_len - 1).max(0)),
                cold_chain: all[g[0]].cold_chain,
            }
        })
        .collect();
    // One slot per vehicle departure in the month.
    let mut slots = Vec::new();
    for (k, v) in l.vehicles.iter().enumerate() {
        let open = &l.depots[v.depot].open;
        // Departures of this month, and the first one of the next: a trip
        // is back before the vehicle leaves again.
        let departures: Vec<i64> = (0..days + 7)
            .filter(|&d| {
                let wd = (month + Days::new(d as u64)).weekday();
                v.runs.contains(&wd) && open.contains(&wd)
            })
            .collect();
        for (i, &d) in departures.iter().enumerate().filter(|(_, d)| **d < days) {
            let next = departures.get(i + 1).copied().unwrap_or(d + 7);
            let last_day = (d + i64::from(v.max_days)).min(next);
            slots.push(Slot {
                vehicle: k,
                day: d,
                last_day,
            });
        }
    }
    let mut outcome: Vec<Result<usize, Why>> =
        vec![Err((String::new(), String::new())); groups.len()];
    if slots.is_empty() {
        for o in &mut outcome {
            *o = Err((
                "no_vehicle".into(),
                format!("no vehicle leaves a depot in {}", month.format("%Y-%m")),
            ));
        }
        return MonthPlan {
            routes: Vec::new(),
            outcome,
            km: 0.0,
            made: Vec::new(),
        };
    }
    let types: Vec<VehicleType> = slots
        .iter()
        .map(|slot| {
            let v = &l.vehicles[slot.vehicle];
            VehicleType {
                depot: v.depot,
                count: 1,
                capacity: [
                    v.capacity_kg.floor() as i64,
                    v.capacity_m3
                        .map_or(UNLIMITED, |m| (m * 1000.0).floor() as i64),
                ],
                start_window: (slot.day * day_len, slot.day * day_len),
                latest_return: slot.last_day * day_len,
                max_duration: UNLIMITED,
                max_distance: v
                    .max_km_per_day
                    .map_or(UNLIMITED, |km| (km * 1000.0 * f64::from(v.max_days)) as i64),
                unit_cost: (v.cost_per_km * 100.0).round() as i64,
                fixed_cost: 0,
                refrigerated: v.refrigerated,
            }
        })
        .collect();
    let depots = l.depots.len();
    let problem = Problem::new(depots, clients, types, distance, Some(time))
        .expect("logistics data is validated");
    // Each stop alone: which ones no departure can make, and why.
    let mut routable = Vec::new();
    for (c, o) in outcome.iter_mut().enumerate() {
        match feasibility::alone(&problem, depots + c) {
            Ok(()) => routable.push(c),
            Err(why) => *o = Err(why),
        }
    }
    let sub = problem.subset(&routable);
    let solution = if routable.is_empty() {
        Vec::new()
    } else {
        match start {
            Start::Fresh => routing::solve(&sub, &search_params(l, seed)).routes,
            Start::From(earlier) => {
                // The node of each delivery in `sub`.
                let mut node_of = vec![None; all.len()];
                for (k, &c) in routable.iter().enumerate() {
                    for &i in &groups[c] {
                        node_of[i] = Some(depots + k);
                    }
                }
                let start = super::carried::start(&sub, &node_of, earlier);
                let full = search_params(l, seed);
                let short = SearchParams {
                    max_iterations: Some((l.search_iterations / 3).max(1)),
                    stall: full.stall / 2,
                    ..full
                };
                routing::solve_from(&sub, &short, &start)
                    .expect("the start visits every client once")
                    .routes
            }
        }
    };
    let mut routes = Vec::new();
    let mut km = 0.0;
    let mut made: Vec<(usize, Vec<usize>)> = Vec::new();
    for r in &solution {
        let mut nodes: Vec<usize> = r.clients.iter().map(|&c| c + depots).collect();
        for dropped in feasibility::make_feasible(&sub, r.vehicle_type, &mut nodes) {
            outcome[routable[dropped - depots]] =
                Err(feasibility::dropped(&sub, r.vehicle_type, dropped));
        }
        if nodes.is_empty() {
            continue;
        }
        made.push((
            r.vehicle_type,
            nodes
                .iter()
                .flat_map(|&c| groups[routable[c - depots]].iter().copied())
                .collect(),
        ));
        let timed = routing::schedule(&sub, r.vehicle_type, &nodes);
        let slot = &slots[r.vehicle_type];
        let v = &l.vehicles[slot.vehicle];
        let at = |t: i64| -> NaiveDateTime {
            let day = t.div_euclid(day_len);
            let minute = t.rem_euclid(day_len);
            (month + Days::new(day as u64)).and_time(l.departure_time) + TimeDelta::minutes(minute)
        };
        let mut load = [timed.load[0] as f64, timed.load[1] as f64 / 1000.0];
        let mut stops = Vec::new();
        let mut prev_day = slot.day;
        let route_index = routes.len();
        for (k, &c) in timed.clients.iter().enumerate() {
            let g = &groups[routable[c]];
            outcome[routable[c]] = Ok(route_index);
            let day = timed.arrivals[k].div_euclid(day_len);
            stops.push(SupplyStop {
                locality: all[g[0]].locality.clone(),
                arrival: at(timed.arrivals[k]),
                deliveries: g.iter().map(|&i| all[i].id.clone()).collect(),
                load_kg: round2(load[0]),
                load_m3: round3(load[1]),
                overnight_before: day > prev_day,
            });
            prev_day = day;
            load[0] -= g.iter().map(|&i| all[i].kg).sum::<f64>();
            load[1] -= g.iter().map(|&i| all[i].m3).sum::<f64>();
        }
        let cost = timed.cost;
        km += cost.distance as f64 / 1000.0;
        let back_day = (timed.back - 1).max(0).div_euclid(day_len);
        routes.push(SupplyRoute {
            id: String::new(),
            vehicle: v.code.clone(),
            depot: l.depots[v.depot].code.clone(),
            depart: at(timed.departure),
            // A return at the very end of a driving day belongs to that day.
            back: at(timed.back - 1) + TimeDelta::minutes(1),
            nights: (back_day - slot.day).max(0) as u32,
            load_kg: round2(g_sum(all, groups, &routable, &timed.clients, |d| d.kg)),
            load_m3: round3(g_sum(all, groups, &routable, &timed.clients, |d| d.m3)),
            km: round2(cost.distance as f64 / 1000.0),
            cost: round2(cost.cost as f64 / 100_000.0),
            stops,
        });
    }
    MonthPlan {
        routes,
        outcome,
        km,
        made,
    }
}

fn g_sum(
    all: &[Delivery],
    groups: &[Vec<usize>],
    routable: &[usize],
    clients: &[usize],
    f: impl Fn(&Delivery) -> f64,
) -> f64 {
    clients
        .iter()
        .flat_map(|&c| groups[routable[c]].iter())
        .map(|&i| f(&all[i]))
        .sum()
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The search budget of a month: deterministic, from the scenario.
fn search_params(l: &Logistics, seed: u64) -> SearchParams {
    SearchParams {
        seed,
        max_iterations: Some(l.search_iterations),
        stall: (l.search_iterations / 4).max(100),
        stop_on_stall: true,
        // A small population: months are small and the budget short.
        population: routing::PopulationParams {
            mu: 10,
            lambda: 20,
            elite: 3,
            close: 3,
        },
        ..SearchParams::default()
    }
}
