//! Repairing a published plan mid-year (`itinera replan`): the weeks before
//! the replanning date stay as they were made, the later weeks are planned
//! again under the new conditions, and every visit of the published plan
//! that the new plan does not keep costs `weights.change_published`, so the
//! fewest patients and hospitals are disturbed.
//!
//! Replanning works in whole weeks, the optimizer's unit: it starts on the
//! first Monday on or after the date asked for, and the days before it stay
//! as published, except visits the new conditions make impossible (a leave
//! that has begun, a closed road), which are cancelled. The new plan covers
//! the whole horizon (fixed weeks included), so its spacing, coverage,
//! monthly limits and waiting lists are those of the year as it happens, and
//! `itinera check` verifies it like any plan.

use super::diff::{self, ChangeKind};
use super::format::{FacilityChanges, Plan, ReplanRecord};
use crate::model::{LocalityId, Scenario, SpecialistId};
use crate::optimize::{Context, Pick, Published, Solution, VisitKey, relative_gap};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Why a published plan cannot be replanned under a scenario.
#[derive(Debug, thiserror::Error)]
pub enum ReplanError {
    /// The plan was made for another scenario.
    #[error(
        "the current plan is for scenario \"{plan}\", not \"{scenario}\": give the scenario it was made from"
    )]
    OtherScenario {
        /// Scenario named in the plan.
        plan: String,
        /// Scenario given.
        scenario: String,
    },
    /// The plan names something the scenario lacks.
    #[error(
        "the current plan names {kind} \"{code}\", which the scenario does not have: give the scenario it was made from"
    )]
    Unknown {
        /// What kind of thing (specialist record, locality…).
        kind: &'static str,
        /// Its code.
        code: String,
    },
    /// The solver failed, or the plan could not be laid out.
    #[error(transparent)]
    Plan(#[from] super::PlanError),
    /// Nothing is left to replan.
    #[error("--from {from}: the horizon's last week starts on {last}; give a date on or before it")]
    AfterHorizon {
        /// Date asked for.
        from: NaiveDate,
        /// Monday of the last week.
        last: NaiveDate,
    },
}

impl ReplanError {
    /// What is wrong, in both languages (the `Display` text is English).
    pub fn text(&self) -> crate::lang::Text {
        use crate::tr;
        match self {
            ReplanError::OtherScenario { plan, scenario } => tr!(
                "el plan vigente es del escenario \"{plan}\", no de \"{scenario}\"",
                "the current plan is for scenario \"{plan}\", not \"{scenario}\""
            ),
            ReplanError::Unknown { kind, code } => {
                let es = crate::scenario::noun(kind);
                tr!(
                    "el plan vigente nombra {es} \"{code}\", que el escenario no tiene",
                    "the current plan names {kind} \"{code}\", which the scenario does not have"
                )
            }
            ReplanError::Plan(e) => crate::lang::Text::same(e.to_string()),
            ReplanError::AfterHorizon { from, last } => tr!(
                "--from {from}: la última semana del horizonte empieza el {last}; dé una fecha igual o anterior",
                "--from {from}: the horizon's last week starts on {last}; give a date on or before it"
            ),
        }
    }
}

/// The published plan as the optimizer sees it, and what the cut left out.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// Fixed trips, commitments, the start and the departure days.
    pub published: Published,
    /// Date asked for.
    pub from: NaiveDate,
    /// Visits before the first replanned week that stay.
    pub fixed_visits: usize,
    /// Visits before the first replanned week that cannot happen any more.
    pub impossible: Vec<String>,
}

/// Replan `current` under `s` from `from`: read it ([`prepare`]), then
/// solve with its past fixed and its changes priced. Assemble the plan with
/// [`super::assemble`] and complete it with [`finish`].
pub fn solve(
    s: &Scenario,
    net: &crate::network::RoadNetwork,
    current: &Plan,
    from: NaiveDate,
    opts: &crate::optimize::Options,
    progress: Option<&(dyn Fn(crate::optimize::Progress) + Sync)>,
) -> Result<(Prepared, Solution), ReplanError> {
    let ctx = Context::new(s, net);
    let prepared = prepare(&ctx, current, from)?;
    let ctx = ctx.with_published(prepared.published.clone());
    let sol = super::solve_in(&ctx, net, opts, progress)?;
    Ok((prepared, sol))
}

/// First week replanned: the first whose Monday is on or after `from`.
pub fn first_week(s: &Scenario, from: NaiveDate) -> Result<u32, ReplanError> {
    let days = (from - s.horizon.start).num_days().max(0);
    let week = u32::try_from((days + 6) / 7).unwrap_or(u32::MAX);
    if week >= s.horizon.weeks {
        return Err(ReplanError::AfterHorizon {
            from,
            last: s.horizon.week_start(s.horizon.weeks.saturating_sub(1)),
        });
    }
    Ok(week)
}

