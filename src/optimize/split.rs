//! The decomposition as jobs, for a cluster: what [`super::optimize`] does
//! in one process — decompose, start from the greedy plan, share the rooms,
//! solve each part, merge — cut at its seams so that each part is a job of
//! its own (`itinera plan --parts-to`, `itinera solve-part`, `itinera
//! merge`). Parts share nothing until they are merged: each job holds its
//! scope, its share of the rooms and of the greedy start, and its solver
//! settings. With column generation, the whole program's bound is one more
//! job. A digest of the scenario and options ties every job and result to
//! its split, so a merge never mixes two.
//!
//! Each part may use the whole time limit (it runs on a node of its own);
//! `plan` on one machine shares the limit among the parts instead. Which
//! parts search and which solve their root node follows the same rules
//! (sizes and options, never the clock), so a split whose parts solve to
//! optimality gives the plan `plan` gives.

use super::{
    ChosenTrip, ComponentReport, Context, Method, ModelSize, Options, Part, Scope, Solution,
    SolverError, Status, decompose, greedy, solver,
};
use crate::model::{FacilityId, LocalityId, SpecialistId, SpecialtyId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// A trip by indices into the scenario's tables (the digest guarantees the
/// same scenario on both sides).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobTrip {
    /// Record index.
    pub record: u32,
    /// Week (0-based).
    pub week: u32,
    /// Locality indices in visiting order.
    pub stops: Vec<u32>,
    /// Consultation days at each stop.
    pub days: Vec<u32>,
}

impl JobTrip {
    fn of_pick(p: &greedy::Pick) -> JobTrip {
        JobTrip {
            record: p.record.0,
            week: p.week,
            stops: p.stops.iter().map(|l| l.0).collect(),
            days: p.days.clone(),
        }
    }

    fn of_chosen(t: &ChosenTrip) -> JobTrip {
        JobTrip {
            record: t.trip.record.0,
            week: t.week,
            stops: t.trip.stops.iter().map(|x| x.locality.0).collect(),
            days: t.trip.stops.iter().map(|x| x.days).collect(),
        }
    }

    fn pick(&self) -> greedy::Pick {
        greedy::Pick {
            record: SpecialistId(self.record),
            week: self.week,
            stops: self.stops.iter().map(|l| LocalityId(*l)).collect(),
            days: self.days.clone(),
        }
    }

    /// The trip, if it is one of the program's candidates.
    fn chosen(&self, ctx: &Context<'_>) -> Option<ChosenTrip> {
        Some(ChosenTrip {
            week: self.week,
            trip: self.pick().trip(ctx)?,
            depart: None,
        })
    }
}

/// One part of the decomposition as a job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartJob {
    /// Digest of the scenario and options of the split.
    pub digest: String,
    /// Its number (0-based) and how many parts there are.
    pub part: usize,
    /// See `part`.
    pub parts: usize,
    /// Specialty indices covered.
    pub specialties: Vec<u32>,
    /// Regions covered (`None`: all).
    pub regions: Option<Vec<String>>,
    /// Room-days per (facility, week) it may use, where limited.
    pub room_quota: Vec<(u32, u32, f64)>,
    /// Per week, rooms of each (facility, date) left to the other parts.
    pub rooms_taken: Vec<Vec<(u32, NaiveDate, u32)>>,
    /// Its records' trips of the greedy start (`None`: it starts cold).
    pub start: Option<Vec<JobTrip>>,
    /// Candidate trips plus one: what its share of a shared machine
    /// follows, and what a cluster's resources per part follow.
    pub size: f64,
    /// Seconds the solver may spend.
    pub time_limit: f64,
    /// Relative gap that is good enough.
    pub gap: f64,
    /// Solver threads.
    pub threads: u32,
    /// Whether the neighbourhood search follows the root node.
    pub search: bool,
    /// Whether HiGHS solves the root node first.
    pub root: bool,
}

impl PartJob {
    fn scope(&self) -> Scope {
        Scope {
            specialties: self.specialties.iter().map(|x| SpecialtyId(*x)).collect(),
            regions: self.regions.clone().map(|r| r.into_iter().collect()),
            room_quota: self
                .room_quota
                .iter()
                .map(|(f, w, q)| ((FacilityId(*f), *w), *q))
                .collect(),
            rooms_taken: self
                .rooms_taken
                .iter()
                .map(|week| {
                    week.iter()
                        .map(|(f, d, n)| ((FacilityId(*f), *d), *n))
                        .collect()
                })
                .collect(),
        }
    }
}

/// What a part's solve found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartResult {
    /// Digest of the split it belongs to.
    pub digest: String,
    /// Its part number.
    pub part: usize,
    /// Solver status.
    pub status: Status,
    /// Its objective.
    pub objective: Option<f64>,
    /// Its proven bound.
    pub bound: Option<f64>,
    /// Trips chosen.
    pub trips: Vec<JobTrip>,
    /// Size of its program.
    pub size: ModelSize,
    /// Seconds building the program, and in all.
    pub build_seconds: f64,
    /// See `build_seconds`.
    pub seconds: f64,
    /// How it was solved.
    pub report: ComponentReport,
    /// When it was solved (UTC).
    pub finished: chrono::DateTime<chrono::Utc>,
}

