//! The integer program that chooses which record makes which trip in which
//! week (good_lp, solved by HiGHS).
//!
//! One module per constraint family: [`trip_shape`], [`person`], [`spacing`],
//! [`coverage`], [`rooms`], [`backlog`], [`commitments`]. Each adds its rows
//! (tagged with a [`Group`]) and objective terms to [`Parts`]; the objective is
//! money: weighted patient-weeks of waiting, travel cost, change penalties and
//! coverage penalties, all in the scenario's currency.

mod backlog;
mod commitments;
mod context;
mod coverage;
mod parts;
mod person;
mod rooms;
mod solver;
mod spacing;
mod trip_shape;
mod vars;
mod visits;

pub use context::Context;
pub use parts::Group;
pub use solver::{Progress, SolverError, Status, relative_gap};

use crate::model::Scenario;
use crate::trips::Trip;
use good_lp::Expression;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Instant;

/// A combination of trips that must not all be chosen in one week (their
/// days cannot be laid out within the facilities' rooms).
#[derive(Clone, Debug, PartialEq)]
pub struct NoGood {
    /// Week (0-based).
    pub week: u32,
    /// (record, stops in order) of each trip of the combination.
    pub trips: Vec<(crate::model::SpecialistId, Vec<crate::model::LocalityId>)>,
}

/// How to solve.
#[derive(Clone, Debug)]
pub struct Options {
    /// Seconds HiGHS may spend.
    pub time_limit: f64,
    /// Relative gap at which a plan is good enough (0.005 = 0.5 %).
    pub gap: f64,
    /// Solver threads.
    pub threads: u32,
    /// Keep every confirmed visit (hard) instead of pricing changes.
    pub pin_confirmed: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            time_limit: 30.0,
            gap: 0.005,
            threads: 2,
            pin_confirmed: false,
        }
    }
}

/// Size of the program, as reported with every plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModelSize {
    /// Rows (constraints).
    pub rows: usize,
    /// Columns (variables).
    pub columns: usize,
    /// Binary columns.
    pub binaries: usize,
    /// General integer columns.
    pub integers: usize,
    /// Rows per rule group.
    pub rows_by_group: BTreeMap<Group, usize>,
}

/// A trip the program chose.
#[derive(Clone, Debug, PartialEq)]
pub struct ChosenTrip {
    /// Week (0-based).
    pub week: u32,
    /// The trip (route and consultation days).
    pub trip: Trip,
}

/// The program's answer.
#[derive(Clone, Debug)]
pub struct Solution {
    /// What the solver concluded.
    pub status: Status,
    /// Objective of the plan (currency).
    pub objective: Option<f64>,
    /// Proven lower bound on any plan's objective.
    pub bound: Option<f64>,
    /// Relative gap between the two.
    pub gap: Option<f64>,
    /// Seconds spent building the program.
    pub build_seconds: f64,
    /// Seconds spent in HiGHS.
    pub solve_seconds: f64,
    /// Program size.
    pub size: ModelSize,
    /// The trips chosen (empty without a plan).
    pub trips: Vec<ChosenTrip>,
    /// When infeasible: the rule groups whose removal makes it feasible.
    pub conflicting_groups: Vec<Group>,
}

struct Built {
    book: vars::Book,
    parts: parts::Parts,
    weeks: Vec<vars::WeekVars>,
    size: ModelSize,
}

