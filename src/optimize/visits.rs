//! Visits per waiting list and week, whoever makes them: the quantity the
//! spacing, coverage, backlog and commitment families reason about.
//!
//! Each (locality, specialty, week) with candidate trips gets one visit
//! column, defined once as the sum of the routes stopping there; the window
//! rows of spacing and coverage then sum a handful of these columns instead
//! of every route of every week (on Santa Cruz this cuts the program's
//! nonzeros several-fold, and presolve time with them).

use super::parts::{Group, Parts};
use super::vars::{Book, WeekVars};
use crate::model::{LocalityId, Scenario, SpecialtyId};
use good_lp::{Expression, IntoAffineExpression};
use std::collections::BTreeMap;

/// Visits and consultation days of one specialty at one locality, per week.
pub struct ListVars {
    /// Number of visits (0 or 1 under the spacing rule) per week.
    pub visits: Vec<Expression>,
    /// Column of each week's visit variable, where there is one.
    pub visit_cols: Vec<Option<usize>>,
    /// Consultation days per week.
    pub days: Vec<Expression>,
}

/// Gather, per (locality, specialty), the visit and day expressions of every record.
pub fn gather(
    s: &Scenario,
    weeks: &[WeekVars],
    book: &mut Book,
    p: &mut Parts,
) -> BTreeMap<(LocalityId, SpecialtyId), ListVars> {
    let n = s.horizon.weeks as usize;
    let mut out: BTreeMap<(LocalityId, SpecialtyId), ListVars> = BTreeMap::new();
    for wv in weeks {
        let spec = s.specialist(wv.record).specialty;
        let mut locs: Vec<LocalityId> = wv
            .routes
            .iter()
            .flat_map(|rv| rv.route.stops.iter().map(|(l, _)| *l))
            .collect();
        locs.sort_unstable();
        locs.dedup();
        for l in locs {
            let e = out.entry((l, spec)).or_insert_with(|| ListVars {
                visits: vec![Expression::default(); n],
                visit_cols: vec![None; n],
                days: vec![Expression::default(); n],
            });
            e.visits[wv.week as usize] += wv.visits(l);
            e.days[wv.week as usize] += wv.days_at(l);
        }
    }
    // Replace each week's sum of routes by one defined visit column.
    for lv in out.values_mut() {
        for w in 0..n {
            if lv.visits[w].clone().linear_coefficients().next().is_none() {
                continue;
            }
            let (v, col) = book.continuous(f64::from(u32::MAX));
            let sum = std::mem::take(&mut lv.visits[w]);
            p.row(Group::TripShape, Expression::from(v).eq(sum));
            lv.visits[w] = Expression::from(v);
            lv.visit_cols[w] = Some(col);
        }
    }
    out
}
