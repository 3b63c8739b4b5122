//! The existing calendars written as a plan (`itinera evaluate --as-plan`),
//! so they can be compared, published and reported like any plan.
//!
//! Each existing visit is its own round trip from the specialist's base, as
//! the status quo is scored; duplicates and double bookings stay in (the
//! checker will flag them — that is the point of the comparison).

use super::format::{Origin, Plan, SCHEMA, SolverReport, TripRecord, Visit};
use super::metrics;
use crate::calendar::status_quo::visit_travel;
use crate::calendar::{self, conflicts};
use crate::model::Scenario;
use crate::network::RoadNetwork;

/// The merged existing calendars as an `itinera.plan/1` document.
pub fn as_plan(s: &Scenario, net: &RoadNetwork) -> Plan {
    let booked = calendar::merge(s);
    let open = net.open();
    let mut visits = Vec::new();
    let mut trips = Vec::new();
    for (n, v) in booked.iter().enumerate() {
        let existing = s.visit(v.id);
        let rec = s.specialist(v.specialist);
        let sp = s.specialty(v.specialty);
        let tid = format!("T{:04}", n + 1);
        let (km, nights) = visit_travel(s, net, &open, v);
        let first = v.dates[0];
        let last = *v.dates.last().unwrap_or(&first);
        trips.push(TripRecord {
            id: tid.clone(),
            specialist: rec.code.clone(),
            week: v.week,
            depart: first,
            return_date: last,
            stops: vec![s.locality(v.locality).code.clone()],
            km,
            nights,
            commute: nights == 0,
            cost: km * s.costs.per_km + f64::from(nights) * s.costs.per_night,
        });
        visits.push(Visit {
            id: existing.code.clone(),
            specialist: rec.code.clone(),
            person: s.person(v.person).code.clone(),
            institution: s.institution(v.institution).code.clone(),
            specialty: sp.code.clone(),
            locality: s.locality(v.locality).code.clone(),
            facility: s.facility(v.facility).code.clone(),
            trip: Some(tid),
            start: first,
            dates: v.dates.clone(),
            days: v.dates.len() as u32,
            capacity: v.dates.len() as u32 * sp.patients_per_day,
            origin: Origin::Kept,
            existing: Some(existing.code.clone()),
            event: None,
        });
    }
    let m = metrics::compute(s, &visits, &trips);
    let found = conflicts::find(s, net, &booked);
    let conflicts = found
        .iter()
        .map(|c| super::format::Resolution {
            kind: c.kind.code().to_string(),
            visits: c.visits.clone(),
            message: c.message.en.clone(),
            resolution: "unresolved: both visits stay booked".to_string(),
        })
        .collect();
    Plan {
        schema: SCHEMA.to_string(),
        scenario: s.name.clone(),
        what_if: super::format::what_if_records(s),
        generator: format!("itinera {}", env!("CARGO_PKG_VERSION")),
        solver: SolverReport {
            status: super::format::PlanStatus::StatusQuo,
            objective: Some(m.objective),
            bound: None,
            gap: None,
            build_seconds: 0.0,
            solve_seconds: 0.0,
            model: Default::default(),
            options: Default::default(),
            conflicting_groups: Vec::new(),
            components: Vec::new(),
            dropped_for_rooms: 0,
            bound_kind: None,
            column_generation: None,
        },
        visits,
        trips,
        metrics: m,
        conflicts,
        routes: Vec::new(),
        supply: None,
        replan: None,
    }
}
