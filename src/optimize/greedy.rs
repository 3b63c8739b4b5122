//! A constructive plan to start the solver from: week by week, each person
//! takes the trip worth most (patients served now, weighted and looking a few
//! weeks ahead, plus coverage and kept commitments, minus travel cost) among
//! those every rule allows. The result is a complete, exactly feasible column
//! vector, so HiGHS starts with a real incumbent instead of searching for one.

use super::{Built, Context};
use crate::model::*;
use crate::trips::Route;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A trip by record, week, route (by its stops) and days per stop: what the
/// greedy plan is made of, and how a published plan is given to a replan.
#[derive(Clone, Debug, PartialEq)]
pub struct Pick {
    /// Who travels.
    pub record: SpecialistId,
    /// Week (0-based).
    pub week: u32,
    /// Localities in visiting order.
    pub stops: Vec<LocalityId>,
    /// Consultation days at each stop.
    pub days: Vec<u32>,
}

impl Pick {
    /// The candidate route of this pick (`None` if it is not one).
    pub fn route<'c>(&self, ctx: &'c Context<'_>) -> Option<&'c Route> {
        ctx.routes(self.record, self.week).iter().find(|r| {
            r.stops
                .iter()
                .map(|(l, _)| *l)
                .eq(self.stops.iter().copied())
        })
    }

    /// The trip this pick makes (`None` if its route is not a candidate).
    pub fn trip(&self, ctx: &Context<'_>) -> Option<crate::trips::Trip> {
        self.route(ctx).map(|r| r.trip(ctx.scenario, &self.days))
    }
}

/// Candidate routes of a record in a week, as the program has them.
struct Options<'c> {
    record: SpecialistId,
    budget: u32,
    routes: Vec<&'c Route>,
}

/// The greedy plan for the whole scenario (all specialties, rooms shared).
pub fn plan(ctx: &Context<'_>) -> Vec<Pick> {
    let s = ctx.scenario;
    let n0 = s.horizon.weeks as usize;
    let mut by_week_opts: Vec<Vec<Options<'_>>> = (0..n0).map(|_| Vec::new()).collect();
    for r in 0..s.specialists.len() {
        let rid = SpecialistId::from_index(r);
        for w in 0..s.horizon.weeks {
            let (budget, routes) = ctx.routes_within_budget(rid, w);
            if !routes.is_empty() {
                by_week_opts[w as usize].push(Options {
                    record: rid,
                    budget,
                    routes,
                });
            }
        }
    }
    greedy(ctx, &by_week_opts)
}

/// What the greedy plan has booked so far.
struct Ledger {
    list_of: HashMap<(LocalityId, SpecialtyId), usize>,
    last_visit: BTreeMap<(LocalityId, SpecialtyId), u32>,
    month_trips: HashMap<(SpecialistId, (i32, u32)), u32>,
    month_days: HashMap<(SpecialistId, (i32, u32)), u32>,
    room_used: HashMap<(FacilityId, u32), f64>,
    busy: BTreeSet<PersonId>,
    confirmed: BTreeSet<(PersonId, SpecialtyId, LocalityId, u32)>,
}

