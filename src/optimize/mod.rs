//! The integer program that chooses which record makes which trip in which
//! week (good_lp, solved by HiGHS).
//!
//! One module per constraint family: `trip_shape`, `person`, `spacing`,
//! `coverage`, `rooms`, `backlog`, `commitments`. Each adds its rows
//! (tagged with a [`Group`]) and objective terms to the program; the objective is
//! money: weighted patient-weeks of waiting, travel cost, change penalties and
//! coverage penalties, all in the scenario's currency.

mod backlog;
pub mod budget;
pub mod colgen;
mod commitments;
mod context;
mod coverage;
mod decompose;
mod greedy;
mod lns;
mod parts;
mod person;
mod published;
mod rooms;
mod solver;
mod spacing;
pub mod split;
mod submip;
mod trip_shape;
mod vars;
mod visits;
mod watchdog;

pub use budget::Budget;
pub use context::Context;
pub use decompose::{components, region_groups};
pub use parts::{Group, Scope};
pub use published::{Pick, Published, VisitKey};
pub use solver::{Progress, SolverError, Status, relative_gap, status_of_gap};
pub use watchdog::{hard_grace, on_overrun};

use crate::model::{Scenario, SpecialistId, SpecialtyId};
use crate::trips::Trip;
use good_lp::Expression;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Instant;

/// A combination of trips that must not all be chosen in one week: their
/// days cannot be laid out within the facilities' rooms.
#[derive(Clone, Debug, PartialEq)]
pub struct NoGood {
    /// Week (0-based).
    pub week: u32,
    /// (record, stops in order) of each trip of the combination.
    pub trips: Vec<(SpecialistId, Vec<crate::model::LocalityId>)>,
}

/// A bound that rises while it is read: the best one proven so far.
#[derive(Debug, Default)]
pub struct LiveBound(std::sync::Mutex<Option<f64>>);

impl LiveBound {
    /// Take `bound` if it is better.
    pub fn raise(&self, bound: f64) {
        let mut b = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if b.is_none_or(|x| bound > x) {
            *b = Some(bound);
        }
    }

    /// The best bound so far.
    pub fn get(&self) -> Option<f64> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
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
    /// Add the valid waiting-list inequalities (see `backlog`): a tighter
    /// bound when the solver has time for the larger root LP.
    pub strengthen: bool,
    /// Seconds a program (the whole one, or a component) must be given for
    /// the neighbourhood search to follow its root node (see `lns`). Below
    /// that, HiGHS's branch and bound gets all the time: the root bound
    /// needs most of a short limit.
    pub search_from: f64,
    /// The time limit the user gave, when `time_limit` is what is left of
    /// it (a re-solve after layout cuts). Decisions such as whether a part
    /// gets the neighbourhood search follow this, not the clock, so that a
    /// busy machine does not change the plan.
    pub planned_limit: Option<f64>,
    /// How the program is solved.
    pub method: Method,
    /// Share of the time limit the column-generation bound (`colgen`) of
    /// [`Method::ColumnGeneration`] may use: alongside the search on a
    /// program larger than `root_up_to`, before it (at most a quarter) on a
    /// smaller one. The plan's bound is the better of it and the program's
    /// own.
    pub bound_share: f64,
    /// A lower bound already proven for this program (the column-generation
    /// one). A part larger than `root_up_to` then skips its root node: the
    /// search has the time.
    pub proven_bound: Option<f64>,
    /// A lower bound being proven alongside the search (the
    /// column-generation one, as it rises): as `proven_bound`, and the
    /// progress line shows it.
    pub bound_alongside: Option<std::sync::Arc<LiveBound>>,
    /// Candidate (record, week, route) triples up to which HiGHS solves a
    /// part itself (root node, branch and bound), bound proven or not.
    pub root_up_to: usize,
    /// Travel budgets over the whole plan (`--budget`).
    pub budgets: Vec<Budget>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            time_limit: 30.0,
            gap: 0.005,
            threads: 2,
            pin_confirmed: false,
            strengthen: false,
            search_from: 20.0,
            planned_limit: None,
            method: Method::default(),
            bound_share: 1.0,
            proven_bound: None,
            bound_alongside: None,
            root_up_to: decompose::SOLVE_WHOLE_UP_TO,
            budgets: Vec::new(),
        }
    }
}

