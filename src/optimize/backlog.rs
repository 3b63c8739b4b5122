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
        .filter(|(_, d)| scope.has(d.specialty))
    {
        let sp = s.specialty(d.specialty);
        let ppd = f64::from(sp.patients_per_day);
        let weight = s.weights.patient_week * sp.waiting_weight;
        let total = d.waiting + d.weekly_referrals * n as f64;
        let lv = lists.get(&(d.locality, d.specialty));
        let mut prev = Expression::from(d.waiting);
        let mut backlog = Vec::with_capacity(n);
        for w in 0..n {
            let (b, bcol) = book.continuous(total);
            let (served, scol) = book.continuous(total);
            // b_w = b_{w-1} + referrals - served_w
            p.row(
                Group::Backlog,
                (prev.clone() + d.weekly_referrals).eq(Expression::from(b) + served),
            );
            let days = lv.map(|lv| lv.days[w].clone()).unwrap_or_default();
            p.row(Group::Backlog, Expression::from(served).leq(ppd * days));
            p.objective.add_mul(weight, b);
            // Without a visit in the k weeks ending at w nothing is served,
            // so at least k weeks of referrals wait:
            // b_w ≥ referrals·k·(1 − Σ visits in (w−k, w]). Valid for any plan;
            // it stops the relaxation from spreading fractional visits thinly.
            // Optional: the rows slow the root LP (see BENCHMARKS.md).
            if let Some(lv) = lv.filter(|_| strengthen)
                && d.weekly_referrals > 0.0
            {
                for k in 1..=(w + 1).min(STRENGTHEN_WEEKS) {
                    let r = d.weekly_referrals * k as f64;
                    let mut e = Expression::from(b);
                    for v in &lv.visits[w + 1 - k..=w] {
                        e += r * v.clone();
                    }
                    p.row(Group::Backlog, e.geq(r));
                }
            }
            backlog.push((bcol, scol));
            prev = Expression::from(b);
        }
        out.push((i, backlog));
    }
    out
}
