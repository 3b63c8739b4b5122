//! Why a town goes without: for a waiting list left longer than its
//! maximum gap, what each specialist who could have gone was doing in the
//! weeks without a visit — on leave or at a holiday, cut off by a closed
//! road, on another trip (where), at the monthly limit of trips or days
//! away, without a free consulting room, or free and not sent (the plan
//! spent that week elsewhere for a better objective).
//!
//! Each (record, week) of the gap counts once, under the first reason that
//! applies in that order, so the counts add up to the person-weeks the list
//! could have had.

use super::format::Plan;
use crate::model::{LocalityId, SpecialistId, SpecialtyId};
use crate::optimize::Context;
use chrono::Datelike;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The explanation of one waiting list.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Explanation {
    /// Locality code.
    pub locality: String,
    /// Specialty code.
    pub specialty: String,
    /// First and last week (0-based) of the longest run without a visit.
    pub weeks: (u32, u32),
    /// Its length.
    pub length: u32,
    /// The specialty's maximum gap.
    pub max_gap: u32,
    /// Records that can reach the list in some week of the horizon.
    pub eligible: Vec<String>,
    /// The persons holding them.
    pub persons: usize,
    /// Person-weeks of the run, by reason.
    pub unavailable: u32,
    /// A closed road left no route there that week.
    pub road_closed: u32,
    /// On another trip.
    pub elsewhere: u32,
    /// At the monthly limit of trips or days away.
    pub monthly_limit: u32,
    /// Every consulting room there already taken that week.
    pub rooms_full: u32,
    /// Free, with a route there, not sent.
    pub free: u32,
    /// Where the other trips went: locality code → person-weeks.
    pub went_to: BTreeMap<String, u32>,
}

impl Explanation {
    /// Whether no record of the specialty can reach the list at all.
    pub fn unreachable(&self) -> bool {
        self.eligible.is_empty()
    }
}

