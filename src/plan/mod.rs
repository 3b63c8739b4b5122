//! The unified plan: the optimizer's trips laid out on days, turned into
//! visits that say where they come from (kept, moved, new, dropped), scored,
//! and written as `plan.json` (see the `format` module).

pub mod actuals;
pub mod diff;
pub mod explain;
pub mod format;
pub mod frontier;
pub mod identity;
pub mod jornadas;
pub mod metrics;
pub mod replan;
pub mod schedule;
pub mod status_quo;
pub mod supply;

use crate::calendar::{self, conflicts};
use crate::model::*;
use crate::network::RoadNetwork;
use crate::optimize::{self, ChosenTrip, Context, NoGood, Options, Progress, Solution, Status};
use crate::trips::DayUse;
use format::*;
use std::collections::BTreeMap;

/// Why a plan could not be assembled.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The week's rooms could not be laid out.
    #[error(transparent)]
    Layout(#[from] schedule::NoLayout),
    /// The solver failed.
    #[error(transparent)]
    Solver(#[from] optimize::SolverError),
    /// A point of the trade-off frontier found no plan in its time, or its
    /// plan broke a rule (see `frontier`).
    #[error("frontier point at budget {limit:.0}: {}", reason.en)]
    Frontier {
        /// The point's budget (infinite: unconstrained).
        limit: f64,
        /// What went wrong, in both languages.
        reason: crate::lang::Text,
    },
}

impl PlanError {
    /// The error in both languages, with what the planner can do.
    pub fn text(&self, s: &Scenario) -> crate::lang::Text {
        match self {
            PlanError::Layout(e) => {
                let f = &s.facilities[e.facility.index()];
                crate::tr!(
                    "las salidas de la semana {} no caben en los consultorios de {} ({}): revise rooms_per_day en facilities.csv o los días de atención",
                    "the trips of week {} cannot share the consulting rooms of {} ({}): check rooms_per_day in facilities.csv or the care days",
                    e.week + 1,
                    f.name,
                    f.code
                )
            }
            PlanError::Solver(e) => crate::tr!(
                "el solver falló: {} (vuelva a intentar con --method compact)",
                "the solver failed: {} (try again with --method compact)",
                e.0
            ),
            PlanError::Frontier { limit, reason } => {
                let at = if limit.is_finite() {
                    format!("{limit:.0}")
                } else {
                    "∞".to_string()
                };
                crate::tr!(
                    "punto de la frontera con presupuesto {}: {} (pruebe con más --time-limit o menos --points)",
                    "frontier point at budget {}: {} (try a longer --time-limit or fewer --points)",
                    at, reason.es; at, reason.en
                )
            }
        }
    }
}

/// Weeks within which an existing visit counts as moved rather than dropped.
const MOVE_WINDOW_WEEKS: u32 = 4;

/// Most re-solves with cuts when a week's trips cannot share the rooms.
const MAX_LAYOUT_ROUNDS: usize = 10;

/// Optimize and lay out the days. The program bounds rooms per week; when a
/// week's trips cannot share them day by day, a program solved whole gets a
/// cut forbidding that combination and is solved again (up to
/// `MAX_LAYOUT_ROUNDS`). Otherwise (decomposed programs, or out of rounds)
/// the trip with the fewest consultation days at the most contested facility
/// is dropped until the week fits: dropping a trip breaks no hard rule, the
/// plan's objective is recomputed, and the bound stays valid (the weekly
/// room rule is a relaxation of the daily one).
pub fn solve(
    s: &Scenario,
    net: &RoadNetwork,
    opts: &Options,
    progress: Option<&(dyn Fn(Progress) + Sync)>,
) -> Result<Solution, PlanError> {
    solve_in(
        &Context::new(s, net).with_budgets(opts.budgets.clone()),
        net,
        opts,
        progress,
    )
}

/// [`solve`] in a prepared context (a replan's, which fixes the past and
/// prices changes to the published plan). Trips of the published plan that
/// are kept leave on their published day when the week allows.
pub fn solve_in(
    ctx: &Context<'_>,
    net: &RoadNetwork,
    opts: &Options,
    progress: Option<&(dyn Fn(Progress) + Sync)>,
) -> Result<Solution, PlanError> {
    let started = std::time::Instant::now();
    // A large program's bound is proven alongside its search, each on its
    // own thread for the whole limit; a small one's (HiGHS solves it to
    // optimality as a rule) first, in a moment.
    let alongside = opts.method == optimize::Method::ColumnGeneration
        && opts.bound_share > 0.0
        && optimize::branches(ctx, opts);
    let live = std::sync::Arc::new(optimize::LiveBound::default());
    let tell = |b: f64| live.raise(b);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let watch = optimize::colgen::Watch {
        report: Some(&tell),
        stop: Some(&stop),
    };
    let (cg, solved) = std::thread::scope(|sc| {
        let handle = alongside.then(|| sc.spawn(|| colgen_bound(ctx, opts, started, Some(watch))));
        let first = if alongside {
            None
        } else {
            colgen_bound(ctx, opts, started, None)
        };
        let mut round = opts.clone();
        round.proven_bound = first.as_ref().map(|b| b.value);
        round.bound_alongside = alongside.then(|| live.clone());
        let solved = plan_rounds(ctx, &round, started, progress);
        // Without a plan the bound is of no use: it stops at once. With
        // one, it goes on to its deadline (the time the user gave).
        if solved.as_ref().is_ok_and(|(sol, _)| !sol.status.has_plan()) || solved.is_err() {
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        let cg = match handle {
            Some(h) => h.join().unwrap_or(None),
            None => first,
        };
        (cg, solved)
    });
    let (sol, cuts) = solved?;
    conclude(ctx, net, sol, cuts, cg)
}

/// The plan stage after the solve, shared by `plan` and the merge of a
/// split (`optimize::split`): take the column-generation bound when it is
/// better, repair weeks whose trips cannot share the rooms day by day, and
/// prefer the greedy start (a replan's published plan) when the repaired
/// plan is worse.
pub fn conclude(
    ctx: &Context<'_>,
    net: &RoadNetwork,
    mut sol: Solution,
    cuts: Vec<NoGood>,
    cg: Option<optimize::colgen::Bound>,
) -> Result<Solution, PlanError> {
    let s = ctx.scenario;
    if !sol.status.has_plan() {
        return Ok(sol);
    }
    sol.cuts = cuts;
    if let Some(b) = cg {
        if sol.status.has_plan() && sol.bound.is_none_or(|x| b.value > x) {
            sol.bound = Some(b.value);
            sol.bound_kind = Some(if b.value > b.root {
                "branch_and_price"
            } else {
                "lagrangian"
            });
            sol.gap = sol.objective.map(|o| optimize::relative_gap(o, b.value));
            if sol.status != optimize::Status::Optimal {
                sol.status = status_of_gap(sol.gap, sol.target_gap);
            }
        }
        sol.colgen = Some(b);
    }
    let (trips, dropped) = repair(s, std::mem::take(&mut sol.trips))?;
    sol.trips = trips;
    sol.dropped_for_rooms = dropped;
    sol.replanned = dropped > 0;
    // A decomposed program counts rooms per component: when its merged plan
    // needed repairs, the greedy plan (rooms shared by all; a replan's
    // published plan) may be better, changes to a published plan counted.
    // A replan also keeps the published plan when the new one is no better
    // by at least `MIN_GAIN`: among plans of equal worth (a visit whose
    // travel costs exactly what it saves, or a solver's rounding), the one
    // hospitals already have wins, whatever plan the solver happened to
    // reach first.
    let replanning = ctx.published().is_some();
    if (dropped > 0 || replanning) && !sol.greedy.is_empty() {
        let (greedy, greedy_dropped) = repair(s, std::mem::take(&mut sol.greedy))?;
        let score = |trips: &[ChosenTrip]| -> Result<f64, PlanError> {
            let mut trial = sol.clone();
            trial.trips = trips.to_vec();
            trial.replanned = true;
            let p = assemble(s, net, &trial, Default::default())?;
            let penalty = ctx.published().map_or(0.0, |publ| {
                (publ.visits.len() - replan::kept(s, publ, &p)) as f64 * s.weights.change_published
            });
            Ok(p.metrics.objective + penalty)
        };
        let (old, new) = (score(&greedy)?, score(&sol.trips)?);
        // A plan made without a published one takes the greedy plan only
        // when it is strictly better, as before.
        if old < new || (replanning && old <= new + MIN_GAIN) {
            // Not the solver's plan: its objective is recomputed from it.
            sol.replanned = true;
            sol.trips = greedy;
            sol.dropped_for_rooms = greedy_dropped;
        }
    }
    Ok(sol)
}

/// The program solved, and solved again with a no-good cut while its plan
/// cannot be laid out day by day (see [`solve`]); the plan and the cuts.
fn plan_rounds(
    ctx: &Context<'_>,
    opts: &Options,
    started: std::time::Instant,
    progress: Option<&(dyn Fn(Progress) + Sync)>,
) -> Result<(Solution, Vec<NoGood>), PlanError> {
    let s = ctx.scenario;
    let mut cuts: Vec<NoGood> = Vec::new();
    // The first round's bound: a cut names routes whatever their days, so
    // it may forbid a plan that fits, and a program re-solved with cuts
    // bounds only itself; the uncut program's bound holds for every plan.
    let mut uncut: Option<Option<f64>> = None;
    let mut sol = loop {
        let mut round = opts.clone();
        round.time_limit = (opts.time_limit - started.elapsed().as_secs_f64()).max(1.0);
        // Whether the neighbourhood search runs follows the limit the user
        // gave, never the seconds left: the same scenario and options give
        // the same plan on a busy or an idle machine.
        round.planned_limit = Some(opts.planned_limit.unwrap_or(opts.time_limit));
        let mut sol = optimize::optimize(ctx, &round, &cuts, progress)?;
        uncut.get_or_insert(sol.bound);
        if !sol.status.has_plan() {
            return Ok((sol, cuts));
        }
        prefer_published(ctx, &mut sol.trips);
        prefer_published(ctx, &mut sol.greedy);
        let trips = sort_trips(s, sol.trips.clone());
        match schedule::lay_out(s, &trips) {
            Err(e) if sol.whole && cuts.len() < MAX_LAYOUT_ROUNDS => cuts.push(NoGood {
                week: e.week,
                trips: trips
                    .iter()
                    .filter(|t| t.week == e.week)
                    .map(|t| {
                        (
                            t.trip.record,
                            t.trip.stops.iter().map(|x| x.locality).collect(),
                        )
                    })
                    .collect(),
            }),
            _ => break sol,
        }
    };
    if let (false, Some(bound)) = (cuts.is_empty(), uncut) {
        sol.bound = bound.map(|b| sol.bound.map_or(b, |x| x.min(b)));
        sol.gap = match (sol.objective, sol.bound) {
            (Some(o), Some(b)) => Some(optimize::relative_gap(o, b)),
            _ => None,
        };
        sol.status = status_of_gap(sol.gap, sol.target_gap);
        if sol.bound.is_none() {
            sol.bound_kind = None;
        }
    }
    Ok((sol, cuts))
}

/// The column-generation bound (`optimize::colgen`) from the greedy plan's
/// trips (or a replan's published ones) as its first columns: alongside
/// the search (see [`solve_in`]) for its share of the time limit, with
/// branch-and-price when the root converges in time, watched by `watch`;
/// or first (without a watch), for at most a quarter of the limit, root
/// only.
fn colgen_bound(
    ctx: &Context<'_>,
    opts: &Options,
    started: std::time::Instant,
    watch: Option<optimize::colgen::Watch<'_>>,
) -> Option<optimize::colgen::Bound> {
    if opts.method != optimize::Method::ColumnGeneration || opts.bound_share <= 0.0 {
        return None;
    }
    let start = match ctx.published() {
        Some(p) => p.start.clone(),
        None => optimize::colgen::greedy_start(ctx),
    };
    let alongside = watch.is_some();
    let share = if alongside {
        opts.bound_share.min(1.0)
    } else {
        opts.bound_share.min(FIRST_SHARE)
    };
    let nodes = if alongside { usize::MAX } else { 0 };
    optimize::colgen::bound_watched(
        ctx,
        &start,
        optimize::solve_threads(ctx, opts),
        (
            started + std::time::Duration::from_secs_f64(opts.time_limit * share),
            nodes,
        ),
        watch.unwrap_or_default(),
    )
}

/// The column-generation bound of the whole program as a job of its own
/// (`optimize::split`): as `solve_in` proves it alongside the search, for
/// the time limit from now.
pub fn prove_bound(ctx: &Context<'_>, opts: &Options) -> Option<optimize::colgen::Bound> {
    let alongside = optimize::branches(ctx, opts);
    let watch = alongside.then(optimize::colgen::Watch::default);
    colgen_bound(ctx, opts, std::time::Instant::now(), watch)
}

/// The most of the time limit a bound proven before the search may take.
const FIRST_SHARE: f64 = 0.25;

/// The least gain, in currency, for which a replan changes the published
/// plan: below it the two are taken as equal (and the solver's floating
/// point as noise).
pub const MIN_GAIN: f64 = 1.0;

/// Give the trips a published plan made their published departure day.
fn prefer_published(ctx: &Context<'_>, trips: &mut [ChosenTrip]) {
    let Some(p) = ctx.published() else { return };
    for t in trips {
        let stops: Vec<LocalityId> = t.trip.stops.iter().map(|x| x.locality).collect();
        t.depart = p.departures.get(&(t.trip.record, t.week, stops)).copied();
    }
}

/// Lay out the days, dropping the trip with the fewest consultation days at
/// the most contested facility of a week until every week fits. Returns the
/// trips kept and how many were dropped.
fn repair(s: &Scenario, trips: Vec<ChosenTrip>) -> Result<(Vec<ChosenTrip>, usize), PlanError> {
    let mut trips = sort_trips(s, trips);
    let mut dropped = 0;
    while let Err(e) = schedule::lay_out(s, &trips) {
        let victim = trips
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                t.week == e.week && t.trip.stops.iter().any(|x| x.facility == e.facility)
            })
            .min_by_key(|(i, t)| (t.trip.consult_days(), std::cmp::Reverse(*i)))
            .map(|(i, _)| i);
        match victim {
            Some(i) => {
                trips.remove(i);
                dropped += 1;
            }
            None => return Err(e.into()),
        }
    }
    Ok((trips, dropped))
}