/// Read the published plan against the scenario: which of its trips are
/// fixed (and still possible), which of its visits are commitments, and
/// where the solver starts.
pub fn prepare(
    ctx: &Context<'_>,
    current: &Plan,
    from: NaiveDate,
) -> Result<Prepared, ReplanError> {
    let s = ctx.scenario;
    if current.scenario != s.name {
        return Err(ReplanError::OtherScenario {
            plan: current.scenario.clone(),
            scenario: s.name.clone(),
        });
    }
    let first = first_week(s, from)?;
    let codes = Codes::new(s);
    // Every visit made belongs to a trip of the plan, by a record the
    // scenario has: a plan that lost its trips would replan as empty.
    let trip_ids: std::collections::HashSet<&str> =
        current.trips.iter().map(|t| t.id.as_str()).collect();
    for v in current.made_visits() {
        codes.record(&v.specialist)?;
        let trip = v.trip.as_deref().unwrap_or_default();
        if !trip_ids.contains(trip) {
            return Err(ReplanError::Unknown {
                kind: "trip",
                code: format!("{trip} ({})", v.id),
            });
        }
    }
    let mut published = Published {
        first_week: first,
        ..Published::default()
    };
    let mut fixed_visits = 0;
    let mut impossible = Vec::new();
    for t in &current.trips {
        let record = codes.record(&t.specialist)?;
        let stops = t
            .stops
            .iter()
            .map(|c| codes.locality(c))
            .collect::<Result<Vec<_>, _>>()?;
        let visits: Vec<_> = current
            .made_visits()
            .filter(|v| v.trip.as_deref() == Some(t.id.as_str()))
            .collect();
        let days: Vec<u32> = t
            .stops
            .iter()
            .map(|c| {
                visits
                    .iter()
                    .filter(|v| &v.locality == c)
                    .map(|v| v.days)
                    .sum()
            })
            .collect();
        let pick = Pick {
            record,
            week: t.week,
            stops: stops.clone(),
            days,
        };
        let possible = possible(ctx, &pick);
        if t.week < first {
            if possible && fits_dates(s, &pick, ctx, t.depart) {
                fixed_visits += visits.len();
                published.fixed.push(pick.clone());
                published.start.push(pick);
            } else {
                impossible.extend(visits.iter().map(|v| v.id.clone()));
            }
        } else {
            for v in &visits {
                published.visits.push((codes.key(v, t.week)?, v.days));
            }
            if possible {
                published.start.push(pick);
            }
        }
        published
            .departures
            .insert((record, t.week, stops), t.depart);
    }
    Ok(Prepared {
        published,
        from,
        fixed_visits,
        impossible,
    })
}

/// Whether a trip is still one of the program's candidates, days included.
fn possible(ctx: &Context<'_>, p: &Pick) -> bool {
    let (budget, routes) = ctx.routes_within_budget(p.record, p.week);
    let sp = ctx
        .scenario
        .specialty(ctx.scenario.specialist(p.record).specialty);
    let days_ok = p
        .days
        .iter()
        .all(|d| (sp.min_days..=sp.max_days).contains(d));
    routes.iter().any(|r| {
        r.stops.iter().map(|(l, _)| *l).eq(p.stops.iter().copied())
            && r.travel_days + p.days.iter().sum::<u32>() <= budget
    }) && days_ok
}

/// Whether a fixed trip can still leave on its published day: its person is
/// free and no holiday falls on any of its days.
fn fits_dates(s: &Scenario, p: &Pick, ctx: &Context<'_>, depart: NaiveDate) -> bool {
    let Some(trip) = p.trip(ctx) else {
        return false;
    };
    let work = crate::trips::working_dates(s, p.week);
    crate::trips::starts(s, p.record, &work, trip.shape.pattern.len())
        .into_iter()
        .any(|o| work[o] == depart)
}

/// Scenario ids by code.
struct Codes {
    records: HashMap<String, SpecialistId>,
    localities: HashMap<String, LocalityId>,
}

impl Codes {
    fn new(s: &Scenario) -> Self {
        let index = |codes: Vec<&String>| -> HashMap<String, usize> {
            codes
                .into_iter()
                .enumerate()
                .map(|(i, c)| (c.clone(), i))
                .collect()
        };
        Codes {
            records: index(s.specialists.iter().map(|x| &x.code).collect())
                .into_iter()
                .map(|(c, i)| (c, SpecialistId::from_index(i)))
                .collect(),
            localities: index(s.localities.iter().map(|x| &x.code).collect())
                .into_iter()
                .map(|(c, i)| (c, LocalityId::from_index(i)))
                .collect(),
        }
    }

    fn find<T: Copy>(
        map: &HashMap<String, T>,
        kind: &'static str,
        code: &str,
    ) -> Result<T, ReplanError> {
        map.get(code).copied().ok_or_else(|| ReplanError::Unknown {
            kind,
            code: code.to_string(),
        })
    }

