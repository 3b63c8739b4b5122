//! What every constraint family needs to know about the scenario, computed
//! once: candidate routes per record and week, free days, months of weeks.

use crate::model::*;
use crate::network::RoadNetwork;
use crate::trips::{Route, routes_for};
use chrono::{Datelike, Days, NaiveDate};

/// Scenario facts shared by the constraint families.
pub struct Context<'a> {
    /// The scenario planned.
    pub scenario: &'a Scenario,
    /// Routes per closure state, per record.
    routes: Vec<Vec<Vec<Route>>>,
    /// Closure state of each week.
    week_state: Vec<usize>,
    /// Working, non-holiday dates of each week.
    pub free_dates: Vec<Vec<NaiveDate>>,
    /// The published plan being repaired, if replanning.
    published: Option<super::Published>,
    /// The route of each fixed trip of a published plan, by record and week.
    fixed: std::collections::BTreeMap<(SpecialistId, u32), Route>,
    /// Travel budgets over the whole plan (none: unlimited).
    pub budgets: Vec<super::Budget>,
    /// Visits required: (locality, specialty, first week, last week) — at
    /// least one visit of the list within those weeks (`explain --cost`).
    pub forced: Vec<(LocalityId, SpecialtyId, u32, u32)>,
}

impl<'a> Context<'a> {
    /// Enumerate routes for every record on every closure state of the horizon.
    pub fn new(s: &'a Scenario, net: &RoadNetwork) -> Self {
        let (states, week_state) = net.weekly_states(&s.horizon);
        let mut free_dates = Vec::new();
        for w in 0..s.horizon.weeks {
            let monday = s.horizon.week_start(w);
            let days: Vec<NaiveDate> = (0..7).map(|d| monday + Days::new(d)).collect();
            free_dates.push(
                days.into_iter()
                    .filter(|d| s.horizon.is_working_weekday(*d) && !s.horizon.is_holiday(*d))
                    .collect(),
            );
        }
        let routes = states
            .iter()
            .map(|closed| {
                let m = net.with_closed(closed.clone());
                (0..s.specialists.len())
                    .map(|r| routes_for(s, &m, SpecialistId::from_index(r)))
                    .collect()
            })
            .collect();
        Context {
            scenario: s,
            routes,
            week_state,
            free_dates,
            published: None,
            fixed: std::collections::BTreeMap::new(),
            budgets: Vec::new(),
            forced: Vec::new(),
        }
    }

    /// Require a visit of each list within its weeks.
    pub fn with_forced(mut self, forced: Vec<(LocalityId, SpecialtyId, u32, u32)>) -> Self {
        self.forced = forced;
        self
    }

    /// Plan within travel `budgets`.
    pub fn with_budgets(mut self, budgets: Vec<super::Budget>) -> Self {
        self.budgets = budgets;
        self
    }

    /// Repair a published plan: the weeks before `p.first_week` offer each
    /// record only its published trip (none if it made none), and the
    /// `published` constraint family fixes them. A fixed trip whose route is
    /// not a candidate any more is left out: the caller should have
    /// cancelled it.
    pub fn with_published(mut self, p: super::Published) -> Self {
        for f in &p.fixed {
            let route = self
                .candidates(f.record, f.week)
                .iter()
                .find(|r| r.stops.iter().map(|(l, _)| *l).eq(f.stops.iter().copied()));
            if let Some(route) = route {
                self.fixed.insert((f.record, f.week), route.clone());
            }
        }
        self.published = Some(p);
        self
    }

    /// The published plan being repaired, if replanning.
    pub fn published(&self) -> Option<&super::Published> {
        self.published.as_ref()
    }

    /// Candidate routes of a record in a week (roads closed that week left
    /// out; only the published trip in the fixed weeks of a replan).
    pub fn routes(&self, r: SpecialistId, week: u32) -> &[Route] {
        match &self.published {
            Some(p) if week < p.first_week => {
                self.fixed.get(&(r, week)).map_or(&[], std::slice::from_ref)
            }
            _ => self.candidates(r, week),
        }
    }

    /// Every candidate route of a record in a week, fixed weeks or not.
    pub fn candidates(&self, r: SpecialistId, week: u32) -> &[Route] {
        &self.routes[self.week_state[week as usize]][r.index()]
    }

    /// Whether a person can work on `date` (no leave on any of their records).
    pub fn person_free(&self, p: PersonId, date: NaiveDate) -> bool {
        let s = self.scenario;
        !s.person(p)
            .records
            .iter()
            .any(|r| s.specialist(*r).is_unavailable_on(date))
    }

    /// The routes of a record that fit its person's longest free run in a
    /// week, with that run's length (the days a trip may take).
    pub fn routes_within_budget(&self, r: SpecialistId, week: u32) -> (u32, Vec<&Route>) {
        let s = self.scenario;
        let rec = s.specialist(r);
        let min_days = s.specialty(rec.specialty).min_days;
        let budget = self.budget(rec.person, week);
        let routes = self
            .routes(r, week)
            .iter()
            .filter(|rt| rt.travel_days + min_days * rt.stops.len() as u32 <= budget)
            .collect();
        (budget, routes)
    }

    /// Longest run of consecutive free working days of a person in a week:
    /// the most days a trip can take.
    pub fn budget(&self, p: PersonId, week: u32) -> u32 {
        let s = self.scenario;
        let monday = s.horizon.week_start(week);
        let (mut best, mut run) = (0, 0);
        for d in (0..7).map(|d| monday + Days::new(d)) {
            if !s.horizon.is_working_weekday(d) {
                continue;
            }
            if !s.horizon.is_holiday(d) && self.person_free(p, d) {
                run += 1;
                best = best.max(run);
            } else {
                run = 0;
            }
        }
        best
    }

    /// Calendar months a week's working days fall in (one or two). A trip
    /// counts against the limits of each, so the limits hold whatever day it
    /// departs.
    pub fn months(&self, week: u32) -> Vec<(i32, u32)> {
        let s = self.scenario;
        let monday = s.horizon.week_start(week);
        let mut out: Vec<(i32, u32)> = (0..7)
            .map(|d| monday + Days::new(d))
            .filter(|d| s.horizon.is_working_weekday(*d))
            .map(|d| (d.year(), d.month()))
            .collect();
        out.dedup();
        out
    }
}