/// How the program is solved (`--method`; docs/model.md).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Column generation over visit patterns proves the bound in a share of
    /// the time; the neighbourhood search improves the plan on the whole
    /// program (rooms shared exactly), one component at a time.
    #[default]
    ColumnGeneration,
    /// The compact program split into components of specialties, each
    /// with HiGHS's root-node bound, then the neighbourhood search within
    /// each component's share of the rooms.
    Compact,
}

impl Method {
    /// The name `--method` takes and plan.json records.
    pub fn name(self) -> &'static str {
        match self {
            Method::ColumnGeneration => "colgen",
            Method::Compact => "compact",
        }
    }
}

/// Size of the program, as reported with every plan (zero for the status
/// quo, which has none).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
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
    /// The day it should leave when it can: a published trip kept by a
    /// replan keeps its dates.
    pub depart: Option<chrono::NaiveDate>,
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
    /// Trips dropped afterwards because a week's rooms could not be laid out day by day.
    pub dropped_for_rooms: usize,
    /// The gap that was asked for.
    pub target_gap: f64,
    /// Whether the program was solved whole (rooms shared exactly) rather than per component.
    pub whole: bool,
    /// How each component was solved.
    pub components: Vec<ComponentReport>,
    /// The greedy plan (rooms shared by all specialties), a fallback when
    /// the merged components' plan needs too many repairs.
    pub greedy: Vec<ChosenTrip>,
    /// The trips are no longer the solver's (repaired, or the greedy plan):
    /// the objective must be recomputed from the plan.
    pub replanned: bool,
    /// Cuts added because a week's trips could not share the rooms day by
    /// day (see `crate::plan::solve`): part of the program last solved.
    pub cuts: Vec<NoGood>,
    /// The column-generation bound, when it ran.
    pub colgen: Option<colgen::Bound>,
    /// Which method proved `bound`: `lagrangian` (column generation) or
    /// `mip` (the program's branch and bound).
    pub bound_kind: Option<&'static str>,
}

struct Built {
    book: vars::Book,
    parts: parts::Parts,
    weeks: Vec<vars::WeekVars>,
    size: ModelSize,
    backlogs: backlog::Backlogs,
    gaps: coverage::Gaps,
    /// Visit column per (locality, specialty) and week.
    visit_cols: BTreeMap<(crate::model::LocalityId, SpecialtyId), Vec<Option<usize>>>,
    kept: commitments::Kept,
    published: published::Kept,
}

fn build(
    ctx: &Context<'_>,
    opts: &Options,
    skip: Option<Group>,
    scope: &Scope,
    cuts: &[NoGood],
) -> Built {
    let s = ctx.scenario;
    let mut book = vars::Book::default();
    let mut p = parts::Parts::default();
    let weeks = vars::create(ctx, scope, &mut book);
    let lists = visits::gather(s, &weeks, &mut book, &mut p);
    trip_shape::add(s, &weeks, &mut p);
    person::add(ctx, &weeks, &mut p);
    budget::add(s, &ctx.budgets, &weeks, &mut p);
    spacing::add(s, &lists, &mut p);
    let gaps = coverage::add(s, &lists, scope, &mut book, &mut p);
    // A forced visit (`explain --cost`): at least one in its weeks; a list
    // no trip can reach then makes the program infeasible, as it should.
    for (l, sp, from, to) in &ctx.forced {
        let mut e = Expression::default();
        if let Some(lv) = lists.get(&(*l, *sp)) {
            for w in *from..=(*to).min(s.horizon.weeks.saturating_sub(1)) {
                e += lv.visits[w as usize].clone();
            }
        }
        p.row(Group::Commitments, e.geq(1.0));
    }
    rooms::add(ctx, &weeks, scope, &mut p);
    let backlogs = backlog::add(s, &lists, scope, opts.strengthen, &mut book, &mut p);
    let visit_cols = lists
        .iter()
        .map(|(k, lv)| (*k, lv.visit_cols.clone()))
        .collect();
    let kept = commitments::add(s, &weeks, scope, opts.pin_confirmed, &mut book, &mut p);
    let published = published::add(ctx, &weeks, scope, &mut book, &mut p);
    for cut in cuts {
        let mut e = Expression::default();
        let mut n = 0.0;
        for wv in weeks.iter().filter(|wv| wv.week == cut.week) {
            for rv in &wv.routes {
                let stops: Vec<_> = rv.route.stops.iter().map(|(l, _)| *l).collect();
                if cut
                    .trips
                    .iter()
                    .any(|(r, st)| *r == wv.record && *st == stops)
                {
                    e.add_mul(1.0, rv.z);
                    n += 1.0;
                }
            }
        }
        if n > 0.0 {
            p.row(Group::Rooms, e.leq(n - 1.0));
        }
    }
    if let Some(g) = skip {
        p.rows.retain(|(x, _)| *x != g);
        p.shares.clear();
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
        backlogs,
        gaps,
        kept,
        published,
        visit_cols,
    }
}