impl Ledger {
    /// The worth of `route` for record option `wv` in week `w` with `left`
    /// patients still waiting per list, and its days; `None` when a rule
    /// forbids it now or it is worth nothing. Within a week, a rule that
    /// forbids a trip keeps forbidding it, and the worth changes only when
    /// a trip serves one of its stops' lists.
    fn eval(
        &self,
        ctx: &Context<'_>,
        w: usize,
        wv: &Options<'_>,
        route: &Route,
        left: &[f64],
    ) -> Option<(f64, Vec<u32>)> {
        let s = ctx.scenario;
        let n = s.horizon.weeks as usize;
        let rec = s.specialist(wv.record);
        if self.busy.contains(&rec.person) {
            return None;
        }
        let sp = s.specialty(rec.specialty);
        let months = ctx.months(w as u32);
        if months.iter().any(|m| {
            self.month_trips.get(&(wv.record, *m)).copied().unwrap_or(0) >= rec.max_trips_per_month
        }) {
            return None;
        }
        let stops: Vec<LocalityId> = route.stops.iter().map(|(l, _)| *l).collect();
        if stops.iter().any(|l| {
            self.last_visit
                .get(&(*l, rec.specialty))
                .is_some_and(|lw| (w as u32) < lw + sp.min_spacing_weeks)
        }) {
            return None;
        }
        // Nor may a visit before a forced visit's weeks space it out of them.
        if stops.iter().any(|l| {
            ctx.forced.iter().any(|(fl, fs, from, to)| {
                fl == l
                    && *fs == rec.specialty
                    && (w as u32) < *from
                    && w as u32 + sp.min_spacing_weeks > *to
            })
        }) {
            return None;
        }
        // Days: enough for the queue, within the specialty and the week.
        let ppd = f64::from(sp.patients_per_day);
        let mut days: Vec<u32> = stops
            .iter()
            .map(|l| {
                let q = self
                    .list_of
                    .get(&(*l, rec.specialty))
                    .map_or(0.0, |i| left[*i]);
                ((q / ppd).ceil() as u32).clamp(sp.min_days, sp.max_days)
            })
            .collect();
        let room_for = wv.budget.saturating_sub(route.travel_days);
        while days.iter().sum::<u32>() > room_for {
            let k = (0..days.len())
                .filter(|k| days[*k] > sp.min_days)
                .max_by_key(|k| days[*k])?;
            days[k] -= 1;
        }
        let away = days.iter().sum::<u32>() + route.travel_days;
        if months.iter().any(|m| {
            self.month_days.get(&(wv.record, *m)).copied().unwrap_or(0) + away
                > rec.max_days_away_per_month
        }) {
            return None;
        }
        let rooms_ok = route.stops.iter().zip(&days).all(|((_, f), d)| {
            let full = s.facility(*f).room_days(&ctx.free_dates[w]);
            self.room_used.get(&(*f, w as u32)).copied().unwrap_or(0.0) + f64::from(*d) <= full
        });
        if !rooms_ok {
            return None;
        }
        let look = (n - w).min(sp.max_gap_weeks as usize) as f64;
        let mut value =
            -(route.fixed_cost(s) + route.cost_per_day(s) * f64::from(days.iter().sum::<u32>()));
        for (l, d) in stops.iter().zip(&days) {
            if let Some(&li) = self.list_of.get(&(*l, rec.specialty)) {
                let served = (f64::from(*d) * ppd).min(left[li]);
                value += served * s.weights.patient_week * sp.waiting_weight * look;
                let gap_run = w as u32
                    - self
                        .last_visit
                        .get(&(*l, rec.specialty))
                        .map_or(0, |x| x + 1);
                if gap_run + 1 >= sp.max_gap_weeks / 2 {
                    value += s.weights.coverage_gap_week;
                }
            }
            if self
                .confirmed
                .contains(&(rec.person, rec.specialty, *l, w as u32))
            {
                value += s.weights.change_confirmed;
            }
        }
        // A visit `explain --cost` forces, not yet made in its weeks, comes
        // before any other: the start must satisfy the forced row, or the
        // solver would start from an infeasible plan.
        let forced = stops.iter().any(|l| {
            ctx.forced.iter().any(|(fl, fs, from, to)| {
                fl == l
                    && *fs == rec.specialty
                    && (*from..=*to).contains(&(w as u32))
                    && self.last_visit.get(&(*l, *fs)).is_none_or(|lw| lw < from)
            })
        });
        if forced {
            value += FORCED_FIRST;
        }
        (value > 0.0).then_some((value, days))
    }
}

/// Worth added to a trip making a forced visit: above any trip's worth.
const FORCED_FIRST: f64 = 1e18;