/// Explain the lists of `plan` that `only` keeps (by locality and specialty
/// code) whose longest run without a visit exceeds their specialty's
/// maximum gap — or, with `every`, all of them — worst first.
pub fn explain(
    ctx: &Context<'_>,
    plan: &Plan,
    only: &dyn Fn(&str, &str) -> bool,
    every: bool,
) -> Vec<Explanation> {
    let s = ctx.scenario;
    let n = s.horizon.weeks;
    let week_of = |d| s.horizon.week_of(d);
    // Visit weeks per (locality, specialty) code.
    let mut visited: HashMap<(&str, &str), HashSet<u32>> = HashMap::new();
    for v in plan.made_visits() {
        for d in &v.dates {
            if let Some(w) = week_of(*d) {
                visited
                    .entry((v.locality.as_str(), v.specialty.as_str()))
                    .or_default()
                    .insert(w);
            }
        }
    }
    // The plan's trips: person-weeks taken (with where), trips per record
    // and month, room-days used per facility and week.
    let record_of: HashMap<&str, SpecialistId> = s
        .specialists
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code.as_str(), SpecialistId::from_index(i)))
        .collect();
    let mut trip_of_person: HashMap<(usize, u32), Vec<String>> = HashMap::new();
    let mut month_trips: HashMap<(SpecialistId, (i32, u32)), u32> = HashMap::new();
    for t in &plan.trips {
        let Some(&r) = record_of.get(t.specialist.as_str()) else {
            continue;
        };
        let person = s.specialist(r).person.index();
        trip_of_person
            .entry((person, t.week))
            .or_default()
            .extend(t.stops.iter().cloned());
        *month_trips
            .entry((r, (t.depart.year(), t.depart.month())))
            .or_default() += 1;
    }
    let mut room_days: HashMap<(&str, u32), u32> = HashMap::new();
    for v in plan.made_visits() {
        for d in &v.dates {
            if let Some(w) = week_of(*d) {
                *room_days.entry((v.facility.as_str(), w)).or_default() += 1;
            }
        }
    }
    let mut out = Vec::new();
    for d in &s.demand {
        let (l, sp) = (s.locality(d.locality), s.specialty(d.specialty));
        if !only(&l.code, &sp.code) {
            continue;
        }
        let weeks = visited.get(&(l.code.as_str(), sp.code.as_str()));
        let (from, to) = longest_run(n, weeks);
        let length = if to >= from { to - from + 1 } else { 0 };
        if length <= sp.max_gap_weeks && !every {
            continue;
        }
        let eligible = eligible(ctx, d.locality, d.specialty);
        let mut e = Explanation {
            locality: l.code.clone(),
            specialty: sp.code.clone(),
            weeks: (from, to),
            length,
            max_gap: sp.max_gap_weeks,
            eligible: eligible
                .iter()
                .map(|r| s.specialist(*r).code.clone())
                .collect(),
            ..Explanation::default()
        };
        // One count per person and week: a person with records in both
        // institutions counts once, under the least blocking reason.
        let mut persons: Vec<Vec<SpecialistId>> = Vec::new();
        for r in &eligible {
            let p = s.specialist(*r).person;
            match persons.iter_mut().find(|g| s.specialist(g[0]).person == p) {
                Some(g) => g.push(*r),
                None => persons.push(vec![*r]),
            }
        }
        e.persons = persons.len();
        for w in (from..=to).take_while(|_| length > 0) {
            for records in &persons {
                let reason = records
                    .iter()
                    .map(|r| {
                        classify(
                            ctx,
                            *r,
                            w,
                            d.locality,
                            &trip_of_person,
                            &month_trips,
                            &room_days,
                        )
                    })
                    .min_by_key(|x| x.rank())
                    .unwrap_or(Why::Free);
                match reason {
                    Why::Closed => e.road_closed += 1,
                    Why::Unavailable => e.unavailable += 1,
                    Why::Elsewhere => {
                        e.elsewhere += 1;
                        let person = s.specialist(records[0]).person.index();
                        for stop in trip_of_person.get(&(person, w)).into_iter().flatten() {
                            *e.went_to.entry(stop.clone()).or_default() += 1;
                        }
                    }
                    Why::Monthly => e.monthly_limit += 1,
                    Why::Rooms => e.rooms_full += 1,
                    Why::Free => e.free += 1,
                }
            }
        }
        out.push(e);
    }
    out.sort_by(|a, b| b.length.cmp(&a.length).then(a.locality.cmp(&b.locality)));
    out
}

/// What forcing one visit of a list within its run costs.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Forced {
    /// No plan can visit it then: the rules forbid it.
    Infeasible,
    /// The solver found no plan with the visit in its time.
    NoPlanInTime,
    /// The best plan found with the visit.
    Plan {
        /// Its objective.
        objective: f64,
        /// Its proven bound.
        bound: Option<f64>,
        /// Its objective less the plan's: what the visit costs (within
        /// both plans' gaps).
        extra: f64,
    },
}

/// Solve the program again with a visit of `e`'s list required within its
/// run, under `opts` (and the plan's own budgets), and compare with `plan`.
pub fn forced_cost(
    s: &crate::model::Scenario,
    net: &crate::network::RoadNetwork,
    plan: &Plan,
    e: &Explanation,
    opts: &crate::optimize::Options,
) -> Result<Forced, super::PlanError> {
    let (Some(l), Some(sp)) = (
        s.localities.iter().position(|x| x.code == e.locality),
        s.specialties.iter().position(|x| x.code == e.specialty),
    ) else {
        return Ok(Forced::Infeasible);
    };
    let ctx = Context::new(s, net)
        .with_budgets(plan.solver.options.budgets.clone())
        .with_forced(vec![(
            LocalityId::from_index(l),
            SpecialtyId::from_index(sp),
            e.weeks.0,
            e.weeks.1,
        )]);
    let sol = super::solve_in(&ctx, net, opts, None)?;
    Ok(match sol.status {
        crate::optimize::Status::Infeasible => Forced::Infeasible,
        st if !st.has_plan() => Forced::NoPlanInTime,
        _ => {
            let objective = sol.objective.unwrap_or(f64::NAN);
            Forced::Plan {
                objective,
                bound: sol.bound,
                extra: objective - plan.metrics.objective,
            }
        }
    })
}