fn sort_trips(s: &Scenario, mut chosen: Vec<ChosenTrip>) -> Vec<ChosenTrip> {
    chosen.sort_by(|a, b| {
        (a.week, &s.specialist(a.trip.record).code)
            .cmp(&(b.week, &s.specialist(b.trip.record).code))
    });
    chosen
}

/// Assemble the plan from the optimizer's solution.
pub fn assemble(
    s: &Scenario,
    net: &RoadNetwork,
    sol: &Solution,
    options: format::SolveOptions,
) -> Result<Plan, PlanError> {
    let chosen = sort_trips(s, sol.trips.clone());
    let dates = schedule::lay_out(s, &chosen)?;
    let mut order: Vec<usize> = (0..chosen.len()).collect();
    order.sort_by(|a, b| {
        (dates[*a][0], &s.specialist(chosen[*a].trip.record).code)
            .cmp(&(dates[*b][0], &s.specialist(chosen[*b].trip.record).code))
    });
    let mut trips = Vec::new();
    let mut visits: Vec<Visit> = Vec::new();
    let mut keys = Vec::new(); // (person, specialty, locality, week) of each planned visit
    for (n, &i) in order.iter().enumerate() {
        let ct = &chosen[i];
        let rec = s.specialist(ct.trip.record);
        let tid = format!("T{:04}", n + 1);
        let d = &dates[i];
        trips.push(TripRecord {
            id: tid.clone(),
            specialist: rec.code.clone(),
            week: ct.week,
            depart: d[0],
            return_date: *d.last().unwrap_or(&d[0]),
            stops: ct
                .trip
                .stops
                .iter()
                .map(|x| s.locality(x.locality).code.clone())
                .collect(),
            km: ct.trip.shape.km,
            nights: ct.trip.shape.nights,
            commute: ct.trip.shape.commute,
            cost: ct.trip.shape.cost,
        });
        for (k, stop) in ct.trip.stops.iter().enumerate() {
            let stop_dates: Vec<_> = ct
                .trip
                .shape
                .pattern
                .iter()
                .zip(d)
                .filter(|(u, _)| **u == DayUse::Consult(k as u8))
                .map(|(_, date)| *date)
                .collect();
            let id = format!("P{:04}", visits.len() + 1);
            visits.push(visit(
                s,
                id,
                ct.trip.record,
                stop.locality,
                stop.facility,
                Some(tid.clone()),
                stop_dates,
            ));
            keys.push((rec.person, rec.specialty, stop.locality, ct.week));
        }
    }
    let dropped = match_origins(s, &mut visits, &keys);
    visits.extend(dropped);
    let merged = calendar::merge(s);
    let found = conflicts::find(s, net, &merged);
    let by_existing: BTreeMap<&str, &Visit> = visits
        .iter()
        .filter_map(|v| v.existing.as_deref().map(|e| (e, v)))
        .collect();
    let conflicts = found
        .iter()
        .map(|c| Resolution {
            kind: c.kind.code().to_string(),
            visits: c.visits.clone(),
            message: c.message.en.clone(),
            resolution: c
                .visits
                .iter()
                .map(|id| match by_existing.get(id.as_str()) {
                    Some(v) if v.origin == Origin::Kept => format!("{id} kept on {}", v.start),
                    Some(v) if v.origin == Origin::Moved => format!(
                        "{id} moved to {} ({} at {})",
                        v.start, v.specialist, v.locality
                    ),
                    _ => format!("{id} dropped"),
                })
                .collect::<Vec<_>>()
                .join("; "),
        })
        .collect();
    let metrics = metrics::compute(s, &visits, &trips);
    // After dropping trips for rooms, the plan's own objective is the one to report.
    let (objective, gap) = if sol.replanned {
        (
            Some(metrics.objective),
            sol.bound
                .map(|b| optimize::relative_gap(metrics.objective, b)),
        )
    } else {
        (sol.objective, sol.gap)
    };
    // Dropping trips widened the gap: the status follows the new gap.
    let status = match sol.replanned {
        false => sol.status,
        true => status_of_gap(gap, sol.target_gap),
    };
    Ok(Plan {
        schema: SCHEMA.to_string(),
        scenario: s.name.clone(),
        what_if: format::what_if_records(s),
        generator: format!("itinera {}", env!("CARGO_PKG_VERSION")),
        solver: SolverReport {
            status: status.into(),
            objective,
            bound: sol.bound,
            gap,
            build_seconds: sol.build_seconds,
            solve_seconds: sol.solve_seconds,
            model: sol.size.clone(),
            options,
            conflicting_groups: sol.conflicting_groups.iter().map(label).collect(),
            dropped_for_rooms: sol.dropped_for_rooms,
            bound_kind: sol.bound.and(sol.bound_kind).map(str::to_string),
            column_generation: sol.colgen.as_ref().map(|b| format::ColumnGeneration {
                bound: b.value,
                rounds: b.rounds,
                columns: b.columns,
                first_bound_seconds: b.first_seconds,
                seconds: b.seconds,
                converged: b.converged,
                root_bound: Some(b.root),
                nodes: Some(b.nodes),
            }),
            components: sol.components.clone(),
        },
        visits,
        trips,
        metrics,
        conflicts,
        routes: Vec::new(),
        supply: None,
        replan: None,
    })
}

