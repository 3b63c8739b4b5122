//! The appointment slots of a plan: each published consultation day cut
//! into one slot per patient the specialty sees a day, over the scenario's
//! consultation hours.
//!
//! A slot's id follows from its day's published identity (the calendar
//! UID, stable across replans) and its place in the day, so a replan that
//! moves a day keeps its slots' ids and the appointments in them move with
//! it; a day the replan drops takes its slots with it.

use crate::export::events::day_events;
use crate::model::Scenario;
use crate::plan::format::Plan;
use chrono::{Duration, NaiveDateTime};
use uuid::Uuid;

/// One slot as the plan gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    /// Stable id.
    pub id: String,
    /// The published consultation day (calendar UID, FHIR Slot identifier).
    pub event_uid: String,
    /// Plan visit id.
    pub visit: String,
    /// Facility code.
    pub facility: String,
    /// Locality code.
    pub locality: String,
    /// Specialty code.
    pub specialty: String,
    /// The specialist's pseudonymous key.
    pub professional: String,
    /// Local start.
    pub starts: NaiveDateTime,
    /// Local end.
    pub ends: NaiveDateTime,
}

/// How slot times are stored: local time, sortable as text.
pub const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// Every slot of the days `plan` makes.
pub fn of_plan(s: &Scenario, plan: &Plan) -> Vec<Slot> {
    let (events, _, _) = day_events(s, plan, None);
    let (from, to) = s.publishing.hours;
    let minutes = (to - from).num_minutes().max(1);
    let mut out = Vec::new();
    for e in events.iter().filter(|e| !e.data.cancelled) {
        let n = i64::from(e.data.patients_per_day.max(1));
        // Whole minutes, the last slot ending at the close.
        let length = (minutes / n).max(1);
        for k in 0..n {
            let starts = e.data.date.and_time(from) + Duration::minutes(k * length);
            let ends = if k + 1 == n {
                e.data.date.and_time(to)
            } else {
                starts + Duration::minutes(length)
            };
            out.push(Slot {
                id: Uuid::new_v5(&Uuid::NAMESPACE_URL, format!("{}#{k}", e.uid).as_bytes())
                    .to_string(),
                event_uid: e.uid.clone(),
                visit: e.data.visit.clone(),
                facility: e.data.facility.clone(),
                locality: e.data.locality.clone(),
                specialty: e.data.specialty.clone(),
                professional: e.data.person.clone(),
                starts,
                ends,
            });
        }
    }
    out
}