/// One component's answer.
struct Part {
    raw: solver::Raw,
    trips: Vec<ChosenTrip>,
    size: ModelSize,
    build_seconds: f64,
    report: ComponentReport,
}

/// How one component of the decomposition was solved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComponentReport {
    /// Specialty ids of the component.
    pub specialties: Vec<String>,
    /// Planning regions of the component (none when the scenario has none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// Solver status of the component.
    pub status: Status,
    /// Its objective.
    pub objective: Option<f64>,
    /// Its proven bound, if any.
    pub bound: Option<f64>,
    /// Seconds the solver was given.
    pub time_limit: f64,
}

fn solve_scope(
    ctx: &Context<'_>,
    opts: &Options,
    scope: &Scope,
    cuts: &[NoGood],
    start: Option<&[greedy::Pick]>,
    settings: &solver::Settings,
    progress: Option<&(dyn Fn(Progress) + Sync)>,
) -> Result<Part, SolverError> {
    let t0 = Instant::now();
    let built = build(ctx, opts, None, scope, cuts);
    let warm = start.map(|picks| greedy::columns(ctx, &built, picks));
    let Built {
        book,
        parts,
        weeks,
        size,
        ..
    } = built;
    let build_seconds = t0.elapsed().as_secs_f64();
    // The search's view of the program: its columns and, for the day-by-day
    // layout check, the week variables by week.
    let searching = settings.search;
    let search = if searching {
        search_groups(ctx, &weeks)
    } else {
        Vec::new()
    };
    let mut by_week: Vec<Vec<&vars::WeekVars>> = Vec::new();
    if searching {
        by_week = vec![Vec::new(); ctx.scenario.horizon.weeks as usize];
        for wv in &weeks {
            by_week[wv.week as usize].push(wv);
        }
    }
    let none = BTreeMap::new();
    let conflict = |cols: &[f64], w: u32| {
        let taken = scope.rooms_taken.get(w as usize).unwrap_or(&none);
        clash(ctx.scenario, &by_week[w as usize], cols, taken)
    };
    let raw = solver::run(
        book,
        parts,
        settings,
        warm.as_deref(),
        searching.then_some(solver::Search {
            groups: &search,
            conflict: &conflict,
        }),
        progress,
    )?;
    let trips = raw
        .columns
        .as_deref()
        .map(|cols| extract(ctx.scenario, &weeks, cols))
        .unwrap_or_default();
    let report = ComponentReport {
        specialties: scope
            .specialties
            .iter()
            .map(|sp| ctx.scenario.specialty(*sp).code.clone())
            .collect(),
        regions: scope.regions.iter().flatten().cloned().collect(),
        status: raw.status,
        objective: raw.objective,
        bound: raw.bound,
        time_limit: settings.time_limit,
    };
    Ok(Part {
        raw,
        trips,
        size,
        build_seconds,
        report,
    })
}

