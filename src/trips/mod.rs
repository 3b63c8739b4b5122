//! Candidate trips: for each specialist record, every sensible way to leave
//! the base, consult at one to `max_stops_per_trip` localities and come back
//! within one working week, priced and placed on the weeks where it fits.
//!
//! Rules (see docs/model.md):
//! - only localities with a waiting list of the record's specialty and a
//!   facility that can host it;
//! - a leg up to `same_day_drive_hours` is driven on a consultation day; a
//!   longer one takes ⌈hours / max_driving_hours_per_day⌉ whole travel days;
//! - stops are visited in the order with fewest travel days, then fewest km;
//! - a multi-stop trip is kept only if its stops add no travel day beyond the
//!   single-stop trip to its farthest stop (stops must lie on the way);
//! - of two trips to the same stops, one with at least as many consultation
//!   days everywhere, no more days away and no higher cost dominates;
//! - a trip is placed in a week on consecutive working days that are not
//!   holidays and on which the person (any record) is available; the earliest
//!   and the latest such start are offered, so that rooms can be shared;
//! - roads closed on any day of a week are closed for the whole week.

mod layout;
mod placement;
mod shape;

pub use layout::{
    consultations, lay_out_week, lay_out_week_or_clash, lay_out_week_preferring,
    lay_out_week_within, working_dates,
};
pub use placement::{Placement, consult_dates, place, starts};
pub use shape::{DayUse, Shape};

use crate::model::*;
use crate::network::{RoadNetwork, TravelMatrix};
use std::collections::BTreeMap;

/// One stop of a trip.
#[derive(Clone, Debug, PartialEq)]
pub struct TripStop {
    /// Where.
    pub locality: LocalityId,
    /// Facility used there.
    pub facility: FacilityId,
    /// Consultation days.
    pub days: u32,
}

/// A trip shape for one record, independent of the week.
#[derive(Clone, Debug, PartialEq)]
pub struct Trip {
    /// Who travels.
    pub record: SpecialistId,
    /// Stops in visiting order.
    pub stops: Vec<TripStop>,
    /// Days, km, nights and cost.
    pub shape: Shape,
}

impl Trip {
    /// Days away from base.
    pub fn away_days(&self) -> u32 {
        self.shape.pattern.len() as u32
    }

    /// Total consultation days.
    pub fn consult_days(&self) -> u32 {
        self.stops.iter().map(|s| s.days).sum()
    }
}

/// All candidate trips of a scenario, by closure state of the road network.
pub struct TripCatalog {
    /// Trips for each distinct weekly closure state (index 0: all roads open).
    pub by_state: Vec<Vec<Trip>>,
    /// Closure state of each week.
    pub week_state: Vec<usize>,
    /// Every (trip, week, start) that fits, grouped by record.
    pub placements: Vec<Placement>,
}

/// The facility a record's visit to `locality` uses: one of its own
/// institution if it can host the specialty, else the one with most rooms.
pub fn facility_for(s: &Scenario, record: &Specialist, locality: LocalityId) -> Option<FacilityId> {
    let hosts = |f: &&Facility| f.locality == locality && f.hosts(record.specialty);
    let own = s
        .facilities
        .iter()
        .enumerate()
        .filter(|(_, f)| hosts(f) && f.institution == record.institution)
        .max_by_key(|(i, f)| (f.rooms_per_day, std::cmp::Reverse(*i)));
    let any = s
        .facilities
        .iter()
        .enumerate()
        .filter(|(_, f)| hosts(f))
        .max_by_key(|(i, f)| (f.rooms_per_day, std::cmp::Reverse(*i)));
    own.or(any).map(|(i, _)| FacilityId::from_index(i))
}

/// An ordered set of stops a record can visit in one trip, before choosing
/// the consultation days at each: what the optimizer decides on.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// Who travels.
    pub record: SpecialistId,
    /// Stops in visiting order, with the facility used at each.
    pub stops: Vec<(LocalityId, FacilityId)>,
    /// (km, hours) of each leg, base to base.
    pub legs: Vec<shape::Leg>,
    /// Whole days spent driving.
    pub travel_days: u32,
    /// Km driven (one way round, base to base).
    pub km: f64,
    /// A single stop close enough to commute daily more cheaply than staying.
    pub commute: bool,
}

impl Route {
    /// The trip this route makes with `days` consultation days per stop.
    pub fn trip(&self, s: &Scenario, days: &[u32]) -> Trip {
        Trip {
            record: self.record,
            stops: self
                .stops
                .iter()
                .zip(days)
                .map(|((l, f), d)| TripStop {
                    locality: *l,
                    facility: *f,
                    days: *d,
                })
                .collect(),
            shape: shape::shape(s, &self.legs, days),
        }
    }

