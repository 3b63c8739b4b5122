//! `plan.json`, schema `itinera.plan/1`: the contract between the optimizer,
//! the checker, the exports and outside tools (see docs/plan-format.md).

use crate::optimize::{ComponentReport, ModelSize, Status};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Schema name written in every plan.
pub const SCHEMA: &str = "itinera.plan/1";

/// A unified rotation plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Scenario name.
    pub scenario: String,
    /// What-if overlays the scenario was planned under, in order (absent
    /// for the scenario as read).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub what_if: Vec<WhatIfRecord>,
    /// itinera version that wrote the plan.
    pub generator: String,
    /// Solver outcome.
    pub solver: SolverReport,
    /// Every visit: planned ones, and existing ones that were dropped.
    pub visits: Vec<Visit>,
    /// Every trip of the plan.
    pub trips: Vec<TripRecord>,
    /// Scores of the plan.
    pub metrics: Metrics,
    /// Every conflict of the existing calendars and how the plan resolves it.
    pub conflicts: Vec<Resolution>,
    /// Supply delivery routes (empty without a `logistics` section).
    #[serde(default)]
    pub routes: Vec<super::supply::SupplyRoute>,
    /// Supply deliveries and their totals (absent without `logistics`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supply: Option<super::supply::Supply>,
    /// How the plan repairs a published one (absent unless made by `itinera replan`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replan: Option<ReplanRecord>,
}

/// What a replan kept of the published plan it repairs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplanRecord {
    /// The published plan repaired, by its label.
    pub current: String,
    /// The date asked for: nothing before it changes.
    pub from: NaiveDate,
    /// First day of the first week replanned (the first Monday on or after `from`).
    pub replanned_from: NaiveDate,
    /// Visits of the published plan before `replanned_from`, kept as they were.
    pub fixed_visits: usize,
    /// Visits before `replanned_from` the new conditions make impossible
    /// (a leave, a closed road), cancelled: their ids in the published plan.
    pub impossible: Vec<String>,
    /// Visits of the published plan from `replanned_from` on.
    pub published_visits: usize,
    /// Of those, how many the plan does not keep (same record, locality,
    /// week and number of days).
    pub changed: usize,
    /// `weights.change_published` the plan was made with.
    pub change_published: f64,
    /// `changed × change_published`: the solver's objective is the plan's
    /// metrics objective plus this.
    pub penalty: f64,
    /// Visits kept, moved, reassigned, cancelled and new, per facility.
    pub changes: Vec<FacilityChanges>,
}

/// The diff of a replan at one facility.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacilityChanges {
    /// Facility id.
    pub facility: String,
    /// Same record (person and institution), facility and dates.
    pub kept: usize,
    /// Same person and place, other dates, facility or institution.
    pub moved: usize,
    /// Same place, another person.
    pub reassigned: usize,
    /// No longer made.
    pub cancelled: usize,
    /// Not in the published plan.
    pub new: usize,
}

/// How the solve went.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolverReport {
    /// What the solver concluded (or that these are the existing calendars).
    pub status: PlanStatus,
    /// Objective of the plan (currency).
    pub objective: Option<f64>,
    /// Proven lower bound.
    pub bound: Option<f64>,
    /// Relative gap.
    pub gap: Option<f64>,
    /// Seconds building the program.
    pub build_seconds: f64,
    /// Seconds in HiGHS.
    pub solve_seconds: f64,
    /// Rows, columns, binaries, integers, rows per rule group.
    #[serde(default)]
    pub model: ModelSize,
    /// Options used (none for the status quo).
    #[serde(default)]
    pub options: SolveOptions,
    /// When infeasible: rule groups whose removal makes the program feasible.
    pub conflicting_groups: Vec<String>,
    /// How each component of the decomposition was solved (one entry when solved whole).
    #[serde(default)]
    pub components: Vec<ComponentReport>,
    /// Trips the solver chose but the plan dropped so that rooms fit day by day.
    #[serde(default)]
    pub dropped_for_rooms: usize,
    /// What proved `bound`: `lagrangian` (column generation over visit
    /// patterns, see docs/model.md) or `mip` (the program's branch and bound).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound_kind: Option<String>,
    /// The column-generation bound, when it ran (whether or not it was the
    /// better one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column_generation: Option<ColumnGeneration>,
}

/// What a plan's solver concluded (`solver.status`): the optimizer's answer
/// (see `optimize::Status`), or that the plan is the existing calendars.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Proven optimal.
    Optimal,
    /// Within the requested gap of the bound.
    FeasibleWithGap,
    /// Time ran out with a plan above the requested gap.
    TimeLimit,
    /// Time ran out before any plan.
    NoSolution,
    /// The rules contradict each other.
    Infeasible,
    /// The existing calendars, scored as they are.
    StatusQuo,
}

