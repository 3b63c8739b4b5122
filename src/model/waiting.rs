//! How waiting lists evolve week by week, given the consultation capacity
//! delivered. The same rule is used to score the status quo, any plan, and in
//! the checker, so their numbers are comparable.
//!
//! Per locality and specialty, in week `w`:
//! `served[w] = min(capacity[w], backlog[w-1] + referrals)` and
//! `backlog[w] = backlog[w-1] + referrals - served[w]`, starting from the
//! waiting list at the start of the horizon. Patient-weeks of waiting are the
//! sum of `backlog[w]` over the weeks (patients still waiting at the end of
//! each week).

use super::{LocalityId, Scenario, SpecialtyId};
use serde::Serialize;
use std::collections::BTreeMap;

/// Consultation capacity (patients) delivered per week to one waiting list.
pub type WeeklyCapacity = BTreeMap<(LocalityId, SpecialtyId), Vec<f64>>;

/// Outcome of one waiting list over the horizon.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ListOutcome {
    /// Patients seen.
    pub served: f64,
    /// Sum over weeks of patients waiting at the end of the week.
    pub patient_weeks: f64,
    /// Patients still waiting at the end of the horizon.
    pub unmet_at_end: f64,
    /// Backlog at the end of each week.
    pub backlog: Vec<f64>,
    /// Capacity offered but unused because nobody was waiting.
    pub idle_capacity: f64,
}

/// Run the waiting-list dynamics of one list.
/// `referrals[w]` arrive in week `w` (one entry per capacity entry).
pub fn simulate(waiting: f64, referrals: &[f64], capacity: &[f64]) -> ListOutcome {
    let mut backlog = waiting;
    let mut out = ListOutcome {
        served: 0.0,
        patient_weeks: 0.0,
        unmet_at_end: 0.0,
        backlog: Vec::with_capacity(capacity.len()),
        idle_capacity: 0.0,
    };
    for (cap, r) in capacity.iter().zip(referrals) {
        let queue = backlog + r;
        let served = cap.min(queue);
        out.idle_capacity += cap - served;
        backlog = queue - served;
        out.served += served;
        out.patient_weeks += backlog;
        out.backlog.push(backlog);
    }
    out.unmet_at_end = backlog;
    out
}

/// Outcome of every demand row of the scenario, in demand order, given the
/// capacity per week (missing entries mean no visits).
pub fn simulate_all(s: &Scenario, capacity: &WeeklyCapacity) -> Vec<ListOutcome> {
    let none = vec![0.0; s.horizon.weeks as usize];
    s.demand
        .iter()
        .map(|d| {
            let cap = capacity.get(&(d.locality, d.specialty)).unwrap_or(&none);
            simulate(d.waiting, &d.referrals_by_week(&s.horizon), cap)
        })
        .collect()
}

/// Totals over every waiting list of the scenario.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    /// Patients seen.
    pub served: f64,
    /// Patient-weeks of waiting.
    pub patient_weeks: f64,
    /// Patient-weeks weighted by each specialty's waiting weight (what the objective counts).
    pub weighted_patient_weeks: f64,
    /// Patients still waiting at the end.
    pub unmet_at_end: f64,
}

/// Sum the outcomes of [`simulate_all`] (in demand order).
pub fn totals(s: &Scenario, outcomes: &[ListOutcome]) -> Totals {
    let mut t = Totals::default();
    for (d, o) in s.demand.iter().zip(outcomes) {
        t.served += o.served;
        t.patient_weeks += o.patient_weeks;
        t.weighted_patient_weeks += o.patient_weeks * s.specialty(d.specialty).waiting_weight;
        t.unmet_at_end += o.unmet_at_end;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backlog_follows_referrals_and_service() {
        // 10 waiting, 2 referrals a week, a visit of 8 patients in week 1.
        let o = simulate(10.0, &[2.0; 3], &[0.0, 8.0, 0.0]);
        assert_eq!(o.backlog, vec![12.0, 6.0, 8.0]);
        assert_eq!(o.served, 8.0);
        assert_eq!(o.patient_weeks, 26.0);
        assert_eq!(o.unmet_at_end, 8.0);
        assert_eq!(o.idle_capacity, 0.0);
    }

    #[test]
    fn capacity_beyond_the_queue_is_idle() {
        let o = simulate(3.0, &[1.0], &[10.0]);
        assert_eq!(o.served, 4.0);
        assert_eq!(o.idle_capacity, 6.0);
        assert_eq!(o.unmet_at_end, 0.0);
    }
}
