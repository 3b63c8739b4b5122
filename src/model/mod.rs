//! Domain types of a validated scenario.
//!
//! Nothing here knows about files, YAML or the solver: these are the facts the
//! planner gave us, already checked for consistency by [`crate::scenario`], so
//! every later stage can rely on them without re-validating.

mod entities;
mod horizon;
mod ids;
mod logistics;
pub mod patients;
pub mod waiting;

pub use entities::*;
pub use horizon::Horizon;
pub use ids::*;
pub use logistics::{Carry, Depot, Kit, Logistics, Routine, Vehicle};
pub use patients::{Channel, Patient, Priority};

use chrono::NaiveDate;
use serde::Serialize;

/// An inclusive range of dates (`from..=to`), e.g. a leave or a road closure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct DateRange {
    /// First day of the range.
    pub from: NaiveDate,
    /// Last day of the range (inclusive).
    pub to: NaiveDate,
}

impl DateRange {
    /// Whether `date` lies within the range.
    pub fn contains(&self, date: NaiveDate) -> bool {
        date >= self.from && date <= self.to
    }
}

/// A whole province scenario: everything the optimizer needs, validated.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Human-readable scenario name.
    pub name: String,
    /// Period planned.
    pub horizon: Horizon,
    /// The institutions whose calendars are unified.
    pub institutions: Vec<Institution>,
    /// Medical specialties with their visit rules.
    pub specialties: Vec<Specialty>,
    /// Towns and cities.
    pub localities: Vec<Locality>,
    /// Road links between localities.
    pub roads: Vec<Road>,
    /// Hospitals and health posts where consultations take place.
    pub facilities: Vec<Facility>,
    /// Humans, each with one or more specialist records.
    pub persons: Vec<Person>,
    /// Specialist records (one per person and institution).
    pub specialists: Vec<Specialist>,
    /// Waiting lists and referrals per locality and specialty.
    pub demand: Vec<Demand>,
    /// Visits already in the institutions' calendars.
    pub calendar: Vec<ExistingVisit>,
    /// Driving speeds and limits.
    pub travel: TravelOptions,
    /// Money costs of travelling.
    pub costs: Costs,
    /// Weights of the planning objective.
    pub weights: Weights,
    /// How calendars are published.
    pub publishing: Publishing,
    /// Supply logistics, when the scenario plans deliveries.
    pub logistics: Option<Logistics>,
    /// What-if overlays applied to the scenario as read, in order.
    pub what_if: Vec<WhatIf>,
    /// Extraordinary care days ("jornadas") from what-if overlays.
    pub jornadas: Vec<Jornada>,
}

/// An extraordinary care day ("jornada"): one day of a specialty's
/// consultations at a facility outside the rotation (a weekend or a
/// holiday, by specialists working an extra day), which adds `patients` of
/// capacity to that locality's waiting list that week. It uses no trip, no
/// room of the week and no specialist's week: it is capacity, planned
/// apart (`itinera jornadas`).
#[derive(Clone, Debug, PartialEq)]
pub struct Jornada {
    /// Where.
    pub facility: FacilityId,
    /// Which specialty.
    pub specialty: SpecialtyId,
    /// When.
    pub date: NaiveDate,
    /// Patients it can see.
    pub patients: f64,
}

/// A scenario name followed by the what-if overlays applied to it, so that a
/// what-if is never mistaken for the base in a title or summary.
pub fn label<'a>(name: &str, what_if: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<&str> = what_if.into_iter().collect();
    if names.is_empty() {
        name.to_string()
    } else {
        format!("{name} (what-if: {})", names.join(" + "))
    }
}

/// A what-if overlay applied to a scenario: its name labels plans and reports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WhatIf {
    /// Short name, e.g. `winter-rn40`.
    pub name: String,
    /// What it changes, in the planner's words.
    pub description: String,
}

impl Scenario {
    /// Capacity the jornadas add to the list (`l`, `sp`), week by week.
    pub fn jornada_capacity(&self, l: LocalityId, sp: SpecialtyId) -> Vec<f64> {
        let mut out = vec![0.0; self.horizon.weeks as usize];
        for j in self.jornadas.iter().filter(|j| j.specialty == sp) {
            if self.facility(j.facility).locality != l {
                continue;
            }
            if let Some(w) = self.horizon.week_of(j.date) {
                out[w as usize] += j.patients;
            }
        }
        out
    }

    /// The name with the what-if overlays applied, e.g.
    /// `Santa Cruz 2027-28 (what-if: winter-rn40)`.
    pub fn label(&self) -> String {
        label(&self.name, self.what_if.iter().map(|w| w.name.as_str()))
    }
    /// Specialty record by id.
    pub fn specialty(&self, id: SpecialtyId) -> &Specialty {
        &self.specialties[id.index()]
    }
    /// Locality by id.
    pub fn locality(&self, id: LocalityId) -> &Locality {
        &self.localities[id.index()]
    }
    /// Whether `record` may serve `locality`: both in its base's planning
    /// region (every locality is, when the scenario has no regions).
    pub fn serves(&self, record: SpecialistId, locality: LocalityId) -> bool {
        let base = self.specialist(record).base;
        self.locality(base).region == self.locality(locality).region
    }
    /// The planning regions named in localities.csv, sorted (one empty name
    /// when the scenario has none).
    pub fn regions(&self) -> Vec<&str> {
        let set: std::collections::BTreeSet<&str> =
            self.localities.iter().map(|l| l.region.as_str()).collect();
        set.into_iter().collect()
    }
    /// Facility by id.
    pub fn facility(&self, id: FacilityId) -> &Facility {
        &self.facilities[id.index()]
    }
    /// Specialist record by id.
    pub fn specialist(&self, id: SpecialistId) -> &Specialist {
        &self.specialists[id.index()]
    }
    /// Person by id.
    pub fn person(&self, id: PersonId) -> &Person {
        &self.persons[id.index()]
    }
    /// Institution by id.
    pub fn institution(&self, id: InstitutionId) -> &Institution {
        &self.institutions[id.index()]
    }
    /// Existing visit by id.
    pub fn visit(&self, id: VisitId) -> &ExistingVisit {
        &self.calendar[id.index()]
    }
}
