//! Scores of a plan, computed from the plan's visits and trips and the
//! scenario only, so `itinera check` recomputes them from the file and
//! compares them with what the file claims and with the solver's objective.

use super::format::{GapEntry, Metrics, Origin, TripRecord, Visit};
use crate::calendar::status_quo::longest_without_visit;
use crate::model::waiting::{WeeklyCapacity, simulate_all, totals};
use crate::model::{Scenario, VisitStatus};
use std::collections::{BTreeMap, HashMap};

/// Per waiting list (locality and specialty indices): the capacity each
/// week and the weeks visited, from the visits made (dropped ones ignored).
pub fn delivered(
    s: &Scenario,
    visits: &[Visit],
) -> (WeeklyCapacity, BTreeMap<(usize, usize), Vec<u32>>) {
    let weeks = s.horizon.weeks as usize;
    let loc: HashMap<&str, usize> = s
        .localities
        .iter()
        .enumerate()
        .map(|(i, l)| (l.code.as_str(), i))
        .collect();
    let spec: HashMap<&str, usize> = s
        .specialties
        .iter()
        .enumerate()
        .map(|(i, x)| (x.code.as_str(), i))
        .collect();
    let mut capacity: WeeklyCapacity = BTreeMap::new();
    let mut visit_weeks: BTreeMap<(usize, usize), Vec<u32>> = BTreeMap::new();
    for v in visits.iter().filter(|v| v.is_made()) {
        let (Some(&l), Some(&sp), Some(w)) = (
            loc.get(v.locality.as_str()),
            spec.get(v.specialty.as_str()),
            s.horizon.week_of(v.start),
        ) else {
            continue;
        };
        let key = (
            crate::model::LocalityId::from_index(l),
            crate::model::SpecialtyId::from_index(sp),
        );
        let ppd = f64::from(s.specialties[sp].patients_per_day);
        capacity.entry(key).or_insert_with(|| vec![0.0; weeks])[w as usize] +=
            v.dates.len() as f64 * ppd;
        visit_weeks.entry((l, sp)).or_default().push(w);
    }
    // Extraordinary care days add their capacity without a visit.
    if !s.jornadas.is_empty() {
        for d in &s.demand {
            let extra = s.jornada_capacity(d.locality, d.specialty);
            if extra.iter().any(|x| *x > 0.0) {
                let cap = capacity
                    .entry((d.locality, d.specialty))
                    .or_insert_with(|| vec![0.0; weeks]);
                for (c, x) in cap.iter_mut().zip(extra) {
                    *c += x;
                }
            }
        }
    }
    (capacity, visit_weeks)
}

/// Patients waiting at the end of each week, all specialties together: the
/// backlog curve that comparisons draw for each plan.
pub fn backlog_total(s: &Scenario, visits: &[Visit]) -> Vec<f64> {
    let per = backlog_by_specialty(s, visits);
    (0..s.horizon.weeks as usize)
        .map(|w| per.iter().map(|x| x[w]).sum())
        .collect()
}

/// Patients waiting at the end of each week, summed per specialty (in
/// scenario order), for the plan's visits: the backlog curves of the report.
pub fn backlog_by_specialty(s: &Scenario, visits: &[Visit]) -> Vec<Vec<f64>> {
    let (capacity, _) = delivered(s, visits);
    let mut out = vec![vec![0.0; s.horizon.weeks as usize]; s.specialties.len()];
    for (d, o) in s.demand.iter().zip(simulate_all(s, &capacity)) {
        for (acc, b) in out[d.specialty.index()].iter_mut().zip(&o.backlog) {
            *acc += b;
        }
    }
    out
}