    fn record(&self, code: &str) -> Result<SpecialistId, ReplanError> {
        Self::find(&self.records, "specialist record", code)
    }

    fn locality(&self, code: &str) -> Result<LocalityId, ReplanError> {
        Self::find(&self.localities, "locality", code)
    }

    fn key(&self, v: &super::format::Visit, week: u32) -> Result<VisitKey, ReplanError> {
        Ok((
            self.record(&v.specialist)?,
            self.locality(&v.locality)?,
            week,
        ))
    }
}

/// The published visits (from the first replanned week on) the new plan
/// keeps: the same record at the same locality in the same week for the
/// same number of days, one for one, as the program counts them.
pub fn kept(s: &Scenario, published: &Published, new: &Plan) -> usize {
    let codes = Codes::new(s);
    let mut made: BTreeMap<(VisitKey, u32), usize> = BTreeMap::new();
    for v in new.made_visits() {
        if let Some(week) = s.horizon.week_of(v.start)
            && week >= published.first_week
            && let Ok(key) = codes.key(v, week)
        {
            *made.entry((key, v.days)).or_default() += 1;
        }
    }
    published
        .visits
        .iter()
        .filter(|k| {
            made.get_mut(k).is_some_and(|n| {
                let left = *n > 0;
                *n = n.saturating_sub(1);
                left
            })
        })
        .count()
}

/// Complete the new plan: its replan record (penalty, diff per facility),
/// the solver's objective with the penalty when the plan is no longer the
/// solver's own, and the event identities carried over from the published
/// plan so calendars update events in place.
pub fn finish(
    s: &Scenario,
    prepared: &Prepared,
    current: &Plan,
    sol: &Solution,
    plan: &mut Plan,
) -> Vec<diff::Change> {
    let published = &prepared.published;
    let changed = published.visits.len() - kept(s, published, plan);
    let penalty = changed as f64 * s.weights.change_published;
    if sol.replanned {
        let objective = plan.metrics.objective + penalty;
        let gap = sol.bound.map(|b| relative_gap(objective, b));
        plan.solver.objective = Some(objective);
        plan.solver.gap = gap;
        plan.solver.status = super::status_of_gap(gap, sol.target_gap).into();
    }
    let changes = diff::diff(current, plan);
    carry_identities(current, plan, &changes);
    let mut by_facility: BTreeMap<String, FacilityChanges> = BTreeMap::new();
    for c in &changes {
        let f = by_facility
            .entry(c.facility().to_string())
            .or_insert_with(|| FacilityChanges {
                facility: c.facility().to_string(),
                ..FacilityChanges::default()
            });
        match c.kind {
            ChangeKind::Kept => f.kept += 1,
            ChangeKind::Moved => f.moved += 1,
            ChangeKind::Reassigned => f.reassigned += 1,
            ChangeKind::Cancelled => f.cancelled += 1,
            ChangeKind::New => f.new += 1,
        }
    }
    plan.replan = Some(ReplanRecord {
        current: current.label(),
        from: prepared.from,
        replanned_from: s.horizon.week_start(published.first_week),
        fixed_visits: prepared.fixed_visits,
        impossible: prepared.impossible.clone(),
        published_visits: published.visits.len(),
        changed,
        change_published: s.weights.change_published,
        penalty,
        changes: by_facility.into_values().collect(),
    });
    changes
}

/// Give each visit of the new plan that stands for a published one (kept,
/// moved or reassigned) the published one's event identity, and each new
/// visit an identity the published plan never used.
fn carry_identities(current: &Plan, plan: &mut Plan, changes: &[diff::Change]) {
    let old_ids: HashMap<&str, String> = current
        .visits
        .iter()
        .map(|v| v.id.as_str())
        .zip(super::identity::identities(current))
        .collect();
    let mut taken: BTreeSet<String> = old_ids.values().cloned().collect();
    let mut carried: HashMap<String, String> = HashMap::new();
    for c in changes {
        if let (Some(old), Some(new)) = (&c.old, &c.new)
            && let Some(id) = old_ids.get(old.id.as_str())
        {
            carried.insert(new.id.clone(), id.clone());
        }
    }
    let mut order: Vec<usize> = (0..plan.visits.len()).collect();
    order.sort_by_key(|&i| (plan.visits[i].start, plan.visits[i].id.clone()));
    for i in order {
        let v = &mut plan.visits[i];
        if !v.is_made() {
            continue;
        }
        if let Some(id) = carried.get(&v.id) {
            v.event = Some(id.clone());
        } else {
            let stem = format!("{}.{}.{}", v.specialist, v.locality, v.specialty);
            let id = (1..)
                .map(|k| format!("{stem}.{k}"))
                .find(|id| !taken.contains(id))
                .unwrap_or(stem);
            taken.insert(id.clone());
            v.event = Some(id);
        }
    }
}