fn build(ctx: &Context<'_>, opts: &Options, skip: Option<Group>, cuts: &[NoGood]) -> Built {
    let s = ctx.scenario;
    let mut book = vars::Book::default();
    let mut p = parts::Parts::default();
    let weeks = vars::create(ctx, &mut book);
    let lists = visits::gather(s, &weeks);
    trip_shape::add(s, &weeks, &mut p);
    person::add(ctx, &weeks, &mut p);
    spacing::add(s, &lists, &mut p);
    coverage::add(s, &lists, &mut book, &mut p);
    rooms::add(ctx, &weeks, &mut p);
    backlog::add(s, &lists, &mut book, &mut p);
    commitments::add(s, &weeks, opts.pin_confirmed, &mut book, &mut p);
    for cut in cuts {
        let mut e = Expression::default();
        for wv in weeks.iter().filter(|wv| wv.week == cut.week) {
            for rv in &wv.routes {
                let stops: Vec<_> = rv.route.stops.iter().map(|(l, _)| *l).collect();
                if cut
                    .trips
                    .iter()
                    .any(|(r, st)| *r == wv.record && *st == stops)
                {
                    e.add_mul(1.0, rv.z);
                }
            }
        }
        p.row(Group::Rooms, e.leq(cut.trips.len() as f64 - 1.0));
    }
    if let Some(g) = skip {
        p.rows.retain(|(x, _)| *x != g);
    }
    let size = ModelSize {
        rows: p.rows.len(),
        columns: book.columns,
        binaries: book.binaries,
        integers: book.integers,
        rows_by_group: Group::ALL.iter().map(|g| (*g, p.count(*g))).collect(),
    };
    Built {
        book,
        parts: p,
        weeks,
        size,
    }
}

/// Build and solve the rotation program, excluding the `cuts` combinations.
pub fn optimize(
    ctx: &Context<'_>,
    opts: &Options,
    cuts: &[NoGood],
    progress: Option<&(dyn Fn(Progress) + Sync)>,
) -> Result<Solution, SolverError> {
    let s = ctx.scenario;
    let t0 = Instant::now();
    let built = build(ctx, opts, None, cuts);
    let build_seconds = t0.elapsed().as_secs_f64();
    let settings = solver::Settings {
        time_limit: opts.time_limit,
        gap: opts.gap,
        threads: opts.threads,
    };
    let Built {
        book,
        parts,
        weeks,
        size,
    } = built;
    let raw = solver::run(book, parts, &settings, None, progress)?;
    let trips = raw
        .columns
        .as_deref()
        .map(|cols| extract(s, &weeks, cols))
        .unwrap_or_default();
    let conflicting_groups = if raw.status == Status::Infeasible {
        explain(ctx, opts, &settings)?
    } else {
        Vec::new()
    };
    Ok(Solution {
        status: raw.status,
        objective: raw.objective,
        bound: raw.bound,
        gap: raw.gap,
        build_seconds,
        solve_seconds: raw.seconds,
        size,
        trips,
        conflicting_groups,
    })
}

/// Read the chosen trips off the solution columns.
fn extract(s: &Scenario, weeks: &[vars::WeekVars], cols: &[f64]) -> Vec<ChosenTrip> {
    let mut out = Vec::new();
    for wv in weeks {
        for rv in &wv.routes {
            if cols[rv.col] < 0.5 {
                continue;
            }
            let map = if rv.route.commute {
                &wv.commute_days
            } else {
                &wv.stay_days
            };
            let days: Vec<u32> = rv
                .route
                .stops
                .iter()
                .map(|(l, _)| map.get(l).map_or(0, |(_, c)| cols[*c].round() as u32))
                .collect();
            out.push(ChosenTrip {
                week: wv.week,
                trip: rv.route.trip(s, &days),
            });
        }
    }
    out
}

/// Which rule groups conflict: drop each relaxable group in turn and see
/// whether the program becomes feasible.
fn explain(
    ctx: &Context<'_>,
    opts: &Options,
    settings: &solver::Settings,
) -> Result<Vec<Group>, SolverError> {
    let mut out = Vec::new();
    for g in [
        Group::Person,
        Group::Spacing,
        Group::Rooms,
        Group::Commitments,
    ] {
        let mut b = build(ctx, opts, Some(g), &[]);
        // Feasibility is all that matters here.
        b.parts.objective = Expression::default();
        let raw = solver::run(b.book, b.parts, settings, None, None)?;
        if raw.status != Status::Infeasible {
            out.push(g);
        }
    }
    Ok(out)
}