/// Threads each HiGHS solve is given: one when the parts fill the workers,
/// else all. Every HiGHS instance of a process must ask for the same count
/// (HiGHS's scheduler is global and refuses a different one), so the
/// column-generation LP asks for this too.
fn threads_per_solve(parts: usize, opts: &Options) -> u32 {
    if parts >= opts.threads.max(1) as usize {
        1
    } else {
        opts.threads.max(1)
    }
}

/// Threads each HiGHS solve of the program of `ctx` is given: one when its
/// parts fill the workers, else all (every HiGHS instance of a process must
/// ask for the same count).
pub fn solve_threads(ctx: &Context<'_>, opts: &Options) -> u32 {
    threads_per_solve(
        decompose::decompose(ctx, !searches_whole(ctx, opts)).len(),
        opts,
    )
}

/// Whether the program is searched whole (per group of regions) rather
/// than split into components of specialties: when column generation gives
/// the bound, nothing needs the components' root nodes, and a whole
/// program keeps its rooms shared exactly while its neighbourhoods move one
/// component at a time (see `search_groups`). It needs a start to search from.
/// Whether the column-generation bound goes on to branch-and-price after
/// its root: only for a program larger than `root_up_to`, which HiGHS does
/// not solve itself. A smaller one gets HiGHS's own bound (proven optimal
/// as a rule) without spending the bound's share of the time on a tree.
pub fn branches(ctx: &Context<'_>, opts: &Options) -> bool {
    decompose::candidate_trips(ctx, &Scope::all(ctx.scenario)) > opts.root_up_to
}

fn searches_whole(ctx: &Context<'_>, opts: &Options) -> bool {
    opts.method == Method::ColumnGeneration && (ctx.published().is_some() || !opts.pin_confirmed)
}

/// The program cut into its parts, as [`optimize`] solves them and a
/// split (`split`) writes them as jobs: one set of rules for both, so the
/// two solve the same parts the same way.
pub(crate) struct Cut {
    /// The parts, largest first.
    pub scopes: Vec<Scope>,
    /// Each part's candidate trips plus one.
    pub sizes: Vec<f64>,
    /// The greedy start (a replan's published plan; none when pinned).
    pub start: Option<Vec<greedy::Pick>>,
    /// Whether HiGHS solves each part's root node first.
    pub roots: Vec<bool>,
    /// Whether each part runs the neighbourhood search.
    pub searches: Vec<bool>,
    /// Parts solved at once.
    pub workers: usize,
}

/// Decompose, start from the greedy plan, share the rooms, size the
/// parts, and decide from sizes and options alone (never the clock) which
/// parts search and which solve their root node; `bound_proven`: the whole
/// program's bound comes from elsewhere (column generation).
pub(crate) fn cut(ctx: &Context<'_>, opts: &Options, bound_proven: bool) -> Cut {
    let whole_search = searches_whole(ctx, opts);
    let mut scopes = decompose::decompose(ctx, !whole_search);
    // A replan starts from the published plan. The greedy start may not
    // keep every pinned visit: pinned programs start cold.
    let start = match ctx.published() {
        Some(p) => Some(p.start.clone()),
        None => (!opts.pin_confirmed).then(|| greedy::plan(ctx)),
    };
    let planned = opts.planned_limit.unwrap_or(opts.time_limit);
    // Room shares serve only the neighbourhood search, which needs time.
    if scopes.len() > 1
        && planned >= opts.search_from
        && let Some(picks) = &start
    {
        decompose::share_rooms(ctx, &mut scopes, picks);
    }
    // Each part gets a share of the CPU time left in proportion to its
    // candidate trips (see `decompose::Budget`); the largest start first so
    // the shares fit side by side.
    let mut sized: Vec<(f64, Scope)> = scopes
        .into_iter()
        .map(|sc| (decompose::candidate_trips(ctx, &sc) as f64 + 1.0, sc))
        .collect();
    sized.sort_by(|(x, a), (y, b)| {
        y.total_cmp(x)
            .then(a.specialties.cmp(&b.specialties))
            .then(a.regions.cmp(&b.regions))
    });
    let (sizes, scopes): (Vec<f64>, Vec<Scope>) = sized.into_iter().unzip();
    let workers = (opts.threads.max(1) as usize).min(scopes.len()).max(1);
    let total: f64 = sizes.iter().sum();
    // A part searches when its share of the limit the user gave is long
    // enough: a figure of sizes and options alone (see `planned_limit`).
    // HiGHS solves a part's root node (and on to optimality when it can)
    // unless the bound is proven already and the part is too large for that
    // to pay: such a part searches from the start at once.
    let roots: Vec<bool> = sizes
        .iter()
        .map(|size| !bound_proven || *size <= opts.root_up_to as f64 + 1.0)
        .collect();
    let searches: Vec<bool> = sizes
        .iter()
        .zip(&roots)
        .map(|(size, root)| {
            !root
                || (workers as f64 * planned * size / total.max(1.0)).min(planned)
                    >= opts.search_from
        })
        .collect();
    Cut {
        scopes,
        sizes,
        start,
        roots,
        searches,
        workers,
    }
}