/// A trip option in the week's queue: worth first, then the earliest
/// (record option, route) in scan order, as a plain scan would choose.
#[derive(PartialEq)]
struct Ranked {
    value: f64,
    option: (usize, usize),
    version: u32,
}

impl Eq for Ranked {}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value
            .total_cmp(&other.value)
            .then(other.option.cmp(&self.option))
            .then(self.version.cmp(&other.version))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

fn greedy(ctx: &Context<'_>, by_week: &[Vec<Options<'_>>]) -> Vec<Pick> {
    let s = ctx.scenario;
    let n = s.horizon.weeks as usize;
    let mut backlog: Vec<f64> = s.demand.iter().map(|d| d.waiting).collect();
    let mut capacity = care_days(s);
    let mut book = Ledger {
        list_of: list_index(s),
        last_visit: BTreeMap::new(),
        month_trips: HashMap::new(),
        month_days: HashMap::new(),
        room_used: HashMap::new(),
        busy: BTreeSet::new(),
        confirmed: s
            .calendar
            .iter()
            .filter(|v| v.status == VisitStatus::Confirmed)
            .filter_map(|v| {
                let r = s.specialist(v.specialist);
                Some((
                    r.person,
                    r.specialty,
                    v.locality,
                    s.horizon.week_of(v.start)?,
                ))
            })
            .collect(),
    };
    let mut picks: Vec<Pick> = Vec::new();
    // Travel spent per budget. A budget is released week by week in equal
    // shares (unspent shares carry over), so that the start plan spreads its
    // trips over the year instead of spending everything in the first weeks.
    let mut spent = vec![0.0; ctx.budgets.len()];
    for (w, opts) in by_week.iter().enumerate() {
        let allowed: Vec<f64> = ctx
            .budgets
            .iter()
            .map(|b| b.limit * (w + 1) as f64 / n as f64)
            .collect();
        let queue: Vec<f64> = s
            .demand
            .iter()
            .enumerate()
            .map(|(i, d)| backlog[i] + d.referrals(&s.horizon, w as u32))
            .collect();
        // What the week's care days (jornadas) serve is not left for trips.
        let mut left: Vec<f64> = queue
            .iter()
            .zip(&capacity)
            .map(|(q, c)| (q - c[w]).max(0.0))
            .collect();
        book.busy.clear();
        // Trips taken this week. Every option is valued once; after each
        // trip only the options sharing one of its lists are valued again
        // (the others' worth is unchanged), and a popped option is checked
        // against every rule before it is taken, so the choice is the one a
        // full scan would make, at a fraction of the cost.
        let mut taken: Vec<crate::trips::Trip> = Vec::new();
        let mut heap = std::collections::BinaryHeap::new();
        let mut version: HashMap<(usize, usize), u32> = HashMap::new();
        // Options whose days could not be laid out beside the trips taken.
        let mut refused: BTreeSet<(usize, usize)> = BTreeSet::new();
        let mut by_list: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
        for (i, wv) in opts.iter().enumerate() {
            let spec = s.specialist(wv.record).specialty;
            for (ri, route) in wv.routes.iter().enumerate() {
                for (l, _) in &route.stops {
                    if let Some(&li) = book.list_of.get(&(*l, spec)) {
                        by_list.entry(li).or_default().push((i, ri));
                    }
                }
                if let Some((value, _)) = book.eval(ctx, w, wv, route, &left) {
                    heap.push(Ranked {
                        value,
                        option: (i, ri),
                        version: 0,
                    });
                }
            }
        }
        while let Some(top) = heap.pop() {
            let (i, ri) = top.option;
            if version.get(&top.option).copied().unwrap_or(0) != top.version
                || refused.contains(&top.option)
            {
                continue;
            }
            let wv = &opts[i];
            let route = wv.routes[ri];
            let Some((value, days)) = book.eval(ctx, w, wv, route, &left) else {
                continue;
            };
            if value != top.value {
                // Worth changed without a shared list (cannot happen): requeue.
                let v = version.entry(top.option).or_default();
                *v += 1;
                heap.push(Ranked {
                    value,
                    option: top.option,
                    version: *v,
                });
                continue;
            }
            let total: u32 = days.iter().sum();
            let uses: Vec<f64> = ctx
                .budgets
                .iter()
                .map(|b| b.of_trip(s, route, total))
                .collect();
            if (0..uses.len()).any(|k| spent[k] + uses[k] > allowed[k] + 1e-9) {
                refused.insert(top.option);
                continue;
            }
            let rec = s.specialist(wv.record);
            taken.push(route.trip(s, &days));
            let refs: Vec<&crate::trips::Trip> = taken.iter().collect();
            if crate::trips::lay_out_week(s, w as u32, &refs).is_none() {
                taken.pop();
                refused.insert(top.option);
                continue;
            }
            let pick = Pick {
                record: wv.record,
                week: w as u32,
                stops: route.stops.iter().map(|(l, _)| *l).collect(),
                days,
            };
            book.busy.insert(rec.person);
            for (k, u) in uses.iter().enumerate() {
                spent[k] += u;
            }
            let away = pick.days.iter().sum::<u32>() + route.travel_days;
            for m in ctx.months(w as u32) {
                *book.month_trips.entry((wv.record, m)).or_default() += 1;
                *book.month_days.entry((wv.record, m)).or_default() += away;
            }
            let mut touched: Vec<usize> = Vec::new();
            for ((l, f), d) in route.stops.iter().zip(&pick.days) {
                *book.room_used.entry((*f, w as u32)).or_default() += f64::from(*d);
                book.last_visit.insert((*l, rec.specialty), w as u32);
                if let Some(&li) = book.list_of.get(&(*l, rec.specialty)) {
                    let cap =
                        f64::from(*d) * f64::from(s.specialty(rec.specialty).patients_per_day);
                    capacity[li][w] += cap;
                    left[li] = (left[li] - cap).max(0.0);
                    touched.push(li);
                }
            }
            picks.push(pick);
            // Value again the options sharing a list the trip served.
            let mut again: Vec<(usize, usize)> = touched
                .iter()
                .flat_map(|li| by_list.get(li).into_iter().flatten().copied())
                .collect();
            again.sort_unstable();
            again.dedup();
            for o in again.into_iter().filter(|o| !refused.contains(o)) {
                let v = version.entry(o).or_default();
                *v += 1;
                if let Some((value, _)) =
                    book.eval(ctx, w, &opts[o.0], opts[o.0].routes[o.1], &left)
                {
                    heap.push(Ranked {
                        value,
                        option: o,
                        version: *v,
                    });
                }
            }
        }
        for (i, q) in queue.iter().enumerate() {
            backlog[i] = q - capacity[i][w].min(*q);
        }
    }
    picks
}

