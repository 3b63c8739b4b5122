//! Waiting lists week by week: backlog = previous + referrals − served,
//! served ≤ consultation days × patients per day, nobody served twice
//! (backlog ≥ 0). The objective counts weighted patient-weeks of waiting.

use super::parts::{Group, Parts, Scope};
use super::vars::Book;
use super::visits::ListVars;
use crate::model::{LocalityId, Scenario, SpecialtyId};
use good_lp::Expression;
use std::collections::BTreeMap;

/// Longest visit-free stretch for which the waiting inequality is added.
const STRENGTHEN_WEEKS: usize = 3;

/// Backlog and served columns per week, by demand row index.
pub type Backlogs = Vec<(usize, Vec<(usize, usize)>)>;

pub fn add(
    s: &Scenario,
    lists: &BTreeMap<(LocalityId, SpecialtyId), ListVars>,
    scope: &Scope,
    strengthen: bool,
    book: &mut Book,
    p: &mut Parts,
) -> Backlogs {
    let n = s.horizon.weeks as usize;
    let mut out = Vec::with_capacity(s.demand.len());
    for (i, d) in s
        .demand
        .iter()
        .enumerate()
        .filter(|(_, d)| scope.covers_demand(s, d))
    {
        let sp = s.specialty(d.specialty);
        let ppd = f64::from(sp.patients_per_day);
        let weight = s.weights.patient_week * sp.waiting_weight;
        let referrals = d.referrals_by_week(&s.horizon);
        let total = d.waiting + referrals.iter().sum::<f64>();
        let lv = lists.get(&(d.locality, d.specialty));
        // Capacity of extraordinary care days, which serve without a visit.
        let extra = s.jornada_capacity(d.locality, d.specialty);
        let has_extra = extra.iter().any(|x| *x > 0.0);
        let mut prev = Expression::from(d.waiting);
        let mut backlog = Vec::with_capacity(n);
        for w in 0..n {
            let (b, bcol) = book.continuous(total);
            let (served, scol) = book.continuous(total);
            // b_w = b_{w-1} + referrals - served_w
            p.row(
                Group::Backlog,
                (prev.clone() + referrals[w]).eq(Expression::from(b) + served),
            );
            let days = lv.map(|lv| lv.days[w].clone()).unwrap_or_default();
            p.row(
                Group::Backlog,
                Expression::from(served).leq(ppd * days + extra[w]),
            );
            p.objective.add_mul(weight, b);
            // Referrals of week k (and, from week 0, the initial list) are
            // served only by a visit in k..=w, so without one they all wait:
            // b_w ≥ Σ_{k=w−m+1..w} r_k·(1 − Σ_{j=k..w} x_j) (+ B0·(1 − Σ_{j≤w} x_j)
            // when the window starts at week 0), for m = 1..=STRENGTHEN_WEEKS.
            // Valid for any plan; it stops the relaxation from spreading
            // fractional visits thinly. Optional: the rows slow the root LP.
            // (Not with care days: they serve without a visit.)
            if let Some(lv) = lv.filter(|_| strengthen && !has_extra) {
                for m in 1..=(w + 1).min(STRENGTHEN_WEEKS) {
                    let first = w + 1 - m;
                    let b0 = if first == 0 { d.waiting } else { 0.0 };
                    let arrived: f64 = referrals[first..=w].iter().sum();
                    if arrived + b0 <= 0.0 {
                        continue;
                    }
                    // A visit in week j serves what arrived in first..=j.
                    let mut e = Expression::from(b);
                    let mut upto = b0;
                    for (j, v) in lv.visits[first..=w].iter().enumerate() {
                        upto += referrals[first + j];
                        e += upto * v.clone();
                    }
                    p.row(Group::Backlog, e.geq(b0 + arrived));
                }
            }
            backlog.push((bcol, scol));
            prev = Expression::from(b);
        }
        out.push((i, backlog));
    }
    out
}