pub(crate) use crate::optimize::status_of_gap;

/// Mark planned visits kept or moved against the existing calendars; return
/// the existing visits the plan drops.
fn match_origins(
    s: &Scenario,
    visits: &mut [Visit],
    keys: &[(PersonId, SpecialtyId, LocalityId, u32)],
) -> Vec<Visit> {
    let mut taken = vec![false; visits.len()];
    let mut unmatched = Vec::new();
    // Confirmed visits first: the program kept those (tentative ones are not
    // priced), so a tentative twin must not take their planned visit.
    let mut order: Vec<usize> = (0..s.calendar.len()).collect();
    order.sort_by_key(|i| (s.calendar[*i].status != VisitStatus::Confirmed, *i));
    for n in order {
        let e = &s.calendar[n];
        let rec = s.specialist(e.specialist);
        let week = s.horizon.week_of(e.start).unwrap_or(0);
        let key = (rec.person, rec.specialty, e.locality, week);
        if let Some(i) = (0..visits.len()).find(|i| !taken[*i] && keys[*i] == key) {
            taken[i] = true;
            visits[i].origin = Origin::Kept;
            visits[i].existing = Some(e.code.clone());
        } else {
            unmatched.push((n, e, rec, week));
        }
    }
    unmatched.sort_by_key(|(n, ..)| *n);
    let mut dropped = Vec::new();
    for (_, e, rec, week) in unmatched {
        let near = (0..visits.len())
            .filter(|i| !taken[*i] && keys[*i].1 == rec.specialty && keys[*i].2 == e.locality)
            .filter(|i| keys[*i].3.abs_diff(week) <= MOVE_WINDOW_WEEKS)
            .min_by_key(|i| (keys[*i].3.abs_diff(week), *i));
        if let Some(i) = near {
            taken[i] = true;
            visits[i].origin = Origin::Moved;
            visits[i].existing = Some(e.code.clone());
            continue;
        }
        let dates = s.horizon.consultation_dates(e.start, e.days);
        let mut v = visit(
            s,
            e.code.clone(),
            e.specialist,
            e.locality,
            e.facility,
            None,
            dates,
        );
        v.origin = Origin::Dropped;
        v.existing = Some(e.code.clone());
        dropped.push(v);
    }
    dropped
}

/// Whether a status carries a plan worth writing.
pub fn writable(status: Status) -> bool {
    status.has_plan()
}

/// The snake_case name an enum serializes to (conflict kinds, statuses, groups).
pub(crate) fn label<T: serde::Serialize>(x: T) -> String {
    serde_json::to_value(x)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A visit of record `r` at `locality`/`facility` on `dates`, of origin new
/// until matched against the existing calendars.
fn visit(
    s: &Scenario,
    id: String,
    r: SpecialistId,
    locality: LocalityId,
    facility: FacilityId,
    trip: Option<String>,
    dates: Vec<chrono::NaiveDate>,
) -> Visit {
    let rec = s.specialist(r);
    let sp = s.specialty(rec.specialty);
    Visit {
        id,
        specialist: rec.code.clone(),
        person: s.person(rec.person).code.clone(),
        institution: s.institution(rec.institution).code.clone(),
        specialty: sp.code.clone(),
        locality: s.locality(locality).code.clone(),
        facility: s.facility(facility).code.clone(),
        trip,
        start: dates[0],
        days: dates.len() as u32,
        capacity: dates.len() as u32 * sp.patients_per_day,
        dates,
        origin: Origin::New,
        existing: None,
        event: None,
    }
}
