//! A published plan being repaired (`itinera replan`): the weeks before the
//! replanning date are fixed to the trips made in them, exactly (route and
//! days); every later visit of the published plan is a commitment whose
//! change (moved to another week, made by another record, shortened,
//! lengthened or dropped) costs `weights.change_published`. A kept visit is
//! the same record consulting at the same locality in the same week for the
//! same number of days: patients hold each of its days, and unlike a
//! confirmed visit of an institution's calendar, a published visit has a
//! facility, which the record sets, so a person's other record would send
//! patients elsewhere. Keeping is binary: a visit half kept is changed.

use super::context::Context;
use super::parts::{Group, Parts, Scope};
use super::vars::{Book, WeekVars};
use crate::model::{LocalityId, SpecialistId};
use chrono::NaiveDate;
use good_lp::{Expression, Variable};
use std::collections::BTreeMap;

/// A trip by its record, week, stops and consultation days per stop.
pub use super::greedy::Pick;

/// (record, locality, week) of a visit: what keeping it means.
pub type VisitKey = (SpecialistId, LocalityId, u32);

/// What the optimizer must know of the published plan. Built by
/// `crate::plan::replan`, which has already left out what the new
/// conditions make impossible.
#[derive(Clone, Debug, Default)]
pub struct Published {
    /// First week that may change; earlier weeks are fixed.
    pub first_week: u32,
    /// The trips of the fixed weeks.
    pub fixed: Vec<Pick>,
    /// Every visit of the published plan from `first_week` on, with its
    /// consultation days.
    pub visits: Vec<(VisitKey, u32)>,
    /// The published trips still possible: the solver's first plan.
    pub start: Vec<Pick>,
    /// Departure date of each published trip, by record, week and stops, so
    /// that a trip kept keeps its days.
    pub departures: BTreeMap<(SpecialistId, u32, Vec<LocalityId>), NaiveDate>,
}

/// Whether each published visit is kept: its key, days, variable and column.
pub type Kept = Vec<(VisitKey, u32, Variable, usize)>;

/// Fix the trips of the fixed weeks and price the later visits.
pub fn add(
    ctx: &Context<'_>,
    weeks: &[WeekVars],
    scope: &Scope,
    book: &mut Book,
    p: &mut Parts,
) -> Kept {
    let s = ctx.scenario;
    let Some(publ) = ctx.published() else {
        return Vec::new();
    };
    let fixed: BTreeMap<(SpecialistId, u32), &Pick> =
        publ.fixed.iter().map(|f| ((f.record, f.week), f)).collect();
    for wv in weeks.iter().filter(|wv| wv.week < publ.first_week) {
        // The context offers a fixed week only its published route.
        let Some(f) = fixed.get(&(wv.record, wv.week)) else {
            continue;
        };
        for rv in &wv.routes {
            p.row(Group::Published, Expression::from(rv.z).eq(1.0));
            for (l, d) in f.stops.iter().zip(&f.days) {
                p.row(Group::Published, wv.days_at(*l).eq(f64::from(*d)));
            }
        }
    }
    let w = s.weights.change_published;
    let by_record: BTreeMap<(SpecialistId, u32), &WeekVars> =
        weeks.iter().map(|wv| ((wv.record, wv.week), wv)).collect();
    let mut groups: BTreeMap<VisitKey, Vec<Variable>> = BTreeMap::new();
    let mut out = Vec::new();
    for &(key, days) in &publ.visits {
        let (record, locality, week) = key;
        let sp = s.specialty(s.specialist(record).specialty);
        if !scope.covers_record(s, record) {
            continue;
        }
        let (kept, col) = book.binary();
        p.constant += w;
        p.objective.add_mul(-w, kept);
        // Kept: exactly the published days there.
        let consulted = by_record
            .get(&(record, week))
            .map_or_else(Expression::default, |wv| wv.days_at(locality));
        let d = f64::from(days);
        p.row(Group::Published, (d * kept).leq(consulted.clone()));
        p.row(
            Group::Published,
            consulted.leq(d + f64::from(sp.max_days) * (1.0 - kept)),
        );
        groups.entry(key).or_default().push(kept);
        out.push((key, days, kept, col));
    }
    for ((record, locality, week), kept) in groups {
        let made = by_record
            .get(&(record, week))
            .map_or_else(Expression::default, |wv| wv.visits(locality));
        let mut sum = Expression::default();
        for k in kept {
            sum.add_mul(1.0, k);
        }
        p.row(Group::Published, sum.leq(made));
    }
    out
}