/// Build and solve the rotation program.
///
/// A greedy plan over all specialties (sharing the rooms) gives every solve a
/// feasible start. The program is then solved per component of specialties
/// (see [`components`]) in parallel, with the rooms counted per component
/// only: without shared rooms the components are independent, so the sum of
/// their bounds bounds the whole problem. The plan stage then settles rooms
/// shared between components (see `crate::plan::solve`).
pub fn optimize(
    ctx: &Context<'_>,
    opts: &Options,
    cuts: &[NoGood],
    progress: Option<&(dyn Fn(Progress) + Sync)>,
) -> Result<Solution, SolverError> {
    let started = Instant::now();
    let Cut {
        scopes,
        sizes,
        start,
        roots,
        searches,
        workers,
    } = cut(
        ctx,
        opts,
        opts.proven_bound.is_some() || opts.bound_alongside.is_some(),
    );
    let per_solve_threads = threads_per_solve(scopes.len(), opts);
    let deadline = started + std::time::Duration::from_secs_f64(opts.time_limit.max(0.5));
    let total: f64 = sizes.iter().sum();
    let budget = decompose::Budget::new(deadline, workers, total);
    let latest: Mutex<Vec<Option<Progress>>> = Mutex::new(vec![None; scopes.len()]);
    let solve_one = |i: usize| {
        let report = |p: Progress| {
            if let Some(cb) = progress {
                let mut l = latest.lock().unwrap_or_else(|e| e.into_inner());
                l[i] = Some(p);
                let proven = opts
                    .proven_bound
                    .or_else(|| opts.bound_alongside.as_ref()?.get());
                cb(combine(&l, started, proven));
            }
        };
        let settings = solver::Settings {
            time_limit: budget.start(i, sizes[i]),
            gap: opts.gap,
            threads: per_solve_threads,
            search: searches[i],
            root: roots[i] || start.is_none(),
        };
        let part = solve_scope(
            ctx,
            opts,
            &scopes[i],
            cuts,
            start.as_deref(),
            &settings,
            progress.map(|_| &report as &(dyn Fn(Progress) + Sync)),
        );
        budget.finish(i);
        // Its final figures count in the progress from now on, whether or
        // not HiGHS logged a row for it.
        if let Ok(p) = &part {
            report(Progress {
                parts: (1, 1),
                incumbent: p.raw.objective,
                bound: p.raw.bound,
                gap_percent: None,
                seconds: started.elapsed().as_secs_f64(),
            });
        }
        part
    };
    // The program is built: the solve starts (the progress line says so).
    if let Some(cb) = progress {
        cb(Progress {
            parts: (0, scopes.len()),
            incumbent: None,
            bound: None,
            gap_percent: None,
            seconds: started.elapsed().as_secs_f64(),
        });
    }
    let solved = decompose::run_parts(scopes.len(), workers, solve_one)?;
    let parts = solved
        .into_iter()
        .collect::<Result<Vec<Part>, SolverError>>()?;
    let whole = scopes.len() == 1;
    let mut sol = merge(ctx, opts, parts, started, whole)?;
    if let Some(picks) = &start {
        sol.greedy = picks
            .iter()
            .filter_map(|p| {
                Some(ChosenTrip {
                    week: p.week,
                    trip: p.trip(ctx)?,
                    depart: None,
                })
            })
            .collect();
    }
    Ok(sol)
}