/// The full column vector of `picks` (those the program `b` covers): a
/// feasible start for the solver.
pub(super) fn columns(ctx: &Context<'_>, b: &Built, picks: &[Pick]) -> Vec<f64> {
    let s = ctx.scenario;
    let list_of = list_index(s);
    let mut capacity = care_days(s);
    let mut visit_weeks: BTreeMap<(LocalityId, SpecialtyId), Vec<u32>> = BTreeMap::new();
    let mut x = vec![0.0; b.book.columns];
    let mut made: BTreeSet<(PersonId, SpecialtyId, LocalityId, u32)> = BTreeSet::new();
    for p in picks {
        let Some(wv) = b
            .weeks
            .iter()
            .find(|wv| wv.record == p.record && wv.week == p.week)
        else {
            continue;
        };
        let Some(rv) = wv.routes.iter().find(|rv| {
            rv.route
                .stops
                .iter()
                .map(|(l, _)| *l)
                .eq(p.stops.iter().copied())
        }) else {
            continue;
        };
        x[rv.col] = 1.0;
        let rec = s.specialist(p.record);
        for (l, d) in p.stops.iter().zip(&p.days) {
            visit_weeks
                .entry((*l, rec.specialty))
                .or_default()
                .push(p.week);
            if let Some(&li) = list_of.get(&(*l, rec.specialty)) {
                capacity[li][p.week as usize] +=
                    f64::from(*d) * f64::from(s.specialty(rec.specialty).patients_per_day);
            }
        }
        let map = if rv.route.commute {
            &wv.commute_days
        } else {
            &wv.stay_days
        };
        for ((l, _), d) in rv.route.stops.iter().zip(&p.days) {
            if let Some((_, col)) = wv.visit.get(l) {
                x[*col] = 1.0;
            }
            if let Some((_, col)) = map.get(l) {
                x[*col] = f64::from(*d);
            }
            made.insert((rec.person, rec.specialty, *l, wv.week));
        }
    }
    for (i, cols) in &b.backlogs {
        let d = &s.demand[*i];
        let mut prev = d.waiting;
        for (w, (bcol, scol)) in cols.iter().enumerate() {
            let queue = prev + d.referrals(&s.horizon, w as u32);
            let served = capacity[*i][w].min(queue);
            x[*scol] = served;
            x[*bcol] = queue - served;
            prev = queue - served;
        }
    }
    for ((l, sp), cols) in &b.visit_cols {
        let weeks = visit_weeks.get(&(*l, *sp));
        for (w, col) in cols.iter().enumerate() {
            if let Some(col) = col {
                x[*col] =
                    weeks.map_or(0, |ws| ws.iter().filter(|x| **x as usize == w).count()) as f64;
            }
        }
    }
    for ((l, sp), slacks) in &b.gaps {
        let g = s.specialty(*sp).max_gap_weeks;
        let weeks = visit_weeks.get(&(*l, *sp));
        for (start, (_, col)) in slacks.iter().enumerate() {
            let covered = weeks.is_some_and(|ws| {
                ws.iter()
                    .any(|w| (*w as usize) >= start && (*w as usize) < start + g as usize)
            });
            x[*col] = if covered { 0.0 } else { 1.0 };
        }
    }
    // One kept visit per planned visit (confirmed duplicates share one).
    let mut used: BTreeSet<(PersonId, SpecialtyId, LocalityId, u32)> = BTreeSet::new();
    for (vid, _, col) in &b.kept {
        let v = s.visit(*vid);
        let r = s.specialist(v.specialist);
        let Some(w) = s.horizon.week_of(v.start) else {
            continue;
        };
        let key = (r.person, r.specialty, v.locality, w);
        if made.contains(&key) && used.insert(key) {
            x[*col] = 1.0;
        }
    }
    // Likewise for the visits of a published plan: the same record there
    // that week for the same days.
    let by_record: BTreeMap<(SpecialistId, LocalityId, u32), u32> = picks
        .iter()
        .flat_map(|p| {
            p.stops
                .iter()
                .zip(&p.days)
                .map(move |(l, d)| ((p.record, *l, p.week), *d))
        })
        .collect();
    let mut used: BTreeSet<(SpecialistId, LocalityId, u32)> = BTreeSet::new();
    for (key, days, _, col) in &b.published {
        if by_record.get(key) == Some(days) && used.insert(*key) {
            x[*col] = 1.0;
        }
    }
    x
}