/// Compute the metrics of `visits` (dropped ones ignored) and `trips`.
pub fn compute(s: &Scenario, visits: &[Visit], trips: &[TripRecord]) -> Metrics {
    let made: Vec<&Visit> = visits.iter().filter(|v| v.is_made()).collect();
    let (capacity, visit_weeks) = delivered(s, visits);
    let outcomes = simulate_all(s, &capacity);
    let sums = totals(s, &outcomes);
    let mut gaps = Vec::new();
    let mut uncovered = 0usize;
    for d in &s.demand {
        let sp = s.specialty(d.specialty);
        let mut vw = visit_weeks
            .get(&(d.locality.index(), d.specialty.index()))
            .cloned()
            .unwrap_or_default();
        vw.sort_unstable();
        uncovered += uncovered_windows(s.horizon.weeks, sp.max_gap_weeks, &vw);
        gaps.push(GapEntry {
            locality: s.locality(d.locality).code.clone(),
            specialty: sp.code.clone(),
            weeks: longest_without_visit(s.horizon.weeks, &vw),
            max_gap_weeks: sp.max_gap_weeks,
        });
    }
    let mut duplicates = 0;
    for ((_, sp), ws) in &visit_weeks {
        let k = s.specialties[*sp].min_spacing_weeks;
        for (i, a) in ws.iter().enumerate() {
            duplicates += ws[i + 1..].iter().filter(|b| a.abs_diff(**b) < k).count();
        }
    }
    let mut origins: BTreeMap<String, usize> = BTreeMap::new();
    for v in visits {
        let key = serde_json::to_value(v.origin)
            .ok()
            .and_then(|x| x.as_str().map(str::to_string))
            .unwrap_or_default();
        *origins.entry(key).or_default() += 1;
    }
    let confirmed: HashMap<&str, bool> = s
        .calendar
        .iter()
        .map(|v| (v.code.as_str(), v.status == VisitStatus::Confirmed))
        .collect();
    let confirmed_changed = s
        .calendar
        .iter()
        .filter(|v| v.status == VisitStatus::Confirmed)
        .count()
        - visits
            .iter()
            .filter(|v| v.origin == Origin::Kept)
            .filter(|v| {
                v.existing
                    .as_deref()
                    .is_some_and(|e| confirmed.get(e) == Some(&true))
            })
            .count();
    let km: f64 = trips.iter().map(|t| t.km).sum();
    let travel_cost: f64 = trips.iter().map(|t| t.cost).sum();
    let objective = s.weights.patient_week * sums.weighted_patient_weeks
        + travel_cost
        + s.weights.change_confirmed * confirmed_changed as f64
        + s.weights.coverage_gap_week * uncovered as f64;
    Metrics {
        visits: made.len(),
        consultation_days: made.iter().map(|v| v.dates.len() as u32).sum(),
        patients_served: sums.served,
        patient_weeks_waiting: sums.patient_weeks,
        weighted_patient_weeks: sums.weighted_patient_weeks,
        unmet_at_end: sums.unmet_at_end,
        km,
        travel_cost,
        duplicate_visits: duplicates,
        coverage_gaps: gaps.iter().filter(|g| g.weeks >= g.max_gap_weeks).count(),
        uncovered_windows: uncovered,
        confirmed_changed,
        origins,
        objective,
        longest_without_visit: gaps,
    }
}

/// Windows of `g` consecutive weeks holding no visit (sorted visit weeks).
pub fn uncovered_windows(weeks: u32, g: u32, visit_weeks: &[u32]) -> usize {
    if g > weeks {
        return 0;
    }
    (0..=weeks - g)
        .filter(|start| !visit_weeks.iter().any(|w| *w >= *start && *w < start + g))
        .count()
}

/// Pairs of planned visits that book one person on the same day.
pub fn double_bookings(plan: &super::format::Plan) -> usize {
    let mut days: std::collections::HashMap<(&str, chrono::NaiveDate), usize> =
        std::collections::HashMap::new();
    for v in plan.made_visits() {
        for d in &v.dates {
            *days.entry((v.person.as_str(), *d)).or_default() += 1;
        }
    }
    // Count visit pairs once per day they share.
    days.values().map(|n| n * n.saturating_sub(1) / 2).sum()
}

#[cfg(test)]
mod tests {
    use super::uncovered_windows;

    #[test]
    fn windows_without_visits() {
        assert_eq!(uncovered_windows(8, 4, &[]), 5);
        assert_eq!(uncovered_windows(8, 4, &[3]), 1); // window 4..7
        assert_eq!(uncovered_windows(8, 4, &[3, 7]), 0);
        assert_eq!(uncovered_windows(3, 4, &[]), 0);
    }
}