/// The components' latest progress summed over the parts that have both a
/// plan and a bound; `parts` says how many of how many that is, and the gap
/// is given only when it is all of them (a sum over some parts is not the
/// whole plan's figure). With a bound `proven` for the whole program, the
/// parts need only a plan, and the plan is shown once every part has one.
fn combine(latest: &[Option<Progress>], started: Instant, proven: Option<f64>) -> Progress {
    if let Some(b) = proven {
        // The bound is the whole program's already: the parts bring plans.
        let plans: Vec<f64> = latest
            .iter()
            .filter_map(|p| p.as_ref()?.incumbent)
            .collect();
        let (n, all) = (plans.len(), latest.len());
        let incumbent = (n == all && n > 0).then(|| plans.iter().sum::<f64>());
        return Progress {
            incumbent,
            bound: Some(b),
            gap_percent: incumbent.map(|i| relative_gap(i, b) * 100.0),
            seconds: started.elapsed().as_secs_f64(),
            parts: (n, all),
        };
    }
    let known: Vec<(f64, f64)> = latest
        .iter()
        .filter_map(|p| Some((p.as_ref()?.incumbent?, p.as_ref()?.bound?)))
        .collect();
    let (n, all) = (known.len(), latest.len());
    let incumbent = (n > 0).then(|| known.iter().map(|k| k.0).sum::<f64>());
    let bound = (n > 0).then(|| known.iter().map(|k| k.1).sum::<f64>());
    Progress {
        incumbent,
        bound,
        gap_percent: match (incumbent, bound) {
            (Some(i), Some(b)) if n == all => Some(relative_gap(i, b) * 100.0),
            _ => None,
        },
        seconds: started.elapsed().as_secs_f64(),
        parts: (n, all),
    }
}

fn merge(
    ctx: &Context<'_>,
    opts: &Options,
    parts: Vec<Part>,
    started: Instant,
    whole: bool,
) -> Result<Solution, SolverError> {
    let statuses: Vec<Status> = parts.iter().map(|p| p.raw.status).collect();
    let components: Vec<ComponentReport> = parts.iter().map(|p| p.report.clone()).collect();
    let mut size = ModelSize {
        rows: 0,
        columns: 0,
        binaries: 0,
        integers: 0,
        rows_by_group: BTreeMap::new(),
    };
    for p in &parts {
        size.rows += p.size.rows;
        size.columns += p.size.columns;
        size.binaries += p.size.binaries;
        size.integers += p.size.integers;
        for (g, n) in &p.size.rows_by_group {
            *size.rows_by_group.entry(*g).or_default() += n;
        }
    }
    let build_seconds: f64 = parts.iter().map(|p| p.build_seconds).sum();
    let solve_seconds =
        started.elapsed().as_secs_f64() - build_seconds.min(started.elapsed().as_secs_f64());
    let failed = [Status::Infeasible, Status::NoSolution]
        .into_iter()
        .find(|st| statuses.contains(st));
    let (status, objective, bound, gap, trips, conflicting_groups) = match failed {
        Some(status) => {
            let conflicting_groups = if status == Status::Infeasible {
                let settings = solver::Settings {
                    time_limit: opts.time_limit,
                    gap: opts.gap,
                    threads: opts.threads,
                    search: false,
                    root: true,
                };
                explain(ctx, opts, &settings)?
            } else {
                Vec::new()
            };
            (status, None, None, None, Vec::new(), conflicting_groups)
        }
        None => {
            let objective: f64 = parts.iter().filter_map(|p| p.raw.objective).sum();
            // The whole problem's bound is known only if every component proved one.
            let bound: Option<f64> = parts.iter().map(|p| p.raw.bound).sum();
            let gap = bound.map(|b| relative_gap(objective, b));
            let status = status_of_gap(gap, opts.gap);
            let trips = parts.into_iter().flat_map(|p| p.trips).collect();
            (status, Some(objective), bound, gap, trips, Vec::new())
        }
    };
    Ok(Solution {
        status,
        objective,
        bound,
        gap,
        build_seconds,
        solve_seconds,
        size,
        trips,
        conflicting_groups,
        dropped_for_rooms: 0,
        target_gap: opts.gap,
        whole,
        components,
        greedy: Vec::new(),
        replanned: false,
        cuts: Vec::new(),
        colgen: None,
        bound_kind: bound.map(|_| "mip"),
    })
}