    /// Cost independent of the days: km, plus the nights of travel days.
    /// With [`Route::cost_per_day`] this prices any trip of the route exactly.
    pub fn fixed_cost(&self, s: &Scenario) -> f64 {
        if self.commute {
            0.0
        } else {
            self.km * s.costs.per_km + f64::from(self.travel_days) * s.costs.per_night
                - s.costs.per_night
        }
    }

    /// Cost of each consultation day: a night away, or a commuting round trip.
    pub fn cost_per_day(&self, s: &Scenario) -> f64 {
        if self.commute {
            self.km * s.costs.per_km
        } else {
            s.costs.per_night
        }
    }
}

/// Every route of `record` on the road state `m` (see module docs for the rules).
pub fn routes_for(s: &Scenario, m: &TravelMatrix, rid: SpecialistId) -> Vec<Route> {
    let rec = s.specialist(rid);
    let sp = s.specialty(rec.specialty);
    let week_len = s.horizon.working_days.len() as u32;
    let targets: Vec<(LocalityId, FacilityId)> = s
        .demand
        .iter()
        .filter(|d| d.specialty == rec.specialty && d.locality != rec.base)
        .filter(|d| s.serves(rid, d.locality))
        .filter_map(|d| Some((d.locality, facility_for(s, rec, d.locality)?)))
        .filter(|(l, _)| m.km(rec.base, *l).is_some())
        .collect();
    let single_travel: BTreeMap<LocalityId, u32> = targets
        .iter()
        .filter_map(|(l, _)| {
            let legs = shape::legs(m, rec.base, &[*l])?;
            Some((
                *l,
                legs.iter().map(|(_, h)| shape::travel_days(s, *h)).sum(),
            ))
        })
        .collect();
    let facility: BTreeMap<LocalityId, FacilityId> = targets.iter().copied().collect();
    let mut out = Vec::new();
    let k_max = (s.travel.max_stops_per_trip as usize).min(targets.len());
    let nearest = companions(m, &targets);
    for k in 1..=k_max {
        for combo in stop_sets(targets.len(), k, nearest.as_deref()) {
            let stops: Vec<LocalityId> = combo.iter().map(|i| targets[*i].0).collect();
            let Some((order, legs)) = shape::best_order(s, m, rec.base, &stops) else {
                continue;
            };
            let travel: u32 = legs.iter().map(|(_, h)| shape::travel_days(s, *h)).sum();
            let farthest = stops.iter().map(|l| single_travel[l]).max().unwrap_or(0);
            if (k > 1 && travel > farthest) || travel + sp.min_days * k as u32 > week_len {
                continue;
            }
            let km: f64 = legs.iter().map(|(k, _)| k).sum();
            // Commuting a day costs the round trip; staying costs a night.
            let commute = k == 1 && travel == 0 && km * s.costs.per_km < s.costs.per_night;
            out.push(Route {
                record: rid,
                stops: order.iter().map(|l| (*l, facility[l])).collect(),
                legs,
                travel_days: travel,
                km,
                commute,
            });
        }
    }
    out
}

/// Enumerate every candidate trip of `record` on the road state `m`: each
/// route with every feasible vector of consultation days, dominated ones dropped.
pub fn trips_for(s: &Scenario, m: &TravelMatrix, rid: SpecialistId) -> Vec<Trip> {
    let sp = s.specialty(s.specialist(rid).specialty);
    let week_len = s.horizon.working_days.len() as u32;
    let mut out = Vec::new();
    for route in routes_for(s, m, rid) {
        let budget = week_len - route.travel_days;
        let group: Vec<Trip> = day_vectors(route.stops.len(), sp.min_days, sp.max_days, budget)
            .iter()
            .map(|days| route.trip(s, days))
            .collect();
        out.extend(undominated(group));
    }
    out
}

/// Drop trips dominated by another of the same stops (see module docs).
fn undominated(group: Vec<Trip>) -> Vec<Trip> {
    let dominates = |a: &Trip, b: &Trip| {
        a.stops.iter().zip(&b.stops).all(|(x, y)| x.days >= y.days)
            && a.away_days() <= b.away_days()
            && a.shape.cost <= b.shape.cost
            && a != b
    };
    group
        .iter()
        .filter(|b| !group.iter().any(|a| dominates(a, b)))
        .cloned()
        .collect()
}

/// All `k`-subsets of `0..n`, in lexicographic order.
fn combinations(n: usize, k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut cur = Vec::with_capacity(k);
    fn rec(start: usize, n: usize, k: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        for i in start..n {
            cur.push(i);
            rec(i + 1, n, k, cur, out);
            cur.pop();
        }
    }
    rec(0, n, k, &mut cur, &mut out);
    out
}

/// Records with more targets than this consider multi-stop trips only
/// among near neighbours (see [`companions`]); up to it, every set of stops
/// is tried, as on Santa Cruz (at most 47 targets a record).
const ALL_SETS_UP_TO: usize = 60;

