//! Splitting the program where the rules allow: groups of planning regions
//! (which share nothing), then components of specialties (which share only
//! rooms), and sharing the time and the rooms out among the parts.

use super::{Context, Scope, greedy};
use crate::model::{Scenario, SpecialistId, SpecialtyId};
use crate::trips::Trip;
use petgraph::unionfind::UnionFind;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Specialties linked by a person holding records in several of them must be
/// planned together; the others are independent except for rooms.
pub fn components(s: &Scenario) -> Vec<BTreeSet<SpecialtyId>> {
    let n = s.specialties.len();
    let mut sets = UnionFind::<usize>::new(n);
    for person in &s.persons {
        let mut specs = person
            .records
            .iter()
            .map(|r| s.specialist(*r).specialty.index());
        if let Some(first) = specs.next() {
            for other in specs {
                sets.union(first, other);
            }
        }
    }
    let mut groups: BTreeMap<usize, BTreeSet<SpecialtyId>> = BTreeMap::new();
    for i in 0..n {
        groups
            .entry(sets.find(i))
            .or_default()
            .insert(SpecialtyId::from_index(i));
    }
    groups.into_values().collect()
}

/// Candidate (record, week, route) triples up to which the program of a
/// region (or of the whole scenario) is solved whole rather than per
/// component of specialties.
pub(super) const SOLVE_WHOLE_UP_TO: usize = 20_000;

/// Planning regions that must be planned together: those linked by a person
/// with records based in several. Each group is independent of the others
/// (specialists serve only their own region), so the sum of the groups'
/// bounds bounds the whole problem.
pub fn region_groups(s: &Scenario) -> Vec<BTreeSet<String>> {
    let names = s.regions();
    let index = |l: crate::model::LocalityId| {
        names
            .binary_search(&s.locality(l).region.as_str())
            .unwrap_or(0)
    };
    let mut sets = UnionFind::<usize>::new(names.len());
    for person in &s.persons {
        let mut regions = person.records.iter().map(|r| index(s.specialist(*r).base));
        if let Some(first) = regions.next() {
            for other in regions {
                sets.union(first, other);
            }
        }
    }
    let mut groups: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for (i, name) in names.iter().enumerate() {
        groups
            .entry(sets.find(i))
            .or_default()
            .insert((*name).to_string());
    }
    groups.into_values().collect()
}

/// Candidate (record, week, route) triples of the records a scope plans:
/// the size of its program.
pub(super) fn candidate_trips(ctx: &Context<'_>, scope: &Scope) -> usize {
    let s = ctx.scenario;
    (0..s.specialists.len())
        .map(SpecialistId::from_index)
        .filter(|r| scope.covers_record(s, *r))
        .map(|r| {
            (0..s.horizon.weeks)
                .map(|w| ctx.routes(r, w).len())
                .sum::<usize>()
        })
        .sum()
}

/// The programs to solve: one per group of regions (see [`region_groups`]),
/// whole when it is small or when `split` is false, so rooms are shared
/// exactly, or per component of specialties (see [`components`]) when it
/// is large. Parts with neither a record nor a waiting list need no program.
pub(super) fn decompose(ctx: &Context<'_>, split: bool) -> Vec<Scope> {
    let s = ctx.scenario;
    // A travel budget couples every part, and a forced visit belongs to one:
    // the program stays whole.
    if !ctx.budgets.is_empty() || !ctx.forced.is_empty() {
        return vec![Scope::all(s)];
    }
    let groups = region_groups(s);
    let single = groups.len() == 1;
    let mut out = Vec::new();
    for regions in groups {
        let region = Scope {
            regions: (!single).then_some(regions),
            ..Scope::all(s)
        };
        if !split || candidate_trips(ctx, &region) <= SOLVE_WHOLE_UP_TO {
            out.push(region);
        } else {
            out.extend(components(s).into_iter().map(|specialties| Scope {
                specialties,
                ..region.clone()
            }));
        }
    }
    out.retain(|sc| {
        s.demand.iter().any(|d| sc.covers_demand(s, d))
            || (0..s.specialists.len()).any(|r| sc.covers_record(s, SpecialistId::from_index(r)))
    });
    out
}

