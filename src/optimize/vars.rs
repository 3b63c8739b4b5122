//! The decision variables of the rotation program and their bookkeeping.
//!
//! Per record and week: one binary per candidate route (an ordered set of
//! stops), and integer consultation days per locality, shared by the routes
//! that stop there (a person makes at most one trip a week, so sharing is
//! exact). Commuting single-stop routes have their own day variables because
//! their days cost a round trip, not a night.

use super::context::Context;
use crate::model::{LocalityId, SpecialistId};
use crate::trips::Route;
use good_lp::{Expression, ProblemVariables, Variable, variable};
use std::collections::BTreeMap;

/// Adds variables while remembering their HiGHS column order (good_lp adds
/// columns in creation order but keeps the index private).
#[derive(Default)]
pub struct Book {
    pub vars: ProblemVariables,
    pub columns: usize,
    pub binaries: usize,
    pub integers: usize,
}

impl Book {
    fn add(&mut self, def: good_lp::VariableDefinition) -> (Variable, usize) {
        let col = self.columns;
        self.columns += 1;
        (self.vars.add(def), col)
    }
    pub fn binary(&mut self) -> (Variable, usize) {
        self.binaries += 1;
        self.add(variable().binary())
    }
    pub fn integer(&mut self, max: f64) -> (Variable, usize) {
        self.integers += 1;
        self.add(variable().integer().min(0.0).max(max))
    }
    pub fn continuous(&mut self, max: f64) -> (Variable, usize) {
        self.add(variable().min(0.0).max(max))
    }
}

/// A candidate route in one week, with its variable.
pub struct RouteVar {
    pub route: Route,
    pub z: Variable,
    pub col: usize,
}

/// The trip choices of one record in one week.
pub struct WeekVars {
    pub record: SpecialistId,
    pub week: u32,
    /// Longest run of consecutive free working days of the person this week.
    pub budget: u32,
    pub routes: Vec<RouteVar>,
    /// Consultation days per locality on staying routes: (variable, column).
    pub stay_days: BTreeMap<LocalityId, (Variable, usize)>,
    /// Consultation days per locality on commuting routes.
    pub commute_days: BTreeMap<LocalityId, (Variable, usize)>,
    /// Whether the record visits each locality this week: one column,
    /// defined once as the sum of the routes stopping there (see
    /// `trip_shape`), so other rows need not repeat that sum.
    pub visit: BTreeMap<LocalityId, (Variable, usize)>,
}

impl WeekVars {
    /// 1 when the record visits `l` this week.
    pub fn visits(&self, l: LocalityId) -> Expression {
        self.visit
            .get(&l)
            .map_or_else(Expression::default, |(v, _)| Expression::from(*v))
    }

    /// The sum of the routes stopping at `l` (what `visit[l]` is defined as).
    pub fn routes_at(&self, l: LocalityId) -> Expression {
        let mut e = Expression::default();
        for rv in &self.routes {
            if rv.route.stops.iter().any(|(x, _)| *x == l) {
                e.add_mul(1.0, rv.z);
            }
        }
        e
    }

    /// Consultation days at `l` this week.
    pub fn days_at(&self, l: LocalityId) -> Expression {
        let mut e = Expression::default();
        if let Some((v, _)) = self.stay_days.get(&l) {
            e.add_mul(1.0, *v);
        }
        if let Some((v, _)) = self.commute_days.get(&l) {
            e.add_mul(1.0, *v);
        }
        e
    }

    /// Number of trips (0 or 1).
    pub fn trips(&self) -> Expression {
        let mut e = Expression::default();
        for rv in &self.routes {
            e.add_mul(1.0, rv.z);
        }
        e
    }

    /// Days away from base: consultation days plus travel days.
    pub fn away_days(&self) -> Expression {
        let mut e = Expression::default();
        for (v, _) in self.stay_days.values().chain(self.commute_days.values()) {
            e.add_mul(1.0, *v);
        }
        for rv in &self.routes {
            e.add_mul(f64::from(rv.route.travel_days), rv.z);
        }
        e
    }
}

/// Create the trip variables of every record and week.
pub fn create(ctx: &Context<'_>, scope: &super::parts::Scope, book: &mut Book) -> Vec<WeekVars> {
    let s = ctx.scenario;
    let mut out = Vec::new();
    for (r, rec) in s.specialists.iter().enumerate() {
        let rid = SpecialistId::from_index(r);
        if !scope.covers_record(s, rid) {
            continue;
        }
        let sp = s.specialty(rec.specialty);
        for w in 0..s.horizon.weeks {
            let (budget, routes) = ctx.routes_within_budget(rid, w);
            if routes.is_empty() {
                continue;
            }
            let mut wv = WeekVars {
                record: rid,
                week: w,
                budget,
                routes: Vec::with_capacity(routes.len()),
                stay_days: BTreeMap::new(),
                commute_days: BTreeMap::new(),
                visit: BTreeMap::new(),
            };
            for route in routes {
                let (z, col) = book.binary();
                for (l, _) in &route.stops {
                    let map = if route.commute {
                        &mut wv.commute_days
                    } else {
                        &mut wv.stay_days
                    };
                    map.entry(*l)
                        .or_insert_with(|| book.integer(f64::from(sp.max_days)));
                    wv.visit.entry(*l).or_insert_with(|| book.continuous(1.0));
                }
                wv.routes.push(RouteVar {
                    route: route.clone(),
                    z,
                    col,
                });
            }
            out.push(wv);
        }
    }
    out
}
