//! Supply rules: every delivery the visits and the routine need is listed
//! once and is routed, carried or reported with a reason; routes respect
//! capacity, cold chain, delivery days, vehicle days and the road network.
//! Re-derived from the scenario and plan.json alone.

use super::Violation;
use crate::lang::{Lang, Text};
use crate::model::{Scenario, Vehicle};
use crate::network::RoadNetwork;
use crate::plan::format::Plan;
use crate::plan::supply::Delivery;
use crate::tr;
use chrono::Datelike;
use std::collections::{BTreeMap, HashMap};

const REASONS: [&str; 6] = [
    "no_vehicle",
    "unreachable",
    "capacity",
    "time_window",
    "distance",
    "fleet",
];

fn v(rule: &'static str, items: Vec<String>, message: Text) -> Violation {
    Violation {
        rule,
        items,
        message,
    }
}

/// Checks the supply part of a plan.
pub fn check(s: &Scenario, net: &RoadNetwork, plan: &Plan, out: &mut Vec<Violation>) {
    let Some(l) = &s.logistics else {
        if !plan.routes.is_empty() {
            out.push(v(
                "supply_without_logistics",
                vec![],
                tr!(
                    "el plan tiene rutas pero el escenario no tiene sección de logística",
                    "the plan has routes but the scenario has no logistics section"
                ),
            ));
        }
        return;
    };
    let Some(supply) = &plan.supply else {
        out.push(v(
            "supply_missing",
            vec![],
            tr!(
                "el escenario planifica logística pero el plan no tiene sección de abastecimiento",
                "the scenario plans logistics but the plan has no supply section"
            ),
        ));
        return;
    };
    let deliveries: HashMap<&str, &Delivery> = supply
        .deliveries
        .iter()
        .map(|d| (d.id.as_str(), d))
        .collect();
    // Every visit with a kit has exactly one kit delivery; nothing else does.
    let mut kits: BTreeMap<&str, usize> = BTreeMap::new();
    for d in supply.deliveries.iter().filter(|d| d.kind == "visit_kit") {
        *kits.entry(d.visit.as_deref().unwrap_or("")).or_default() += 1;
    }
    for visit in plan.made_visits() {
        let needs = s
            .specialties
            .iter()
            .position(|x| x.code == visit.specialty)
            .is_some_and(|sp| l.kits.iter().any(|k| k.specialty.index() == sp));
        let has = kits.remove(visit.id.as_str()).unwrap_or(0);
        if needs && has != 1 || !needs && has != 0 {
            out.push(v(
                "supply_kit_count",
                vec![visit.id.clone()],
                tr!(
                    "la visita tiene {has} entregas de kit; necesita {}",
                    "the visit has {has} kit deliveries; it needs {}",
                    u8::from(needs)
                ),
            ));
        }
    }
    for (visit, _) in kits {
        out.push(v(
            "supply_kit_count",
            vec![visit.to_string()],
            tr!(
                "una entrega de kit para una visita que el plan no hace",
                "a kit delivery for a visit the plan does not make"
            ),
        ));
    }
    let routine = supply
        .deliveries
        .iter()
        .filter(|d| d.kind == "routine")
        .count();
    let months = {
        let (a, b) = (s.horizon.start, s.horizon.end());
        ((b.year() - a.year()) * 12 + b.month() as i32 - a.month() as i32 + 1) as usize
    };
    if routine != months * l.routine.len() {
        out.push(v(
            "supply_routine_count",
            vec![],
            tr!(
                "{routine} entregas de rutina; {} meses × {} entradas de rutina necesitan {}",
                "{routine} routine deliveries; {} months × {} routine entries need {}",
                months,
                l.routine.len(),
                months * l.routine.len()
            ),
        ));
    }
    // Each delivery's status.
    let mut on_route: HashMap<&str, usize> = HashMap::new();
    for r in &plan.routes {
        for stop in &r.stops {
            for id in &stop.deliveries {
                *on_route.entry(id.as_str()).or_default() += 1;
            }
        }
    }
    for d in &supply.deliveries {
        let times = on_route.get(d.id.as_str()).copied().unwrap_or(0);
        let ok = match d.status.as_str() {
            "routed" => times == 1 && d.route.is_some(),
            "carried" => times == 0 && d.carried_by.is_some(),
            "undelivered" => {
                times == 0 && d.reason.as_deref().is_some_and(|r| REASONS.contains(&r))
            }
            _ => false,
        };
        if !ok {
            out.push(v(
                "supply_delivery_status",
                vec![d.id.clone()],
                tr!(
                    "estado `{}` pero en {times} parada(s) de ruta, ruta {:?}, motivo {:?}",
                    "status `{}` but on {times} route stop(s), route {:?}, reason {:?}",
                    d.status,
                    d.route,
                    d.reason
                ),
            ));
        }
    }
    // Routes.
    let vehicles: HashMap<&str, &Vehicle> =
        l.vehicles.iter().map(|x| (x.code.as_str(), x)).collect();
    let open = net.open();
    let loc = |code: &str| {
        s.localities
            .iter()
            .position(|x| x.code == code)
            .map(crate::model::LocalityId::from_index)
    };
    let mut by_vehicle: BTreeMap<&str, Vec<(chrono::NaiveDateTime, chrono::NaiveDateTime, &str)>> =
        BTreeMap::new();
    for r in &plan.routes {
        let item = vec![r.id.clone()];
        let Some(vehicle) = vehicles.get(r.vehicle.as_str()) else {
            out.push(v(
                "supply_unknown_vehicle",
                item,
                tr!(
                    "no existe el vehículo `{}`",
                    "unknown vehicle `{}`",
                    r.vehicle
                ),
            ));
            continue;
        };
        let depot = &l.depots[vehicle.depot];
        if r.depot != depot.code {
            out.push(v(
                "supply_depot",
                item.clone(),
                tr!(
                    "el vehículo {} tiene base en {}, no en {}",
                    "vehicle {} is based at {}, not {}",
                    vehicle.code,
                    depot.code,
                    r.depot
                ),
            ));
        }
        let day = r.depart.date().weekday();
        if !vehicle.runs.contains(&day) || !depot.open.contains(&day) {
            out.push(v("supply_departure_day", item.clone(), {
                let code = &vehicle.code;
                let (es, en) = (Lang::Es.weekday(day), Lang::En.weekday(day));
                tr!(
                    "{code} sale un {es}, cuando no circula o su depósito está cerrado",
                    "{code} leaves on a {en}, when it does not run or its depot is closed"
                )
            }));
        }
        by_vehicle
            .entry(&r.vehicle)
            .or_default()
            .push((r.depart, r.back, &r.id));
        let (mut kg, mut m3) = (0.0, 0.0);
        let mut km = 0.0;
        let mut at = depot.locality;
        let mut last_time = r.depart;
        for stop in &r.stops {
            if stop.arrival < last_time {
                out.push(v(
                    "supply_stop_order",
                    item.clone(),
                    tr!(
                        "la parada en {} se alcanza antes que la anterior",
                        "the stop at {} is reached before the previous one",
                        stop.locality
                    ),
                ));
            }
            last_time = stop.arrival;
            let Some(here) = loc(&stop.locality) else {
                out.push(v(
                    "supply_unknown_locality",
                    item.clone(),
                    tr!(
                        "no existe la localidad `{}`",
                        "unknown locality `{}`",
                        stop.locality
                    ),
                ));
                continue;
            };
            km += open.km(at, here).unwrap_or(f64::INFINITY);
            at = here;
            for id in &stop.deliveries {
                let Some(d) = deliveries.get(id.as_str()) else {
                    out.push(v(
                        "supply_unknown_delivery",
                        vec![r.id.clone(), id.clone()],
                        tr!(
                            "la parada descarga una entrega que el plan no lista",
                            "the stop unloads a delivery the plan does not list"
                        ),
                    ));
                    continue;
                };
                kg += d.kg;
                m3 += d.m3;
                let date = stop.arrival.date();
                if date < d.earliest || date > d.latest {
                    out.push(v(
                        "supply_delivery_day",
                        vec![r.id.clone(), id.clone()],
                        tr!(
                            "entregada el {date}, fuera de {}..={}",
                            "delivered on {date}, outside {}..={}",
                            d.earliest,
                            d.latest
                        ),
                    ));
                }
                if d.locality != stop.locality {
                    out.push(v(
                        "supply_delivery_place",
                        vec![r.id.clone(), id.clone()],
                        tr!(
                            "para {} pero descargada en {}",
                            "for {} but unloaded at {}",
                            d.locality,
                            stop.locality
                        ),
                    ));
                }
                if d.cold_chain && !vehicle.refrigerated {
                    out.push(v(
                        "supply_cold_chain",
                        vec![r.id.clone(), id.clone()],
                        tr!(
                            "una carga de cadena de frío en {}, que no es refrigerado",
                            "a cold-chain load on {}, which is not refrigerated",
                            vehicle.code
                        ),
                    ));
                }
                if d.route.as_deref() != Some(r.id.as_str()) {
                    out.push(v(
                        "supply_delivery_status",
                        vec![r.id.clone(), id.clone()],
                        tr!(
                            "la entrega nombra la ruta {:?}",
                            "the delivery names route {:?}",
                            d.route
                        ),
                    ));
                }
            }
        }
        km += open.km(at, depot.locality).unwrap_or(f64::INFINITY);
        if kg > vehicle.capacity_kg + 1e-6 || vehicle.capacity_m3.is_some_and(|c| m3 > c + 1e-6) {
            out.push(v(
                "supply_capacity",
                item.clone(),
                tr!(
                    "{kg:.1} kg y {m3:.2} m³ en {}",
                    "{kg:.1} kg and {m3:.2} m³ on {}",
                    vehicle.code
                ),
            ));
        }
        // Closed roads only lengthen a trip; it can never be shorter than on open roads.
        if r.km + 0.5 < km {
            out.push(v(
                "supply_km",
                item.clone(),
                tr!(
                    "{} km declarados, pero las paradas están a {km:.0} km por camino",
                    "{} km claimed, but the stops are {km:.0} km apart by road",
                    r.km
                ),
            ));
        }
        let days = (r.back.date() - r.depart.date()).num_days() + 1;
        if days > i64::from(vehicle.max_days) {
            out.push(v(
                "supply_trip_days",
                item,
                tr!(
                    "un viaje de {days} días; {} hace como máximo {}",
                    "a {days}-day trip; {} makes at most {}",
                    vehicle.code,
                    vehicle.max_days
                ),
            ));
        }
    }
    for (vehicle, mut trips) in by_vehicle {
        trips.sort();
        for w in trips.windows(2) {
            if w[1].0 < w[0].1 {
                out.push(v(
                    "supply_vehicle_overlap",
                    vec![w[0].2.to_string(), w[1].2.to_string()],
                    tr!(
                        "{vehicle} sale de viaje antes de volver del anterior",
                        "{vehicle} leaves on a trip before it is back from the previous one"
                    ),
                ));
            }
        }
    }
}