/// Give each component its share of every room it competes for, day by
/// day: the rooms its trips use in the greedy plan (which shares rooms among
/// all specialties), plus a round-robin part of the rooms that plan leaves
/// free. The shares partition the rooms, so plans that keep to them fit
/// together without repairs.
pub(super) fn share_rooms(ctx: &Context<'_>, scopes: &mut [Scope], picks: &[greedy::Pick]) {
    use crate::model::FacilityId;
    use chrono::NaiveDate;
    let s = ctx.scenario;
    let n = s.horizon.weeks as usize;
    let scope_of = |r: SpecialistId| scopes.iter().position(|sc| sc.covers_record(s, r));
    // Components with a candidate route stopping at each facility, by week.
    let mut rivals: Vec<BTreeMap<FacilityId, BTreeSet<usize>>> = vec![BTreeMap::new(); n];
    for r in 0..s.specialists.len() {
        let rid = SpecialistId::from_index(r);
        let Some(c) = scope_of(rid) else { continue };
        for w in 0..s.horizon.weeks {
            for route in ctx.routes(rid, w) {
                for (_, f) in &route.stops {
                    rivals[w as usize].entry(*f).or_default().insert(c);
                }
            }
        }
    }
    // Rooms the greedy plan uses, per component and (facility, date).
    let mut by_week: Vec<Vec<(usize, Trip)>> = vec![Vec::new(); n];
    for p in picks {
        let Some(c) = scope_of(p.record) else {
            continue;
        };
        if let Some(trip) = p.trip(ctx) {
            by_week[p.week as usize].push((c, trip));
        }
    }
    for sc in scopes.iter_mut() {
        sc.rooms_taken = vec![BTreeMap::new(); n];
    }
    for (w, trips) in by_week.iter().enumerate() {
        let mut used: BTreeMap<(FacilityId, NaiveDate), BTreeMap<usize, u32>> = BTreeMap::new();
        let refs: Vec<&Trip> = trips.iter().map(|(_, t)| t).collect();
        if let Some(dates) = crate::trips::lay_out_week(s, w as u32, &refs) {
            for ((c, t), d) in trips.iter().zip(&dates) {
                for key in crate::trips::consultations(t, d) {
                    *used.entry(key).or_default().entry(*c).or_default() += 1;
                }
            }
        }
        let work = crate::trips::working_dates(s, w as u32);
        for (f, comps) in &rivals[w] {
            if comps.len() < 2 {
                continue;
            }
            let mut week_share: BTreeMap<usize, u32> = BTreeMap::new();
            for (k, date) in work.iter().enumerate() {
                let rooms = s.facility(*f).rooms_on(*date);
                let mine = used.get(&(*f, *date));
                let mut allot: BTreeMap<usize, u32> = comps
                    .iter()
                    .map(|c| (*c, mine.and_then(|m| m.get(c)).copied().unwrap_or(0)))
                    .collect();
                let busy: u32 = allot.values().sum();
                // Free rooms go round the rivals, starting at a different one each day.
                let order: Vec<usize> = comps.iter().copied().collect();
                for i in 0..rooms.saturating_sub(busy) as usize {
                    *allot.entry(order[(i + k + w) % order.len()]).or_default() += 1;
                }
                for (c, a) in &allot {
                    *week_share.entry(*c).or_default() += a;
                    let taken = rooms.saturating_sub(*a);
                    if taken > 0 {
                        scopes[*c].rooms_taken[w].insert((*f, *date), taken);
                    }
                }
            }
            for (c, a) in week_share {
                scopes[c].room_quota.insert((*f, w as u32), f64::from(a));
            }
        }
    }
}

/// CPU time shared among parts solved side by side, as each starts: a part
/// gets, of the CPU time left before the deadline (workers × wall time left,
/// less what the parts still running are due to use), its size's share of
/// the parts not yet started, at most the wall time left. A part that
/// overruns its limit (HiGHS finishes its presolve and root work first)
/// thus shrinks the later parts' shares instead of pushing the whole solve
/// past its time limit; but never below half its share of the whole budget,
/// nor below that share when it is under [`SMALL_PART_SECONDS`], so the
/// small parts solved last still finish their root node and prove a bound.
/// A part whose share of the whole budget is under this keeps all of it.
const SMALL_PART_SECONDS: f64 = 1.5;

pub(super) struct Budget {
    deadline: Instant,
    workers: f64,
    /// CPU seconds per unit of size at the start.
    rate: f64,
    state: Mutex<BudgetState>,
}

struct BudgetState {
    /// Total size of the parts not started yet.
    unstarted: f64,
    /// Running parts and when their limit ends.
    running: Vec<(usize, Instant)>,
}

impl Budget {
    pub(super) fn new(deadline: Instant, workers: usize, total_size: f64) -> Budget {
        let workers = workers.max(1) as f64;
        let left = deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64();
        Budget {
            deadline,
            workers,
            rate: workers * left / total_size.max(1.0),
            state: Mutex::new(BudgetState {
                unstarted: total_size,
                running: Vec::new(),
            }),
        }
    }

    /// The time limit (seconds) of part `id` of `size`, starting now.
    pub(super) fn start(&self, id: usize, size: f64) -> f64 {
        let now = Instant::now();
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let left = self.deadline.saturating_duration_since(now).as_secs_f64();
        let busy: f64 = st
            .running
            .iter()
            .map(|(_, end)| end.saturating_duration_since(now).as_secs_f64())
            .sum();
        let cpu = (self.workers * left - busy).max(0.0);
        let share = if st.unstarted > size {
            cpu * size / st.unstarted
        } else {
            cpu
        };
        st.unstarted = (st.unstarted - size).max(0.0);
        // Its share of the whole budget: never less than half of it, nor
        // (up to 1.5 s, what a small root LP needs) less than all of it.
        let fair = self.rate * size;
        let limit = share
            .min(left)
            .max(fair / 2.0)
            .max(fair.min(SMALL_PART_SECONDS))
            .max(0.5);
        st.running.push((id, now + Duration::from_secs_f64(limit)));
        limit
    }

    /// Part `id` is done: its unused time goes to the others.
    pub(super) fn finish(&self, id: usize) {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.running.retain(|(i, _)| *i != id);
    }
}

/// Run `solve(i)` for every part `0..n`, in order, on a pool of `workers`
/// threads that each take the next part when done; the answers in part
/// order.
pub(super) fn run_parts<T: Send>(
    n: usize,
    workers: usize,
    solve: impl Fn(usize) -> T + Sync,
) -> Result<Vec<T>, super::SolverError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers.max(1))
        .build()
        .map_err(|e| super::SolverError(format!("thread pool: {e}")))?;
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<T>>> = Mutex::new((0..n).map(|_| None).collect());
    pool.scope(|sc| {
        for _ in 0..workers.max(1) {
            sc.spawn(|_| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= n {
                        break;
                    }
                    let answer = solve(i);
                    out.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(answer);
                }
            });
        }
    });
    Ok(out
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect())
}
