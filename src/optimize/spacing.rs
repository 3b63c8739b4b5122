//! No duplicate specialty visit: at a locality, visits of one specialty start
//! at least `min_spacing_weeks` apart, whichever institution sends them.

use super::parts::{Group, Parts};
use super::visits::ListVars;
use crate::model::{LocalityId, Scenario, SpecialtyId};
use good_lp::Expression;
use std::collections::BTreeMap;

pub fn add(s: &Scenario, lists: &BTreeMap<(LocalityId, SpecialtyId), ListVars>, p: &mut Parts) {
    for ((_, spec), lv) in lists {
        let k = s.specialty(*spec).min_spacing_weeks as usize;
        let n = lv.visits.len();
        // Any window of k consecutive weeks holds at most one visit.
        for start in 0..n {
            let end = (start + k).min(n);
            let mut e = Expression::default();
            for v in &lv.visits[start..end] {
                e += v.clone();
            }
            p.row(Group::Spacing, e.leq(1.0));
            if end == n {
                break;
            }
        }
    }
}
