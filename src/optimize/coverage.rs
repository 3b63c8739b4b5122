//! Coverage rhythm: every waiting list is visited at least once in any
//! `max_gap_weeks` consecutive weeks. Soft: each uncovered window costs
//! `weights.coverage_gap_week` (a run of L visit-free weeks costs L − G + 1
//! windows), so impossible rhythms are reported rather than infeasible.

use super::parts::{Group, Parts, Scope};
use super::vars::Book;
use super::visits::ListVars;
use crate::model::{LocalityId, Scenario, SpecialtyId};
use good_lp::{Expression, Variable};
use std::collections::BTreeMap;

/// Slack variables of the uncovered windows, per waiting list.
pub type Gaps = BTreeMap<(LocalityId, SpecialtyId), Vec<(Variable, usize)>>;

pub fn add(
    s: &Scenario,
    lists: &BTreeMap<(LocalityId, SpecialtyId), ListVars>,
    scope: &Scope,
    book: &mut Book,
    p: &mut Parts,
) -> Gaps {
    let mut gaps = Gaps::new();
    let n = s.horizon.weeks as usize;
    for d in s.demand.iter().filter(|d| scope.covers_demand(s, d)) {
        let g = s.specialty(d.specialty).max_gap_weeks as usize;
        if g > n {
            continue;
        }
        let lv = lists.get(&(d.locality, d.specialty));
        let mut slacks = Vec::new();
        for start in 0..=n - g {
            let (slack, col) = book.continuous(1.0);
            let mut e = Expression::from(slack);
            if let Some(lv) = lv {
                for v in &lv.visits[start..start + g] {
                    e += v.clone();
                }
            }
            p.row(Group::Coverage, e.geq(1.0));
            p.objective.add_mul(s.weights.coverage_gap_week, slack);
            slacks.push((slack, col));
        }
        gaps.insert((d.locality, d.specialty), slacks);
    }
    gaps
}
