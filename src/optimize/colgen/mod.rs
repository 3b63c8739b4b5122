//! A lower bound from a Dantzig–Wolfe reformulation, by column generation.
//!
//! Every waiting list chooses one visit pattern (see [`List`]): its
//! spacing, coverage windows and backlog live inside the pattern's cost, so
//! the relaxation sees each list's true sawtooth. Every person chooses at
//! most one trip a week (a record's route with consultation days per stop,
//! within the week's longest free run). The master links them: the days a
//! list's pattern consults in a week are at most the days trips give it
//! that week, and each record keeps its monthly trip and days-away limits.
//! Rooms, confirmed-visit penalties and published-visit penalties are left
//! out: each only adds cost or removes plans, so what is left is a
//! relaxation of the program and its bound holds for it.
//!
//! The bound is Lagrangian: for the master's duals `y` of the linking and
//! monthly rows (any `y ≤ 0` would do),
//! `L(y) = Σ y·b + Σ_lists min_pattern (cost − y·a) + Σ_person-weeks min(0, min_trip (cost − y·a))`
//! is a lower bound on every plan's objective. It is computed at every
//! round from the pricing that generates the columns anyway, so a bound
//! exists as soon as one round is done, whenever the time runs out.

mod branch;
mod lp;
mod pattern;

pub use pattern::{List, Pattern};

use super::context::Context;
use super::parts::Scope;
use crate::model::{PersonId, SpecialistId};
use lp::Lp;
use rayon::prelude::*;
use std::collections::HashMap;
use std::time::Instant;

/// What column generation proved.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bound {
    /// The best Lagrangian bound of any round (currency).
    #[serde(with = "crate::output::any_f64")]
    pub value: f64,
    /// The root's bound: the reformulation's LP value when it converged.
    #[serde(with = "crate::output::any_f64")]
    pub root: f64,
    /// The root master LP's last value (an upper bound of the LP relaxation
    /// while columns are still missing; equal to `root` at convergence;
    /// infinite before the first master LP of a large program is solved).
    #[serde(with = "crate::output::any_f64")]
    pub master: f64,
    /// Nodes of the branch-and-price tree solved, the root included (one
    /// root per group of regions bounded apart).
    pub nodes: usize,
    /// Whether the tree was closed: every branch pruned by the start plan's
    /// value, so `value` is the best the relaxation allows.
    pub closed: bool,

    /// Pricing rounds run.
    pub rounds: usize,
    /// Columns generated (patterns and trips).
    pub columns: usize,
    /// Seconds until the first bound, and in all.
    pub first_seconds: f64,
    /// See `first_seconds`.
    pub seconds: f64,
    /// Whether the root converged (no column prices out): `root` is the
    /// reformulation's LP bound.
    pub converged: bool,
}

/// Relative tolerance for a column to price out, and for convergence.
const TOL: f64 = 1e-7;

/// A record's trip in one week, as the master sees it.
struct TripCol {
    cost: f64,
    /// (list, days) per stop.
    stops: Vec<(usize, u32)>,
    away: u32,
    /// What it uses of each travel budget, in the order of `budget_rows`.
    uses: Vec<f64>,
}

/// The master's rows and the facts pricing needs.
struct Master<'a> {
    ctx: &'a Context<'a>,
    lists: Vec<List>,
    /// List index of (locality, specialty).
    list_of: HashMap<(usize, usize), usize>,
    /// Row of each list's convexity.
    conv: Vec<usize>,
    /// Linking row of (list, week), where some trip can supply it.
    link: HashMap<(usize, u32), usize>,
    /// Row of each (person, week) with a trip to choose.
    person_week: Vec<((PersonId, u32), usize)>,
    /// Monthly rows of a record: (month, trips row, days row).
    months: HashMap<(SpecialistId, (i32, u32)), (usize, usize)>,
    /// Right-hand sides of the monthly rows, by row (and of the budget rows:
    /// every `≤` row a trip column enters with a positive coefficient).
    monthly_rhs: Vec<(usize, f64)>,
    /// The row of each travel budget, in the order of `ctx.budgets`.
    budget_rows: Vec<usize>,
    /// Told every better bound of the whole scope; may stop it early.
    watch: Watch<'a>,
}

/// Who watches a bound proven alongside a plan's search: told each better
/// bound as it rises (the live progress line), and able to stop it early
/// (the search ended without a plan: the bound is of no use).
#[derive(Clone, Copy, Default)]
pub struct Watch<'a> {
    /// Told each better bound.
    pub report: Option<&'a (dyn Fn(f64) + Sync)>,
    /// Set: stop at the next round.
    pub stop: Option<&'a std::sync::atomic::AtomicBool>,
}

