//! Where extraordinary care days pay off. Given a plan, choose up to N
//! jornadas — one day of a specialty's consultations at a facility on a
//! weekend (or given) date — that cut the most weighted patient-weeks,
//! one at a time: each time the jornada whose capacity, added to the
//! plan's, saves most, by the waiting-list dynamics of its list (exact for
//! the plan as it is; the plan made with them may move its visits).

use super::format::Plan;
use crate::model::Scenario;
use crate::model::waiting::simulate;
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;
use std::collections::HashMap;

/// One jornada chosen.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Choice {
    /// Facility code.
    pub facility: String,
    /// Locality code (the facility's).
    pub locality: String,
    /// Specialty code.
    pub specialty: String,
    /// The day.
    pub date: NaiveDate,
    /// Patients it can see (the specialty's patients per day).
    pub programmed: f64,
    /// Patients it serves that week (the backlog it clears then).
    pub served: f64,
    /// Weighted patient-weeks it saves, in the scenario's currency.
    pub saved: f64,
}

/// Every Saturday of the horizon.
pub fn weekends(s: &Scenario) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    for w in 0..s.horizon.weeks {
        let saturday = s.horizon.week_start(w) + chrono::Duration::days(5);
        if saturday.weekday() == Weekday::Sat && s.horizon.contains(saturday) {
            out.push(saturday);
        }
    }
    out
}

/// Choose up to `n` jornadas on `dates` for `plan`, at most `per_facility`
/// at one facility, best first; fewer when none saves anything more.
pub fn choose(
    s: &Scenario,
    plan: &Plan,
    n: usize,
    per_facility: usize,
    dates: &[NaiveDate],
) -> Vec<Choice> {
    let (mut capacity, _) = super::metrics::delivered(s, &plan.visits);
    let weeks = s.horizon.weeks as usize;
    let mut used: HashMap<usize, usize> = HashMap::new();
    let mut taken: Vec<(usize, usize, NaiveDate)> = Vec::new();
    let mut out = Vec::new();
    for _ in 0..n {
        let mut best: Option<(f64, f64, usize, usize, NaiveDate)> = None;
        for d in &s.demand {
            let sp = s.specialty(d.specialty);
            let ppd = f64::from(sp.patients_per_day);
            let weight = s.weights.patient_week * sp.waiting_weight;
            let referrals = d.referrals_by_week(&s.horizon);
            let key = (d.locality, d.specialty);
            let none = vec![0.0; weeks];
            let cap = capacity.get(&key).unwrap_or(&none);
            let base = simulate(d.waiting, &referrals, cap);
            let facilities: Vec<usize> = (0..s.facilities.len())
                .filter(|f| {
                    let fac = &s.facilities[*f];
                    fac.locality == d.locality && fac.hosts(d.specialty)
                })
                .filter(|f| used.get(f).copied().unwrap_or(0) < per_facility)
                .collect();
            let Some(&f) = facilities.first() else {
                continue;
            };
            for date in dates {
                let Some(w) = s.horizon.week_of(*date) else {
                    continue;
                };
                if taken.contains(&(f, d.specialty.index(), *date)) {
                    continue;
                }
                let mut more = cap.clone();
                more[w as usize] += ppd;
                let with = simulate(d.waiting, &referrals, &more);
                let saved = weight * (base.patient_weeks - with.patient_weeks);
                if saved > 1e-9 && best.as_ref().is_none_or(|b| saved > b.0) {
                    best = Some((
                        saved,
                        base.backlog[w as usize] - with.backlog[w as usize],
                        f,
                        d.specialty.index(),
                        *date,
                    ));
                }
            }
        }
        let Some((saved, served, f, sp, date)) = best else {
            break;
        };
        let fac = &s.facilities[f];
        let spec = &s.specialties[sp];
        let key = (fac.locality, crate::model::SpecialtyId::from_index(sp));
        let w = s.horizon.week_of(date).unwrap_or(0) as usize;
        capacity.entry(key).or_insert_with(|| vec![0.0; weeks])[w] +=
            f64::from(spec.patients_per_day);
        *used.entry(f).or_default() += 1;
        taken.push((f, sp, date));
        out.push(Choice {
            facility: fac.code.clone(),
            locality: s.locality(fac.locality).code.clone(),
            specialty: spec.code.clone(),
            date,
            programmed: f64::from(spec.patients_per_day),
            served,
            saved,
        });
    }
    out
}

/// The chosen jornadas as a what-if overlay (YAML) for `plan`, `sweep`
/// and `replan --what-if`.
pub fn overlay(name: &str, chosen: &[Choice]) -> String {
    let mut y = format!(
        "name: {name}\ndescription: {} extraordinary care days chosen by itinera jornadas\njornadas:\n",
        chosen.len()
    );
    for c in chosen {
        y += &format!(
            "  - {{ facility: {}, specialty: {}, date: {}, days: 1 }}\n",
            c.facility, c.specialty, c.date
        );
    }
    y
}
