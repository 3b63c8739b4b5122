//! A what-if file as written: raw serde structs that mirror it, with
//! positions kept for diagnostics (see docs/what-if.md).

use crate::scenario::yaml::S;
use serde::Deserialize;

/// Top level of a what-if file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWhatIf {
    pub(super) name: String,
    #[serde(default)]
    pub(super) description: Option<String>,
    #[serde(default)]
    pub(super) specialists: Vec<S<RawRecordChange>>,
    #[serde(default)]
    pub(super) new_specialists: Vec<S<RawNewRecord>>,
    #[serde(default)]
    pub(super) roads: Vec<S<RawRoadChange>>,
    #[serde(default)]
    pub(super) demand: Vec<S<RawDemandChange>>,
    #[serde(default)]
    pub(super) specialties: Vec<S<RawSpecialtyChange>>,
    #[serde(default)]
    pub(super) care_days: Vec<S<RawCareDays>>,
    #[serde(default)]
    pub(super) jornadas: Vec<S<RawJornada>>,
    #[serde(default)]
    pub(super) weights: Option<S<RawWeights>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCareDays {
    pub(super) facility: String,
    pub(super) dates: String,
    pub(super) extra_rooms: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawJornada {
    pub(super) facility: String,
    pub(super) specialty: String,
    pub(super) date: String,
    #[serde(default = "one_day")]
    pub(super) days: u32,
}

fn one_day() -> u32 {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRecordChange {
    pub(super) record: String,
    #[serde(default)]
    pub(super) unavailable: Option<String>,
    #[serde(default)]
    pub(super) remove: bool,
    #[serde(default)]
    pub(super) max_trips_per_month: Option<u32>,
    #[serde(default)]
    pub(super) max_days_away_per_month: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNewRecord {
    pub(super) record: String,
    pub(super) person: String,
    pub(super) name: String,
    pub(super) institution: String,
    pub(super) specialty: String,
    pub(super) base: String,
    #[serde(default)]
    pub(super) unavailable: Option<String>,
    pub(super) max_trips_per_month: u32,
    pub(super) max_days_away_per_month: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRoadChange {
    pub(super) from: String,
    pub(super) to: String,
    #[serde(default)]
    pub(super) closed: Option<String>,
    #[serde(default)]
    pub(super) open: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDemandChange {
    #[serde(default)]
    pub(super) locality: Option<String>,
    #[serde(default)]
    pub(super) zone: Option<String>,
    #[serde(default)]
    pub(super) specialty: Option<String>,
    #[serde(default)]
    pub(super) dates: Option<String>,
    #[serde(default)]
    pub(super) factor: Option<f64>,
    #[serde(default)]
    pub(super) extra_per_week: Option<f64>,
    #[serde(default)]
    pub(super) add_waiting: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSpecialtyChange {
    pub(super) specialty: String,
    #[serde(default)]
    pub(super) min_spacing_weeks: Option<u32>,
    #[serde(default)]
    pub(super) max_gap_weeks: Option<u32>,
    #[serde(default)]
    pub(super) waiting_weight: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWeights {
    #[serde(default)]
    pub(super) patient_week: Option<f64>,
    #[serde(default)]
    pub(super) change_confirmed: Option<f64>,
    #[serde(default)]
    pub(super) change_published: Option<f64>,
    #[serde(default)]
    pub(super) coverage_gap_week: Option<f64>,
}