impl<'a> Master<'a> {
    /// The master of the lists and records `scope` covers (lists of other
    /// regions are served by nobody here).
    fn new(ctx: &'a Context<'a>, scope: &Scope, lp: &mut Lp, watch: Watch<'a>) -> Master<'a> {
        let s = ctx.scenario;
        let n = s.horizon.weeks;
        let mut lists = Vec::new();
        let mut list_of = HashMap::new();
        for d in s.demand.iter().filter(|d| scope.covers_demand(s, d)) {
            let sp = s.specialty(d.specialty);
            list_of.insert((d.locality.index(), d.specialty.index()), lists.len());
            let extra = s.jornada_capacity(d.locality, d.specialty);
            lists.push(List {
                waiting: d.waiting,
                referrals: d
                    .referrals_by_week(&s.horizon)
                    .iter()
                    .zip(&extra)
                    .map(|(r, x)| r - x)
                    .collect(),
                weight: s.weights.patient_week * sp.waiting_weight,
                per_day: f64::from(sp.patients_per_day),
                min_days: sp.min_days,
                max_days: sp.max_days,
                spacing: sp.min_spacing_weeks,
                max_gap: sp.max_gap_weeks,
                gap_penalty: s.weights.coverage_gap_week,
            });
        }
        let conv = lists.iter().map(|_| lp.add_row(1.0, 1.0)).collect();
        let mut link = HashMap::new();
        let mut person_week = Vec::new();
        let mut months = HashMap::new();
        let mut monthly_rhs = Vec::new();
        for (p, person) in s.persons.iter().enumerate() {
            let pid = PersonId::from_index(p);
            for w in 0..n {
                let mut any = false;
                for r in person
                    .records
                    .iter()
                    .filter(|r| scope.covers_record(s, **r))
                {
                    let (_, routes) = ctx.routes_within_budget(*r, w);
                    if routes.is_empty() {
                        continue;
                    }
                    any = true;
                    let sp = s.specialist(*r).specialty.index();
                    for route in routes {
                        for (l, _) in &route.stops {
                            if let Some(i) = list_of.get(&(l.index(), sp)) {
                                link.entry((*i, w))
                                    .or_insert_with(|| lp.add_row(f64::NEG_INFINITY, 0.0));
                            }
                        }
                    }
                    let rec = s.specialist(*r);
                    for m in ctx.months(w) {
                        months.entry((*r, m)).or_insert_with(|| {
                            let t =
                                lp.add_row(f64::NEG_INFINITY, f64::from(rec.max_trips_per_month));
                            let d = lp
                                .add_row(f64::NEG_INFINITY, f64::from(rec.max_days_away_per_month));
                            monthly_rhs.push((t, f64::from(rec.max_trips_per_month)));
                            monthly_rhs.push((d, f64::from(rec.max_days_away_per_month)));
                            (t, d)
                        });
                    }
                }
                if any {
                    person_week.push(((pid, w), lp.add_row(f64::NEG_INFINITY, 1.0)));
                }
            }
        }
        // Budget rows are scaled to a right-hand side of 1: in km or pesos
        // their supergradient would outweigh every other row's, and the
        // subgradient steps would move nothing else.
        let budget_rows: Vec<usize> = ctx
            .budgets
            .iter()
            .map(|b| {
                let rhs = b.limit / budget_scale(b);
                let row = lp.add_row(f64::NEG_INFINITY, rhs);
                monthly_rhs.push((row, rhs));
                row
            })
            .collect();
        Master {
            ctx,
            lists,
            list_of,
            conv,
            link,
            person_week,
            months,
            monthly_rhs,
            budget_rows,
            watch,
        }
    }

    /// Tell the watch a bound of the whole scope.
    fn proved(&self, bound: f64) {
        if let Some(r) = self.watch.report {
            r(bound);
        }
    }

    /// Whether the bound must stop: `deadline` passed, or told to.
    fn halted(&self, deadline: Instant) -> bool {
        Instant::now() >= deadline
            || self
                .watch
                .stop
                .is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Price per consultation day of list `i` in each week (`None` where no
    /// trip can supply it).
    fn day_prices(&self, i: usize, y: &[f64]) -> Vec<Option<f64>> {
        (0..self.ctx.scenario.horizon.weeks)
            .map(|w| self.link.get(&(i, w)).map(|r| -y[*r].min(0.0)))
            .collect()
    }

    /// The master's column of pattern `p` of list `i`: (row, coefficient).
    /// The one definition the LP, the reduced costs and the subgradient use.
    fn pattern_entries(&self, i: usize, p: &Pattern) -> Vec<(usize, f64)> {
        let mut entries = vec![(self.conv[i], 1.0)];
        for (w, d) in p.days.iter().enumerate() {
            if *d > 0 {
                entries.push((self.link[&(i, w as u32)], f64::from(*d)));
            }
        }
        entries
    }

    fn add_pattern(&self, rmp: &mut Rmp, i: usize, p: &Pattern) {
        rmp.lp.add_col(p.cost, &self.pattern_entries(i, p));
        rmp.kinds.push(Kind::Pattern(i, p.days.clone()));
    }

    /// The trip of least reduced cost (without the person-week's dual) of
    /// person-week `k`, or `None` when it has none.
    fn best_trip(
        &self,
        k: usize,
        y: &[f64],
        rules: &Rules,
    ) -> Option<(f64, TripCol, SpecialistId, u32)> {
        let s = self.ctx.scenario;
        let ((p, w), _) = self.person_week[k];
        let mut best: Option<(f64, TripCol, SpecialistId, u32)> = None;
        for r in &s.person(p).records {
            let rec = s.specialist(*r);
            let sp = s.specialty(rec.specialty);
            let (budget, routes) = self.ctx.routes_within_budget(*r, w);
            let months: Vec<(usize, usize)> = self
                .ctx
                .months(w)
                .iter()
                .filter_map(|m| self.months.get(&(*r, *m)).copied())
                .collect();
            let per_trip: f64 = months.iter().map(|(t, _)| -y[*t].min(0.0)).sum();
            let per_away_day: f64 = months.iter().map(|(_, d)| -y[*d].min(0.0)).sum();
            // The price of each budget's unit at these duals (≥ 0).
            let (mut per_km, mut per_cost) = (0.0, 0.0);
            for (b, row) in self.ctx.budgets.iter().zip(&self.budget_rows) {
                let price = -y[*row].min(0.0) / budget_scale(b);
                match b.kind {
                    crate::optimize::budget::Kind::Km => per_km += price,
                    crate::optimize::budget::Kind::Cost => per_cost += price,
                }
            }
            for route in routes {
                // A consultation day costs its price and what it uses of a
                // cost budget.
                let per_day = route.cost_per_day(s);
                let priced_day = per_day * (1.0 + per_cost);
                let mut stops: Vec<(usize, f64, u32)> = Vec::with_capacity(route.stops.len());
                for (l, _) in &route.stops {
                    let i = self
                        .list_of
                        .get(&(l.index(), rec.specialty.index()))
                        .copied();
                    let gain = i
                        .and_then(|i| self.link.get(&(i, w)))
                        .map_or(0.0, |row| y[*row].min(0.0));
                    stops.push((
                        i.unwrap_or(usize::MAX),
                        priced_day + gain + per_away_day,
                        sp.min_days,
                    ));
                }
                // Fill the free days where a day is worth most, within each
                // stop's most days: exact, every day weighs the same.
                let mut left =
                    budget.saturating_sub(route.travel_days + sp.min_days * stops.len() as u32);
                let mut order: Vec<usize> = (0..stops.len()).collect();
                order.sort_by(|a, b| stops[*a].1.total_cmp(&stops[*b].1));
                for j in order {
                    while left > 0 && stops[j].2 < sp.max_days && stops[j].1 < 0.0 {
                        stops[j].2 += 1;
                        left -= 1;
                    }
                }
                if !rules.allows_trip(k, stops.iter().map(|x| x.0)) {
                    continue;
                }
                let days: u32 = stops.iter().map(|x| x.2).sum();
                let cost = route.fixed_cost(s) + per_day * f64::from(days);
                let away = days + route.travel_days;
                let rc = route.fixed_cost(s) * (1.0 + per_cost)
                    + per_km * route.km
                    + per_trip
                    + per_away_day * f64::from(route.travel_days)
                    + stops.iter().map(|x| x.1 * f64::from(x.2)).sum::<f64>();
                if best.as_ref().is_none_or(|b| rc < b.0) {
                    let col = TripCol {
                        cost,
                        stops: stops
                            .iter()
                            .filter(|x| x.0 != usize::MAX)
                            .map(|x| (x.0, x.2))
                            .collect(),
                        away,
                        uses: self
                            .ctx
                            .budgets
                            .iter()
                            .map(|b| b.of_trip(s, route, days))
                            .collect(),
                    };
                    best = Some((rc, col, *r, w));
                }
            }
        }
        best
    }

    /// The master's column of trip `t` of record `r` in person-week `k`
    /// (week `w`): (row, coefficient), as [`Master::pattern_entries`].
    fn trip_entries(&self, k: usize, t: &TripCol, r: SpecialistId, w: u32) -> Vec<(usize, f64)> {
        let mut entries = vec![(self.person_week[k].1, 1.0)];
        for (i, d) in &t.stops {
            entries.push((self.link[&(*i, w)], -f64::from(*d)));
        }
        for m in self.ctx.months(w) {
            if let Some((tr, dr)) = self.months.get(&(r, m)) {
                entries.push((*tr, 1.0));
                entries.push((*dr, f64::from(t.away)));
            }
        }
        for ((row, used), b) in self.budget_rows.iter().zip(&t.uses).zip(&self.ctx.budgets) {
            entries.push((*row, *used / budget_scale(b)));
        }
        entries
    }

    fn add_trip(&self, rmp: &mut Rmp, k: usize, t: &TripCol, r: SpecialistId, w: u32) {
        rmp.lp.add_col(t.cost, &self.trip_entries(k, t, r, w));
        rmp.kinds
            .push(Kind::Trip(k, t.stops.iter().map(|(i, _)| *i).collect()));
    }
}

/// The unit a budget row is written in: its limit (at least 1), so that
/// the row reads "share of the budget used ≤ 1".
fn budget_scale(b: &crate::optimize::Budget) -> f64 {
    b.limit.max(1.0)
}

/// Reduced cost of a column of `cost` and `entries` under duals `y`.
fn reduced_cost(cost: f64, entries: &[(usize, f64)], y: &[f64]) -> f64 {
    cost - entries.iter().map(|(r, a)| y[*r] * a).sum::<f64>()
}

/// What pricing at some duals gives: the Lagrangian bound there, and the
/// best pattern of each list and trip of each person-week.
struct Priced {
    lagrangian: f64,
    patterns: Vec<Pattern>,
    /// The best trip of each person-week, with its reduced cost (without
    /// the person-week's own dual).
    trips: Vec<Option<(f64, TripCol, SpecialistId, u32)>>,
}

/// Pricing at duals `y` within a branch's `rules`; `None` when some list
/// has no pattern that keeps them (the branch holds no plan).
fn price(m: &Master<'_>, y: &[f64], rules: &Rules) -> Option<Priced> {
    let n = m.ctx.scenario.horizon.weeks as usize;
    let patterns: Vec<(f64, Pattern)> = (0..m.lists.len())
        .into_par_iter()
        .map(|i| {
            let mut prices = m.day_prices(i, y);
            let required = rules.apply(i, &mut prices, n);
            let (p, v) = m.lists[i].price_within(&prices, &required)?;
            Some((v, p))
        })
        .collect::<Option<Vec<_>>>()?;
    let trips: Vec<Option<(f64, TripCol, SpecialistId, u32)>> = (0..m.person_week.len())
        .into_par_iter()
        .map(|k| m.best_trip(k, y, rules))
        .collect();
    if (0..trips.len()).any(|k| trips[k].is_none() && rules.requires_trip(k)) {
        return None;
    }
    let lagrangian = m
        .monthly_rhs
        .iter()
        .map(|(r, b)| y[*r].min(0.0) * b)
        .sum::<f64>()
        + patterns.iter().map(|(v, _)| v).sum::<f64>()
        + trips
            .iter()
            .enumerate()
            .map(|(k, t)| match t {
                // A branch that requires a trip takes one, whatever it costs.
                Some(t) if rules.requires_trip(k) => t.0,
                Some(t) => t.0.min(0.0),
                None => 0.0,
            })
            .sum::<f64>();
    Some(Priced {
        lagrangian,
        patterns: patterns.into_iter().map(|(_, p)| p).collect(),
        trips,
    })
}

/// A supergradient of the Lagrangian at the point `priced` was priced at:
/// each relaxed row's right-hand side less what the priced plan puts in it.
fn supergradient(m: &Master<'_>, priced: &Priced, rows: usize) -> Vec<f64> {
    // Rows that are not relaxed (convexity, person-weeks) get entries
    // too; the ascent leaves them out.
    let mut g = vec![0.0; rows];
    for (r, b) in &m.monthly_rhs {
        g[*r] += b;
    }
    let chosen = priced
        .patterns
        .iter()
        .enumerate()
        .map(|(i, p)| m.pattern_entries(i, p))
        .chain(priced.trips.iter().enumerate().filter_map(|(k, t)| {
            let (rc, col, r, w) = t.as_ref()?;
            (*rc < 0.0).then(|| m.trip_entries(k, col, *r, *w))
        }));
    for entries in chosen {
        for (r, a) in entries {
            g[r] -= a;
        }
    }
    g
}

/// Subgradient ascent on the Lagrangian from `y` (Polyak steps towards
/// `target`, an objective some plan reaches): cheap rounds of pricing alone
/// that bring the duals near the optimum before the master LP, whose first
/// duals swing far (they value a consultation day at whatever the first
/// columns make it). Returns the best bound and its duals.
fn ascend(
    m: &Master<'_>,
    mut y: Vec<f64>,
    target: f64,
    iterations: usize,
    deadline: Instant,
) -> (f64, Vec<f64>, usize) {
    let relaxed: Vec<bool> = {
        let mut r = vec![false; y.len()];
        for row in m.link.values() {
            r[*row] = true;
        }
        for (row, _) in &m.monthly_rhs {
            r[*row] = true;
        }
        r
    };
    let (mut best, mut best_y) = (f64::NEG_INFINITY, y.clone());
    let (mut theta, mut stalled) = (1.0, 0);
    let mut done = 0;
    for _ in 0..iterations {
        if m.halted(deadline) {
            break;
        }
        let Some(priced) = price(m, &y, &Rules::default()) else {
            break;
        };
        done += 1;
        if priced.lagrangian > best {
            best = priced.lagrangian;
            best_y.clone_from(&y);
            stalled = 0;
            m.proved(best);
        } else {
            stalled += 1;
            if stalled >= 5 {
                theta /= 2.0;
                stalled = 0;
            }
        }
        let g = supergradient(m, &priced, y.len());
        let norm: f64 = g
            .iter()
            .zip(&relaxed)
            .filter(|(_, r)| **r)
            .map(|(x, _)| x * x)
            .sum();
        if norm <= 0.0 || target <= priced.lagrangian {
            break;
        }
        let step = theta * (target - priced.lagrangian) / norm;
        for ((yi, gi), r) in y.iter_mut().zip(&g).zip(&relaxed) {
            if *r {
                *yi = (*yi + step * gi).min(0.0);
            }
        }
    }
    (best, best_y, done)
}

/// Subgradient steps before the master LP takes over.
const ASCENT_STEPS: usize = 150;

/// Weight of the best duals so far in the duals priced at (Wentges
/// smoothing): the master's own duals swing from round to round, and
/// pricing near the best point found keeps the bound rising.
const SMOOTHING: f64 = 0.7;

/// The greedy plan's trips: the start [`bound`] is usually given.
pub fn greedy_start(ctx: &Context<'_>) -> Vec<super::Pick> {
    super::greedy::plan(ctx)
}

/// Column generation from the trips of `start` (a plan, e.g. the greedy
/// one) until it converges, then branch-and-price (`colgen/branch.rs`) until
/// the tree is closed or `deadline`; its LP on `threads` threads (see
/// `optimize::solve_threads`). `None` when not a single round could be
/// completed in time.
pub fn bound(
    ctx: &Context<'_>,
    start: &[super::Pick],
    threads: u32,
    deadline: Instant,
) -> Option<Bound> {
    bound_within(ctx, start, threads, deadline, usize::MAX)
}

/// [`bound`] with at most `max_nodes` nodes of the tree besides the root
/// (0: the root alone).
///
/// Groups of planning regions share no person (see
/// `optimize::region_groups`), so each is bounded apart and the bounds
/// add up: a national network is many province-sized masters, not one
/// master the size of the country. Each group gets an equal share of the
/// time on as many threads as rayon has; the bound exists only when every
/// group has one.
pub fn bound_within(
    ctx: &Context<'_>,
    start: &[super::Pick],
    threads: u32,
    deadline: Instant,
    max_nodes: usize,
) -> Option<Bound> {
    bound_watched(ctx, start, threads, (deadline, max_nodes), Watch::default())
}

/// [`bound_within`] (until `deadline` or `max_nodes`), watched by `watch`.
pub fn bound_watched(
    ctx: &Context<'_>,
    start: &[super::Pick],
    threads: u32,
    (deadline, max_nodes): (Instant, usize),
    watch: Watch<'_>,
) -> Option<Bound> {
    let s = ctx.scenario;
    let groups = super::region_groups(s);
    // A travel budget couples every region: one master for all.
    if groups.len() <= 1 || !ctx.budgets.is_empty() {
        let all = Scope::all(s);
        return bound_of(ctx, &all, start, threads, (deadline, max_nodes), watch);
    }
    let started = Instant::now();
    let scopes: Vec<Scope> = groups
        .into_iter()
        .map(|g| Scope {
            regions: Some(g),
            ..Scope::all(s)
        })
        .collect();
    let workers = rayon::current_num_threads().clamp(1, scopes.len());
    let share = deadline
        .saturating_duration_since(started)
        .mul_f64(workers as f64 / scopes.len() as f64);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let found: std::sync::Mutex<Vec<Option<Bound>>> =
        std::sync::Mutex::new(vec![None; scopes.len()]);
    // The sum is a bound once every group has one.
    let latest: std::sync::Mutex<Vec<Option<f64>>> =
        std::sync::Mutex::new(vec![None; scopes.len()]);
    let tell = |k: usize, b: f64| {
        let mut l = latest.lock().unwrap_or_else(|e| e.into_inner());
        l[k] = Some(b);
        if let (Some(r), Some(sum)) = (watch.report, l.iter().copied().sum::<Option<f64>>()) {
            r(sum);
        }
    };
    std::thread::scope(|sc| {
        for _ in 0..workers {
            sc.spawn(|| {
                loop {
                    let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(scope) = scopes.get(k) else { break };
                    let until = (Instant::now() + share).min(deadline);
                    let mine = |b: f64| tell(k, b);
                    let group = Watch {
                        report: Some(&mine),
                        ..watch
                    };
                    let b = bound_of(ctx, scope, start, threads, (until, max_nodes), group);
                    found.lock().unwrap_or_else(|e| e.into_inner())[k] = b;
                }
            });
        }
    });
    let parts = found
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .collect::<Option<Vec<Bound>>>()?;
    let sum = |f: fn(&Bound) -> f64| parts.iter().map(f).sum::<f64>();
    Some(Bound {
        value: sum(|b| b.value),
        root: sum(|b| b.root),
        master: sum(|b| b.master),
        nodes: parts.iter().map(|b| b.nodes).sum(),
        closed: parts.iter().all(|b| b.closed),
        rounds: parts.iter().map(|b| b.rounds).sum(),
        columns: parts.iter().map(|b| b.columns).sum(),
        first_seconds: parts.iter().map(|b| b.first_seconds).fold(0.0, f64::max),
        seconds: started.elapsed().as_secs_f64(),
        converged: parts.iter().all(|b| b.converged),
    })
}

/// The bound of the lists and records `scope` covers.
fn bound_of(
    ctx: &Context<'_>,
    scope: &Scope,
    start: &[super::Pick],
    threads: u32,
    (deadline, max_nodes): (Instant, usize),
    watch: Watch<'_>,
) -> Option<Bound> {
    let started = Instant::now();
    let mut rmp = Rmp {
        lp: Lp::new(threads),
        kinds: Vec::new(),
    };
    let m = Master::new(ctx, scope, &mut rmp.lp, watch);
    let start_value = seed(&m, &mut rmp, start);
    // Duals all zero are a first point: every list visited as its rules
    // allow, with no staffing limit (a bound before any LP is solved).
    // Subgradient steps from there, towards the start plan's value, bring
    // the duals near the optimum cheaply; the master then converges from
    // them (they are the stability centre of its smoothed pricing).
    let zero = vec![0.0; rmp.lp.rows()];
    let root_rules = Rules::default();
    let first_bound = price(&m, &zero, &root_rules)?.lagrangian;
    m.proved(first_bound);
    let first = started.elapsed().as_secs_f64();
    let target = rmp.lp.solve().map_or(f64::INFINITY, |s| s.objective);
    let (ascended, centre, steps) = ascend(&m, zero, target, ASCENT_STEPS, deadline);
    let root = generate(
        &m,
        &mut rmp,
        &root_rules,
        first_bound.max(ascended),
        centre,
        (f64::INFINITY, TOL),
        deadline,
    )?;
    let mut b = Bound {
        value: root.bound,
        root: root.bound,
        master: root.master,
        rounds: 1 + steps + root.rounds,
        columns: 0,
        nodes: 1,
        first_seconds: first,
        seconds: 0.0,
        converged: root.converged,
        closed: false,
    };
    // Branches that cannot beat the start are dropped; any value would
    // keep the tree's bound valid, and a plan's value keeps it closable.
    let cutoff = start_value.unwrap_or(target);
    if root.converged && max_nodes > 0 && !m.halted(deadline) && cutoff.is_finite() {
        branch::add_artificial_supply(&m, &mut rmp);
        let tree = branch::search(&m, &mut rmp, root, cutoff, deadline, max_nodes);
        b.value = b.value.max(tree.bound);
        b.rounds += tree.rounds;
        b.nodes += tree.nodes;
        b.closed = tree.closed;
    }
    b.columns = rmp.lp.cols();
    b.seconds = started.elapsed().as_secs_f64();
    Some(b)
}

/// The restricted master: its LP and what each of its columns is, so that
/// a branch can take out the patterns it forbids.
struct Rmp {
    lp: Lp,
    kinds: Vec<Kind>,
}

/// What a master column is.
enum Kind {
    /// A visit pattern of a list: (list, days per week).
    Pattern(usize, Vec<u32>),
    /// A trip of a person-week: (person-week, lists it consults for).
    Trip(usize, Vec<usize>),
    /// A branch's artificial supply.
    Other,
}

/// A branch of the search tree: the weeks in which lists must or must not
/// be visited, as (list, week, visited).
/// A branch may also decide whether a person's trip of a week (a
/// person-week, see `Master::person_week`) consults for a list, as
/// (person-week, list, consults): once the visits are whole, the trips that
/// give them their days may still be mixed.
#[derive(Clone, Debug, Default)]
struct Rules {
    fixes: Vec<(usize, u32, bool)>,
    trips: Vec<(usize, usize, bool)>,
}

impl Rules {
    /// Remove the price of the weeks the branch forbids list `i` to be
    /// visited in, and return the weeks it requires (empty when none) of a
    /// horizon of `n` weeks.
    fn apply(&self, i: usize, prices: &mut [Option<f64>], n: usize) -> Vec<bool> {
        let mut required = Vec::new();
        for (l, w, visit) in &self.fixes {
            if *l != i {
                continue;
            }
            if *visit {
                required.resize(n, false);
                required[*w as usize] = true;
            } else {
                prices[*w as usize] = None;
            }
        }
        required
    }

    /// Whether the branch decides nothing (the root: its bounds hold for
    /// every plan).
    fn is_root(&self) -> bool {
        self.fixes.is_empty() && self.trips.is_empty()
    }

    /// Whether list `i` visiting on `days` keeps the branch.
    fn allows(&self, i: usize, days: &[u32]) -> bool {
        self.fixes
            .iter()
            .all(|(l, w, visit)| *l != i || (days[*w as usize] > 0) == *visit)
    }

    /// This branch with list `i` visited in week `w` or not.
    fn with(&self, i: usize, w: u32, visit: bool) -> Rules {
        let mut r = self.clone();
        r.fixes.push((i, w, visit));
        r
    }

    /// This branch with person-week `k`'s trip consulting for list `i` or
    /// not.
    fn with_trip(&self, k: usize, i: usize, consults: bool) -> Rules {
        let mut r = self.clone();
        r.trips.push((k, i, consults));
        r
    }

    /// Whether a trip of person-week `k` consulting for `lists` keeps the
    /// branch.
    fn allows_trip(&self, k: usize, lists: impl Iterator<Item = usize> + Clone) -> bool {
        self.trips
            .iter()
            .all(|(p, i, consults)| *p != k || lists.clone().any(|l| l == *i) == *consults)
    }

    /// Whether the branch requires person-week `k` to travel.
    fn requires_trip(&self, k: usize) -> bool {
        self.trips
            .iter()
            .any(|(p, _, consults)| *p == k && *consults)
    }
}

/// What column generation reached at one node of the tree.
struct Generated {
    /// The best Lagrangian bound of the node.
    bound: f64,
    /// The duals it was found at.
    centre: Vec<f64>,
    /// The last master LP's value.
    master: f64,
    /// Whether no column priced out.
    converged: bool,
    rounds: usize,
    /// The last master LP's column values.
    x: Vec<f64>,
}

/// Column generation within `rules` from the Lagrangian bound `best` found
/// at the duals `centre`, until it converges (the master LP within `tol`,
/// relative, of the bound), the bound reaches `cutoff` (a plan's value:
/// nothing in the branch is better), or `deadline`. `None` when the branch
/// holds no plan.
fn generate(
    m: &Master<'_>,
    rmp: &mut Rmp,
    rules: &Rules,
    mut best: f64,
    mut center: Vec<f64>,
    (cutoff, tol): (f64, f64),
    deadline: Instant,
) -> Option<Generated> {
    let mut rounds = 0;
    let mut master = f64::NAN;
    let mut converged = false;
    let mut x = Vec::new();
    while !m.halted(deadline) && best < cutoff {
        rmp.lp.set_time_limit(
            deadline
                .saturating_duration_since(Instant::now())
                .as_secs_f64(),
        );
        let Some(sol) = rmp.lp.solve() else { break };
        master = sol.objective;
        x = sol.x;
        let scale = master.abs().max(1.0);
        let mut added = 0;
        // Price at the smoothed duals first; if nothing they give prices
        // out under the master's own duals, price at those.
        for alpha in [SMOOTHING, 0.0] {
            let y: Vec<f64> = center
                .iter()
                .zip(&sol.y)
                .map(|(a, b)| alpha * a + (1.0 - alpha) * b)
                .collect();
            let priced = price(m, &y, rules)?;
            rounds += 1;
            if priced.lagrangian > best {
                best = priced.lagrangian;
                center.clone_from(&y);
                if rules.is_root() {
                    m.proved(best);
                }
            }
            for (i, p) in priced.patterns.iter().enumerate() {
                if reduced_cost(p.cost, &m.pattern_entries(i, p), &sol.y) < -TOL * scale {
                    m.add_pattern(rmp, i, p);
                    added += 1;
                }
            }
            for (k, t) in priced.trips.iter().enumerate() {
                if let Some((_, col, r, w)) = t
                    && reduced_cost(col.cost, &m.trip_entries(k, col, *r, *w), &sol.y)
                        < -TOL * scale
                {
                    m.add_trip(rmp, k, col, *r, *w);
                    added += 1;
                }
            }
            if added > 0 {
                break;
            }
        }
        if added == 0 || master - best <= tol * scale {
            converged = true;
            break;
        }
    }
    Some(Generated {
        bound: best,
        centre: center,
        master,
        converged,
        rounds,
        x,
    })
}

/// The first columns: every list unvisited (so the master is feasible),
/// and the trips of `start` with the pattern they give each list.
///
/// Returns the start's value in the relaxation when each list's days in it
/// keep the list's rules (a plan of the relaxation), `None` otherwise.
fn seed(m: &Master<'_>, rmp: &mut Rmp, start: &[super::Pick]) -> Option<f64> {
    let s = m.ctx.scenario;
    let n = s.horizon.weeks as usize;
    let mut days: Vec<Vec<u32>> = vec![vec![0; n]; m.lists.len()];
    let mut value = 0.0;
    let person_week: HashMap<(PersonId, u32), usize> = m
        .person_week
        .iter()
        .enumerate()
        .map(|(k, (pw, _))| (*pw, k))
        .collect();
    for pick in start {
        let rec = s.specialist(pick.record);
        let Some(route) = pick.route(m.ctx) else {
            continue;
        };
        let Some(k) = person_week.get(&(rec.person, pick.week)) else {
            continue;
        };
        let total: u32 = pick.days.iter().sum();
        let mut stops = Vec::new();
        for (l, d) in pick.stops.iter().zip(&pick.days) {
            if let Some(i) = m.list_of.get(&(l.index(), rec.specialty.index()))
                && m.link.contains_key(&(*i, pick.week))
            {
                stops.push((*i, *d));
                days[*i][pick.week as usize] += d;
            }
        }
        let col = TripCol {
            cost: route.fixed_cost(s) + route.cost_per_day(s) * f64::from(total),
            stops,
            away: total + route.travel_days,
            uses: m
                .ctx
                .budgets
                .iter()
                .map(|b| b.of_trip(s, route, total))
                .collect(),
        };
        value += col.cost;
        m.add_trip(rmp, *k, &col, pick.record, pick.week);
    }
    let mut kept = true;
    let no_price: Vec<Option<f64>> = vec![Some(0.0); n];
    for (i, list) in m.lists.iter().enumerate() {
        let none = vec![0; n];
        let cost = list.cost(&none);
        m.add_pattern(rmp, i, &Pattern { days: none, cost });
        let d: Vec<u32> = days[i].iter().map(|d| (*d).min(list.max_days)).collect();
        if !d.iter().any(|x| *x > 0) {
            value += cost;
        } else if list.allows(&d, &no_price) {
            let cost = list.cost(&d);
            value += cost;
            m.add_pattern(rmp, i, &Pattern { days: d, cost });
        } else {
            kept = false;
        }
    }
    kept.then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regions that share no person are bounded apart: converged, the sum
    /// of the groups' bounds is the bound of one master over all of them
    /// (its LP is separable), so nothing is lost by splitting.
    #[test]
    fn regions_bounded_apart_add_up_to_the_whole() {
        let p = crate::generate::Params {
            localities: 50,
            specialists: 56,
            weeks: 8,
            seed: 5,
            regions: Some(2),
        };
        let dir = tempfile::tempdir().expect("a temporary folder");
        for f in crate::generate::generate(&p).expect("valid parameters") {
            std::fs::write(dir.path().join(f.name), f.text).expect("written");
        }
        let s = crate::scenario::load(dir.path()).expect("a valid scenario");
        assert_eq!(super::super::region_groups(&s).len(), 2);
        let net = crate::network::RoadNetwork::new(&s);
        let ctx = Context::new(&s, &net);
        let start = greedy_start(&ctx);
        let far = Instant::now() + std::time::Duration::from_secs(300);
        let split = bound_within(&ctx, &start, 1, far, 0).expect("a bound");
        let whole = bound_of(&ctx, &Scope::all(&s), &start, 1, (far, 0), Watch::default())
            .expect("a bound");
        assert!(split.converged && whole.converged, "{split:?} {whole:?}");
        assert!(
            (split.value - whole.value).abs() <= 1e-6 * whole.value.abs().max(1.0),
            "apart {} against whole {}",
            split.value,
            whole.value
        );
    }

    /// A search that ends without a plan stops the bound proven alongside
    /// it (`Watch::stop`): told to stop, the bound gives up at its next
    /// round instead of running to its deadline, and says it did not
    /// converge; left alone it converges.
    #[test]
    fn a_stopped_bound_gives_up_at_once() {
        let s = crate::scenario::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny"),
        )
        .expect("tiny");
        let net = crate::network::RoadNetwork::new(&s);
        let ctx = Context::new(&s, &net);
        let start = greedy_start(&ctx);
        let far = Instant::now() + std::time::Duration::from_secs(300);
        let stop = std::sync::atomic::AtomicBool::new(true);
        let watch = Watch {
            report: None,
            stop: Some(&stop),
        };
        let stopped = bound_watched(&ctx, &start, 1, (far, usize::MAX), watch);
        assert!(
            stopped
                .as_ref()
                .is_none_or(|b| !b.converged && b.nodes <= 1),
            "{stopped:?}"
        );
        let free = bound_watched(&ctx, &start, 1, (far, 0), Watch::default()).expect("a bound");
        assert!(free.converged, "{free:?}");
    }
}