/// Capacity per waiting list (demand row) and week before any trip: that of
/// the extraordinary care days (jornadas), which serve without a visit.
fn care_days(s: &Scenario) -> Vec<Vec<f64>> {
    s.demand
        .iter()
        .map(|d| s.jornada_capacity(d.locality, d.specialty))
        .collect()
}

/// Position of each waiting list in the scenario's demand table.
fn list_index(s: &Scenario) -> HashMap<(LocalityId, SpecialtyId), usize> {
    s.demand
        .iter()
        .enumerate()
        .map(|(i, d)| ((d.locality, d.specialty), i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Forcing a visit into each list's longest run without one in the
    /// plain greedy plan (what `explain --cost` does) makes the greedy start
    /// visit it there whenever a record can reach it then.
    #[test]
    fn the_start_makes_every_forced_visit_it_can() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny");
        let s = crate::scenario::load(&dir).expect("a valid scenario");
        let net = crate::network::RoadNetwork::new(&s);
        let plain = plan(&Context::new(&s, &net));
        let visited = |picks: &[Pick], l: LocalityId, sp: SpecialtyId, w: u32| {
            picks.iter().any(|p| {
                p.week == w && s.specialist(p.record).specialty == sp && p.stops.contains(&l)
            })
        };
        let mut forced = 0;
        for d in &s.demand {
            // The longest run of weeks without a visit.
            let (mut best, mut run) = ((0, 0), None::<u32>);
            for w in 0..=s.horizon.weeks {
                if w < s.horizon.weeks && !visited(&plain, d.locality, d.specialty, w) {
                    run.get_or_insert(w);
                } else if let Some(a) = run.take()
                    && w - a > best.1 - best.0
                {
                    best = (a, w);
                }
            }
            let (from, to) = (best.0, best.1.saturating_sub(1));
            if best.1 == best.0 {
                continue;
            }
            let ctx = Context::new(&s, &net).with_forced(vec![(d.locality, d.specialty, from, to)]);
            let reachable = (from..=to).any(|w| {
                (0..s.specialists.len()).any(|r| {
                    let r = SpecialistId::from_index(r);
                    s.specialist(r).specialty == d.specialty
                        && ctx
                            .routes_within_budget(r, w)
                            .1
                            .iter()
                            .any(|rt| rt.stops.iter().any(|(l, _)| *l == d.locality))
                })
            });
            if reachable {
                let start = plan(&ctx);
                assert!(
                    (from..=to).any(|w| visited(&start, d.locality, d.specialty, w)),
                    "list {:?} weeks {from}..={to}",
                    (d.locality, d.specialty)
                );
                forced += 1;
            }
        }
        assert!(forced > 0, "no list to force a visit into");
    }

    /// The start's backlog columns count what extraordinary care days
    /// serve: otherwise a search that never revisits a list reports its
    /// waiting as if the jornadas were not held.
    #[test]
    fn the_start_counts_the_care_days() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny");
        let mut s = crate::scenario::load(&dir).expect("a valid scenario");
        // A jornada at every list's facility in week 0, and a week-0 queue.
        for d in s.demand.clone() {
            let Some(f) = s.facilities.iter().position(|f| f.locality == d.locality) else {
                continue;
            };
            s.jornadas.push(crate::model::Jornada {
                facility: FacilityId::from_index(f),
                specialty: d.specialty,
                date: s.horizon.week_start(0) + chrono::Duration::days(5),
                patients: 7.0,
            });
        }
        assert!(!s.jornadas.is_empty());
        let net = crate::network::RoadNetwork::new(&s);
        let ctx = Context::new(&s, &net);
        let built = super::super::build(
            &ctx,
            &super::super::Options::default(),
            None,
            &super::super::parts::Scope::all(&s),
            &[],
        );
        // No trips at all: what is served is the jornadas' alone.
        let x = columns(&ctx, &built, &[]);
        let mut checked = 0;
        for (i, cols) in &built.backlogs {
            let d = &s.demand[*i];
            let extra = s.jornada_capacity(d.locality, d.specialty);
            let queue = d.waiting + d.referrals(&s.horizon, 0);
            assert_eq!(x[cols[0].1], extra[0].min(queue), "served, list {i}");
            assert_eq!(
                x[cols[0].0],
                queue - extra[0].min(queue),
                "backlog, list {i}"
            );
            checked += usize::from(extra[0] > 0.0);
        }
        assert!(checked > 0);
    }
}