/// Near neighbours each target may share a trip with, when a record has
/// many targets.
const COMPANIONS: usize = 12;

/// For records with more than [`ALL_SETS_UP_TO`] targets: each target's
/// [`COMPANIONS`] nearest other targets by driving hours. Trying every set
/// of three stops among hundreds of towns costs millions of orderings per
/// record, while stops that lie on the way are near one another; this is
/// the granular neighbourhood of vehicle routing. `None`: every set.
fn companions(m: &TravelMatrix, targets: &[(LocalityId, FacilityId)]) -> Option<Vec<Vec<usize>>> {
    if targets.len() <= ALL_SETS_UP_TO {
        return None;
    }
    Some(
        (0..targets.len())
            .map(|i| {
                let mut others: Vec<(f64, usize)> = (0..targets.len())
                    .filter(|&j| j != i)
                    .filter_map(|j| Some((m.hours(targets[i].0, targets[j].0)?, j)))
                    .collect();
                others.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                others
                    .into_iter()
                    .take(COMPANIONS)
                    .map(|(_, j)| j)
                    .collect()
            })
            .collect(),
    )
}

/// The `k`-sets of target indices to try: all of them, or with
/// `nearest`, those whose members are all companions of one of them; sorted,
/// without repeats.
fn stop_sets(n: usize, k: usize, nearest: Option<&[Vec<usize>]>) -> Vec<Vec<usize>> {
    let Some(nearest) = nearest else {
        return combinations(n, k);
    };
    if k == 1 {
        return combinations(n, 1);
    }
    let mut out = std::collections::BTreeSet::new();
    for (c, near) in nearest.iter().enumerate() {
        for rest in combinations(near.len(), k - 1) {
            let mut set: Vec<usize> = rest.iter().map(|&j| near[j]).collect();
            set.push(c);
            set.sort_unstable();
            out.insert(set);
        }
    }
    out.into_iter().collect()
}

/// Every vector of `k` day counts in `lo..=hi` whose sum is at most `budget`.
fn day_vectors(k: usize, lo: u32, hi: u32, budget: u32) -> Vec<Vec<u32>> {
    let mut out = Vec::new();
    let mut cur = Vec::with_capacity(k);
    fn rec(k: usize, lo: u32, hi: u32, left: u32, cur: &mut Vec<u32>, out: &mut Vec<Vec<u32>>) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        for d in lo..=hi.min(left) {
            cur.push(d);
            rec(k, lo, hi, left - d, cur, out);
            cur.pop();
        }
    }
    rec(k, lo, hi, budget, &mut cur, &mut out);
    out
}

impl TripCatalog {
    /// Enumerate and place every candidate trip of every record.
    pub fn build(s: &Scenario, net: &RoadNetwork) -> TripCatalog {
        let (states, week_state) = net.weekly_states(&s.horizon);
        let by_state: Vec<Vec<Trip>> = states
            .iter()
            .map(|closed| {
                let m = net.with_closed(closed.clone());
                (0..s.specialists.len())
                    .flat_map(|r| trips_for(s, &m, SpecialistId::from_index(r)))
                    .collect()
            })
            .collect();
        let placements = place(s, &by_state, &week_state);
        TripCatalog {
            by_state,
            week_state,
            placements,
        }
    }

    /// The trip a placement refers to.
    pub fn trip(&self, p: &Placement) -> &Trip {
        &self.by_state[p.state][p.trip]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_vectors_respect_bounds_and_budget() {
        assert_eq!(day_vectors(1, 1, 3, 5), vec![vec![1], vec![2], vec![3]]);
        assert_eq!(
            day_vectors(2, 1, 3, 3),
            vec![vec![1, 1], vec![1, 2], vec![2, 1]]
        );
        assert!(day_vectors(3, 2, 3, 5).is_empty());
    }

    #[test]
    fn stop_sets_of_near_neighbours() {
        // Without companions: every subset.
        assert_eq!(stop_sets(4, 2, None), combinations(4, 2));
        // 0's companion is 1, 1's is 0, 2's is 3, 3's is 2: pairs within.
        let near = vec![vec![1], vec![0], vec![3], vec![2]];
        assert_eq!(stop_sets(4, 2, Some(&near)), vec![vec![0, 1], vec![2, 3]]);
        assert_eq!(stop_sets(4, 1, Some(&near)).len(), 4);
        assert!(stop_sets(4, 3, Some(&near)).is_empty());
    }

    #[test]
    fn combinations_are_subsets() {
        assert_eq!(combinations(3, 2), vec![vec![0, 1], vec![0, 2], vec![1, 2]]);
        assert_eq!(combinations(2, 3), Vec::<Vec<usize>>::new());
    }
}