/// Why a record did not visit the list in a week, least blocking first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Why {
    Free,
    Rooms,
    Monthly,
    Elsewhere,
    Unavailable,
    Closed,
}

impl Why {
    fn rank(self) -> u8 {
        self as u8
    }
}

/// The first reason, in the module's order, that kept record `r` from the
/// list at `l` in week `w`.
fn classify(
    ctx: &Context<'_>,
    r: SpecialistId,
    w: u32,
    l: LocalityId,
    trip_of_person: &HashMap<(usize, u32), Vec<String>>,
    month_trips: &HashMap<(SpecialistId, (i32, u32)), u32>,
    room_days: &HashMap<(&str, u32), u32>,
) -> Why {
    let s = ctx.scenario;
    let rec = s.specialist(r);
    let facility_there =
        |rt: &crate::trips::Route| rt.stops.iter().find(|(x, _)| *x == l).map(|x| x.1);
    if !ctx
        .candidates(r, w)
        .iter()
        .any(|rt| facility_there(rt).is_some())
    {
        return Why::Closed;
    }
    let (_, fitting) = ctx.routes_within_budget(r, w);
    let Some(f) = fitting.into_iter().find_map(facility_there) else {
        return Why::Unavailable;
    };
    if trip_of_person.contains_key(&(rec.person.index(), w)) {
        return Why::Elsewhere;
    }
    let monday = s.horizon.week_start(w);
    if month_trips
        .get(&(r, (monday.year(), monday.month())))
        .copied()
        .unwrap_or(0)
        >= rec.max_trips_per_month
    {
        return Why::Monthly;
    }
    let used = room_days
        .get(&(s.facility(f).code.as_str(), w))
        .copied()
        .unwrap_or(0);
    if f64::from(used) >= s.facility(f).room_days(&ctx.free_dates[w as usize]) {
        return Why::Rooms;
    }
    Why::Free
}

/// Records of the specialty with a route to the locality in some week.
fn eligible(ctx: &Context<'_>, l: LocalityId, sp: SpecialtyId) -> Vec<SpecialistId> {
    let s = ctx.scenario;
    (0..s.specialists.len())
        .map(SpecialistId::from_index)
        .filter(|r| s.specialist(*r).specialty == sp)
        .filter(|r| {
            (0..s.horizon.weeks).any(|w| {
                ctx.candidates(*r, w)
                    .iter()
                    .any(|rt| rt.stops.iter().any(|(x, _)| *x == l))
            })
        })
        .collect()
}

/// First and last week of the longest run of weeks without a visit
/// (`(1, 0)`, an empty run, when every week has one).
fn longest_run(n: u32, visited: Option<&HashSet<u32>>) -> (u32, u32) {
    let (mut best, mut best_len) = ((1, 0), 0);
    let (mut start, mut run) = (0, 0);
    for w in 0..n {
        if visited.is_some_and(|v| v.contains(&w)) {
            run = 0;
            continue;
        }
        if run == 0 {
            start = w;
        }
        run += 1;
        if run > best_len {
            best_len = run;
            best = (start, w);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_run_without_a_visit() {
        let v: HashSet<u32> = [3, 4, 9].into_iter().collect();
        assert_eq!(longest_run(12, Some(&v)), (5, 8));
        assert_eq!(longest_run(4, None), (0, 3));
        let all: HashSet<u32> = (0..4).collect();
        assert_eq!(longest_run(4, Some(&all)), (1, 0));
    }
}