/// Read the chosen trips off the solution columns.
fn extract<'w>(
    s: &Scenario,
    weeks: impl IntoIterator<Item = &'w vars::WeekVars>,
    cols: &[f64],
) -> Vec<ChosenTrip> {
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
                depart: None,
            });
        }
    }
    out
}

/// Which rule groups conflict: drop each relaxable group in turn and see
/// whether the whole program becomes feasible.
fn explain(
    ctx: &Context<'_>,
    opts: &Options,
    settings: &solver::Settings,
) -> Result<Vec<Group>, SolverError> {
    let all = Scope::all(ctx.scenario);
    let mut out = Vec::new();
    for g in [
        Group::Person,
        Group::Spacing,
        Group::Rooms,
        Group::Commitments,
        Group::Published,
        Group::Budget,
    ] {
        let mut b = build(ctx, opts, Some(g), &all, &[]);
        // Feasibility is all that matters here.
        b.parts.objective = Expression::default();
        let raw = solver::run(b.book, b.parts, settings, None, None, None)?;
        if raw.status != Status::Infeasible {
            out.push(g);
        }
    }
    Ok(out)
}

/// Write the whole program (every specialty, rooms shared exactly: the
/// program itinera solves whole, or whose components it solves with the
/// rooms divided), with the room-layout `cuts` a solve added, to `path`
/// (`.mps` or `.lp`) for any other solver. Its optimum, objective offset
/// included, is the best plan's objective.
pub fn export_model(
    ctx: &Context<'_>,
    opts: &Options,
    cuts: &[NoGood],
    path: &std::path::Path,
) -> Result<ModelSize, SolverError> {
    let all = Scope::all(ctx.scenario);
    let b = build(ctx, opts, None, &all, cuts);
    solver::write_model(b.book, b.parts, path)?;
    Ok(b.size)
}

/// Build the program of `scope` and return its size, without solving: for
/// benchmarks of model building.
pub fn build_for_bench(ctx: &Context<'_>, opts: &Options, scope: &Scope) -> ModelSize {
    build(ctx, opts, None, scope, &[]).size
}

/// A minimal set of the week's chosen trips (their route columns) whose days
/// cannot be laid out in the rooms left by `taken`; `None` when all fit.
fn clash(
    s: &Scenario,
    weeks: &[&vars::WeekVars],
    cols: &[f64],
    taken: &BTreeMap<(crate::model::FacilityId, chrono::NaiveDate), u32>,
) -> Option<Vec<usize>> {
    let week = weeks.first()?.week;
    let mut chosen: Vec<(usize, Trip)> = Vec::new();
    for wv in weeks {
        let trips = extract(s, std::iter::once(*wv), cols);
        for (rv, t) in wv.routes.iter().filter(|rv| cols[rv.col] >= 0.5).zip(trips) {
            chosen.push((rv.col, t.trip));
        }
    }
    let fits = |set: &[(usize, Trip)]| {
        let refs: Vec<&Trip> = set.iter().map(|(_, t)| t).collect();
        crate::trips::lay_out_week_within(s, week, &refs, taken).is_some()
    };
    // Only the trips linked by facilities to those that do not fit matter.
    let refs: Vec<&Trip> = chosen.iter().map(|(_, t)| t).collect();
    let group = crate::trips::lay_out_week_or_clash(s, week, &refs, &[], taken).err()?;
    let mut chosen: Vec<(usize, Trip)> = group.into_iter().map(|i| chosen[i].clone()).collect();
    // Drop every trip the clash does not need (a superset of a clash clashes).
    let mut i = 0;
    while i < chosen.len() {
        let trip = chosen.remove(i);
        if fits(&chosen) {
            chosen.insert(i, trip);
            i += 1;
        }
    }
    Some(chosen.into_iter().map(|(c, _)| c).collect())
}