impl PlanStatus {
    /// The word plan.json writes, which `Lang::status` puts in words.
    pub fn code(self) -> &'static str {
        match self {
            PlanStatus::Optimal => "optimal",
            PlanStatus::FeasibleWithGap => "feasible_with_gap",
            PlanStatus::TimeLimit => "time_limit",
            PlanStatus::NoSolution => "no_solution",
            PlanStatus::Infeasible => "infeasible",
            PlanStatus::StatusQuo => "status_quo",
        }
    }
}

impl From<Status> for PlanStatus {
    fn from(s: Status) -> PlanStatus {
        match s {
            Status::Optimal => PlanStatus::Optimal,
            Status::FeasibleWithGap => PlanStatus::FeasibleWithGap,
            Status::TimeLimit => PlanStatus::TimeLimit,
            Status::NoSolution => PlanStatus::NoSolution,
            Status::Infeasible => PlanStatus::Infeasible,
        }
    }
}

/// The options a plan was solved with (`solver.options`); each absent for
/// the status quo and in plans written before it was recorded.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SolveOptions {
    /// `--time-limit` (seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_limit: Option<f64>,
    /// `--gap` (relative).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap: Option<f64>,
    /// `--threads`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threads: Option<u32>,
    /// `--pin-confirmed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pin_confirmed: Option<bool>,
    /// `--strengthen`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strengthen: Option<bool>,
    /// `colgen` or `compact` (see `optimize::Method::name`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// `--bound-share`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound_share: Option<f64>,
    /// `--budget`: the travel caps the plan was made under (`check`
    /// verifies them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub budgets: Vec<crate::optimize::Budget>,
}

impl SolveOptions {
    /// What `opts` records.
    pub fn of(opts: &crate::optimize::Options) -> SolveOptions {
        SolveOptions {
            time_limit: Some(opts.time_limit),
            gap: Some(opts.gap),
            threads: Some(opts.threads),
            pin_confirmed: Some(opts.pin_confirmed),
            strengthen: Some(opts.strengthen),
            method: Some(opts.method.name().to_string()),
            bound_share: Some(opts.bound_share),
            budgets: opts.budgets.clone(),
        }
    }

    /// The options these record (defaults for what is not recorded): a
    /// split folder's jobs are solved with them.
    pub fn options(&self) -> crate::optimize::Options {
        let d = crate::optimize::Options::default();
        crate::optimize::Options {
            time_limit: self.time_limit.unwrap_or(d.time_limit),
            gap: self.gap.unwrap_or(d.gap),
            threads: self.threads.unwrap_or(d.threads),
            pin_confirmed: self.pin_confirmed.unwrap_or(d.pin_confirmed),
            strengthen: self.strengthen.unwrap_or(d.strengthen),
            method: match self.method.as_deref() {
                Some("compact") => crate::optimize::Method::Compact,
                Some("colgen") => crate::optimize::Method::ColumnGeneration,
                _ => d.method,
            },
            bound_share: self.bound_share.unwrap_or(d.bound_share),
            budgets: self.budgets.clone(),
            ..d
        }
    }
}

/// What column generation did (`solver.column_generation` in plan.json).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnGeneration {
    /// Its Lagrangian bound (currency).
    pub bound: f64,
    /// Pricing rounds.
    pub rounds: usize,
    /// Columns generated (visit patterns and trips).
    pub columns: usize,
    /// Seconds to its first bound.
    pub first_bound_seconds: f64,
    /// Seconds it ran.
    pub seconds: f64,
    /// Whether it converged (no column prices out) at the root.
    pub converged: bool,
    /// The root's bound (the reformulation's LP value when converged);
    /// `bound` is higher when branching raised it.
    #[serde(default)]
    pub root_bound: Option<f64>,
    /// Nodes of the branch-and-price tree, the root included.
    #[serde(default)]
    pub nodes: Option<usize>,
}

/// Where a visit comes from, relative to the existing calendars.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// An existing visit kept: same person, locality and week.
    Kept,
    /// An existing visit that still happens at that locality, another week or by another person.
    Moved,
    /// A visit no calendar had.
    New,
    /// An existing visit the plan does not make.
    Dropped,
}

/// One visit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visit {
    /// Visit id (`P0001`…; dropped visits keep their calendar id).
    pub id: String,
    /// Specialist record id.
    pub specialist: String,
    /// Person id.
    pub person: String,
    /// Institution id of the record.
    pub institution: String,
    /// Specialty id.
    pub specialty: String,
    /// Locality id.
    pub locality: String,
    /// Facility id.
    pub facility: String,
    /// Trip id (none for dropped visits).
    pub trip: Option<String>,
    /// First consultation day.
    pub start: NaiveDate,
    /// Every consultation day.
    pub dates: Vec<NaiveDate>,
    /// Number of consultation days.
    pub days: u32,
    /// Patients it can see (days × patients per day).
    pub capacity: u32,
    /// Relation to the existing calendars.
    pub origin: Origin,
    /// Id of the existing visit it keeps, moves or drops.
    pub existing: Option<String>,
    /// Identity of its published calendar events, when a replan carries it
    /// over from the plan it repairs (see `export::events`); absent, the
    /// identity follows from `existing` or the visit's place and order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
}