/// The jobs of a split: the parts, whether the whole program's
/// column-generation bound is one more job, and the greedy start (which the
/// merge compares with the merged plan, as `plan` does).
pub struct Jobs {
    /// One per part.
    pub parts: Vec<PartJob>,
    /// Whether a bound job goes with them.
    pub bound: bool,
    /// The greedy start, all parts together.
    pub start: Option<Vec<JobTrip>>,
}

/// Cut the program of `ctx` into jobs, as [`super::optimize`] would solve
/// it, each part with the whole time limit.
pub fn split(ctx: &Context<'_>, opts: &Options, digest: &str) -> Jobs {
    let s = ctx.scenario;
    let bound = opts.method == Method::ColumnGeneration && opts.bound_share > 0.0;
    let super::Cut {
        scopes,
        sizes,
        start,
        roots,
        searches,
        ..
    } = super::cut(ctx, opts, bound);
    let n = scopes.len();
    let parts = scopes
        .into_iter()
        .enumerate()
        .map(|(i, sc)| {
            let (size, root, search) = (sizes[i], roots[i], searches[i]);
            PartJob {
                digest: digest.to_string(),
                part: i,
                parts: n,
                specialties: sc.specialties.iter().map(|x| x.0).collect(),
                regions: sc.regions.clone().map(|r| r.into_iter().collect()),
                room_quota: sc
                    .room_quota
                    .iter()
                    .map(|((f, w), q)| (f.0, *w, *q))
                    .collect(),
                rooms_taken: sc
                    .rooms_taken
                    .iter()
                    .map(|week| week.iter().map(|((f, d), n)| (f.0, *d, *n)).collect())
                    .collect(),
                start: start.as_ref().map(|picks| {
                    picks
                        .iter()
                        .filter(|p| sc.covers_record(s, p.record))
                        .map(JobTrip::of_pick)
                        .collect()
                }),
                size,
                time_limit: opts.time_limit,
                gap: opts.gap,
                threads: opts.threads.max(1),
                search,
                root: root || start.is_none(),
            }
        })
        .collect();
    Jobs {
        parts,
        bound,
        start: start.map(|picks| picks.iter().map(JobTrip::of_pick).collect()),
    }
}

/// Solve one part.
pub fn solve_part(
    ctx: &Context<'_>,
    opts: &Options,
    job: &PartJob,
) -> Result<PartResult, SolverError> {
    let t0 = Instant::now();
    let start: Option<Vec<greedy::Pick>> = job
        .start
        .as_ref()
        .map(|t| t.iter().map(JobTrip::pick).collect());
    let settings = solver::Settings {
        time_limit: job.time_limit,
        gap: job.gap,
        threads: job.threads,
        search: job.search,
        root: job.root,
    };
    let part = super::solve_scope(
        ctx,
        opts,
        &job.scope(),
        &[],
        start.as_deref(),
        &settings,
        None,
    )?;
    Ok(PartResult {
        digest: job.digest.clone(),
        part: job.part,
        status: part.raw.status,
        objective: part.raw.objective,
        bound: part.raw.bound,
        trips: part.trips.iter().map(JobTrip::of_chosen).collect(),
        size: part.size,
        build_seconds: part.build_seconds,
        seconds: t0.elapsed().as_secs_f64(),
        report: part.report,
        finished: chrono::Utc::now(),
    })
}

/// The parts' results as one solution, as [`super::optimize`] merges its
/// parts (a bound only when every part proved one), with the greedy start
/// for the plan stage to compare. A trip that is not a candidate of the
/// program (a result edited by hand) is an error.
pub fn merge(
    ctx: &Context<'_>,
    opts: &Options,
    results: Vec<PartResult>,
    start: Option<&[JobTrip]>,
) -> Result<Solution, SolverError> {
    let whole = results.len() == 1;
    let seconds = results.iter().map(|r| r.seconds).fold(0.0, f64::max);
    let mut parts = Vec::with_capacity(results.len());
    for r in results {
        let trips = r
            .trips
            .iter()
            .map(|t| {
                t.chosen(ctx).ok_or_else(|| {
                    SolverError(format!(
                        "part {}: a trip of record {} in week {} is not a candidate of the program",
                        r.part, t.record, t.week
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        parts.push(Part {
            raw: solver::Raw {
                status: r.status,
                objective: r.objective,
                bound: r.bound,
                columns: None,
            },
            trips,
            size: r.size,
            build_seconds: r.build_seconds,
            report: r.report,
        });
    }
    let mut sol = super::merge(ctx, opts, parts, Instant::now(), whole)?;
    sol.solve_seconds = seconds;
    if let Some(start) = start {
        sol.greedy = start.iter().filter_map(|t| t.chosen(ctx)).collect();
    }
    Ok(sol)
}

/// Candidate trips of the whole program plus one: the size a bound job, a
/// sweep variant or a merge asks resources for.
pub fn program_size(ctx: &Context<'_>) -> f64 {
    decompose::candidate_trips(ctx, &Scope::all(ctx.scenario)) as f64 + 1.0
}