/// What the search frees: the trip and day columns of each component of
/// specialties (see [`components`]), week by week, in windows (see
/// `lns::hoods`). A program of several components moves one at a
/// time, the others fixed, so that the rooms they share stay counted.
fn search_groups(ctx: &Context<'_>, weeks: &[vars::WeekVars]) -> Vec<Vec<lns::WeekColumns>> {
    let s = ctx.scenario;
    let mut group_of = vec![0usize; s.specialties.len()];
    for (g, set) in components(s).iter().enumerate() {
        for sp in set {
            group_of[sp.index()] = g;
        }
    }
    let n = s.horizon.weeks as usize;
    let mut groups: BTreeMap<usize, Vec<lns::WeekColumns>> = BTreeMap::new();
    // The fixed weeks of a replan have nothing to search.
    let first = ctx.published().map_or(0, |p| p.first_week);
    for (unit, wv) in weeks.iter().enumerate().filter(|(_, wv)| wv.week >= first) {
        let sp = s.specialist(wv.record).specialty;
        let max_days = f64::from(s.specialty(sp).max_days);
        let group = groups
            .entry(group_of[sp.index()])
            .or_insert_with(|| vec![lns::WeekColumns::default(); n]);
        let cols = &mut group[wv.week as usize].cols;
        let col = |col, upper| lns::Col {
            col,
            lower: 0.0,
            upper,
            unit,
        };
        cols.extend(wv.routes.iter().map(|rv| col(rv.col, 1.0)));
        cols.extend(
            wv.stay_days
                .values()
                .chain(wv.commute_days.values())
                .map(|(_, c)| col(*c, max_days)),
        );
    }
    groups.into_values().collect()
}

#[cfg(test)]
mod combine_tests {
    use super::*;

    fn p(incumbent: Option<f64>, bound: Option<f64>) -> Option<Progress> {
        Some(Progress {
            incumbent,
            bound,
            gap_percent: None,
            seconds: 0.0,
            parts: (1, 1),
        })
    }

    #[test]
    fn parts_that_reported_show_before_the_others() {
        let now = Instant::now();
        let some = combine(
            &[p(Some(10.0), Some(5.0)), None, p(Some(7.0), None)],
            now,
            None,
        );
        assert_eq!((some.incumbent, some.bound), (Some(10.0), Some(5.0)));
        assert_eq!(some.parts, (1, 3));
        assert_eq!(some.gap_percent, None, "no gap over some parts");
        let all = combine(
            &[p(Some(10.0), Some(5.0)), p(Some(10.0), Some(5.0))],
            now,
            None,
        );
        assert_eq!(all.parts, (2, 2));
        assert_eq!(all.gap_percent, Some(50.0));
        assert_eq!(combine(&[None, None], now, None).incumbent, None);
    }

    #[test]
    fn a_proven_bound_needs_only_the_parts_plans() {
        let now = Instant::now();
        let half = combine(&[p(Some(10.0), None), None], now, Some(5.0));
        assert_eq!((half.incumbent, half.gap_percent), (None, None));
        assert_eq!(half.parts, (1, 2));
        let all = combine(&[p(Some(10.0), None), p(Some(10.0), None)], now, Some(5.0));
        assert_eq!(all.incumbent, Some(20.0));
        assert_eq!(all.gap_percent, Some(75.0));
    }
}