impl Visit {
    /// Whether the plan makes this visit (dropped existing visits are listed but not made).
    pub fn is_made(&self) -> bool {
        self.origin != Origin::Dropped
    }
}

impl Plan {
    /// The visits the plan makes.
    pub fn made_visits(&self) -> impl Iterator<Item = &Visit> {
        self.visits.iter().filter(|v| v.is_made())
    }
}

/// One trip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TripRecord {
    /// Trip id (`T0001`…).
    pub id: String,
    /// Specialist record id.
    pub specialist: String,
    /// Week (0-based).
    pub week: u32,
    /// Departure date.
    pub depart: NaiveDate,
    /// Return date.
    #[serde(rename = "return")]
    pub return_date: NaiveDate,
    /// Locality ids in visiting order.
    pub stops: Vec<String>,
    /// Km driven.
    pub km: f64,
    /// Nights away.
    pub nights: u32,
    /// Whether the specialist commutes daily.
    pub commute: bool,
    /// Travel cost.
    pub cost: f64,
}

/// Scores of a plan (recomputed independently by `itinera check`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    /// Visits made.
    pub visits: usize,
    /// Consultation days.
    pub consultation_days: u32,
    /// Patients seen.
    pub patients_served: f64,
    /// Patient-weeks of waiting.
    pub patient_weeks_waiting: f64,
    /// Patient-weeks weighted per specialty.
    pub weighted_patient_weeks: f64,
    /// Patients waiting at the end of the horizon.
    pub unmet_at_end: f64,
    /// Km driven.
    pub km: f64,
    /// Travel cost.
    pub travel_cost: f64,
    /// Pairs of visits of one specialty at one locality within its spacing.
    pub duplicate_visits: usize,
    /// Waiting lists whose longest visit-free run reaches their max gap.
    pub coverage_gaps: usize,
    /// Windows of max-gap weeks without a visit, summed over waiting lists.
    pub uncovered_windows: usize,
    /// Confirmed visits not kept.
    pub confirmed_changed: usize,
    /// Visits per origin.
    pub origins: BTreeMap<String, usize>,
    /// Objective recomputed from the plan: waiting + travel + change + coverage penalties.
    pub objective: f64,
    /// Longest run of weeks without a visit, per waiting list.
    pub longest_without_visit: Vec<GapEntry>,
}

/// Longest visit-free run of one waiting list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GapEntry {
    /// Locality id.
    pub locality: String,
    /// Specialty id.
    pub specialty: String,
    /// Weeks.
    pub weeks: u32,
    /// The specialty's max gap.
    pub max_gap_weeks: u32,
}

/// An input conflict and what became of its visits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// Conflict kind (as in `itinera conflicts --json`).
    pub kind: String,
    /// Existing visit ids involved.
    pub visits: Vec<String>,
    /// What the conflict was.
    pub message: String,
    /// What the plan did, e.g. `m1 kept; c1 dropped`.
    pub resolution: String,
}

/// A what-if overlay a plan was made under.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatIfRecord {
    /// Its name.
    pub name: String,
    /// What it changes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// The what-if overlays of a scenario, as plan.json records them.
pub fn what_if_records(s: &crate::model::Scenario) -> Vec<WhatIfRecord> {
    s.what_if
        .iter()
        .map(|w| WhatIfRecord {
            name: w.name.clone(),
            description: w.description.clone(),
        })
        .collect()
}

impl Plan {
    /// The scenario name with the what-if overlays the plan was made under,
    /// e.g. `Santa Cruz 2027-28 (what-if: winter-rn40)`: every title and
    /// summary uses it, so a what-if plan is never mistaken for the base.
    pub fn label(&self) -> String {
        crate::model::label(&self.scenario, self.what_if.iter().map(|w| w.name.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A status-quo report as plans were written before the report was
    /// typed (an empty model and options): it still reads, and a solved
    /// plan's options and status read back as written.
    #[test]
    fn solver_reports_read_back() {
        let old = serde_json::json!({
            "status": "status_quo", "objective": 1.0, "bound": null, "gap": null,
            "build_seconds": 0.0, "solve_seconds": 0.0, "model": {}, "options": {},
            "conflicting_groups": []
        });
        let r: SolverReport = serde_json::from_value(old).unwrap();
        assert_eq!(r.status, PlanStatus::StatusQuo);
        assert_eq!(r.model.rows, 0);
        assert_eq!(r.options, SolveOptions::default());
        let opts = crate::optimize::Options::default();
        let mut r2 = r.clone();
        r2.status = Status::TimeLimit.into();
        r2.options = SolveOptions::of(&opts);
        let back: SolverReport =
            serde_json::from_value(serde_json::to_value(&r2).unwrap()).unwrap();
        assert_eq!(back, r2);
        assert_eq!(back.options.method.as_deref(), Some("colgen"));
        assert_eq!(
            serde_json::to_value(PlanStatus::FeasibleWithGap).unwrap(),
            PlanStatus::FeasibleWithGap.code()
        );
    }
}
