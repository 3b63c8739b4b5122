//! Laying out the days of the chosen trips inside their weeks: each trip
//! takes consecutive free working days of its person (no holiday, no leave),
//! and no facility hosts more visits on a day than it has rooms. The program
//! only bounds the rooms per week; this search finds the days exactly.

use crate::model::{FacilityId, Scenario};
use crate::optimize::ChosenTrip;
use crate::trips::{DayUse, starts};
use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;

/// A week whose trips cannot share its rooms on any layout.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the trips of week {week} cannot share the consulting rooms of facility {facility:?}")]
pub struct NoLayout {
    /// Week (0-based).
    pub week: u32,
    /// A facility whose rooms ran out.
    pub facility: FacilityId,
}

/// Dates of each day of each trip, in the order of `trips`.
pub fn lay_out(s: &Scenario, trips: &[ChosenTrip]) -> Result<Vec<Vec<NaiveDate>>, NoLayout> {
    let mut out = vec![Vec::new(); trips.len()];
    let mut by_week: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, t) in trips.iter().enumerate() {
        by_week.entry(t.week).or_default().push(i);
    }
    for (week, idx) in by_week {
        let monday = s.horizon.week_start(week);
        let work: Vec<NaiveDate> = (0..7)
            .map(|d| monday + Days::new(d))
            .filter(|d| s.horizon.is_working_weekday(*d))
            .collect();
        // Start offsets where each trip fits its person's free days.
        let mut options: Vec<(usize, Vec<usize>)> = idx
            .iter()
            .map(|&i| {
                let t = &trips[i].trip;
                (i, starts(s, t.record, &work, t.shape.pattern.len()))
            })
            .collect();
        // Most constrained first.
        options.sort_by_key(|(i, starts)| (starts.len(), *i));
        let mut used: BTreeMap<(FacilityId, NaiveDate), u32> = BTreeMap::new();
        let mut chosen = vec![0usize; options.len()];
        let mut budget = 200_000u32;
        if !search(
            s,
            trips,
            &work,
            &options,
            0,
            &mut used,
            &mut chosen,
            &mut budget,
        ) {
            // Blame the facility booked closest to its rooms that week.
            let mut load: BTreeMap<FacilityId, u32> = BTreeMap::new();
            for &i in &idx {
                for stop in &trips[i].trip.stops {
                    *load.entry(stop.facility).or_default() += stop.days;
                }
            }
            let free = work
                .iter()
                .filter(|d| !s.horizon.is_holiday(**d))
                .count()
                .max(1) as f64;
            let ratio = |f: FacilityId, days: u32| {
                f64::from(days) / (f64::from(s.facility(f).rooms_per_day) * free)
            };
            let facility = load
                .iter()
                .max_by(|a, b| ratio(*a.0, *a.1).total_cmp(&ratio(*b.0, *b.1)))
                .map_or(FacilityId(0), |(f, _)| *f);
            return Err(NoLayout { week, facility });
        }
        for (k, (i, starts)) in options.iter().enumerate() {
            let o = starts[chosen[k]];
            out[*i] = work[o..o + trips[*i].trip.shape.pattern.len()].to_vec();
        }
    }
    Ok(out)
}

/// Consultation (facility, date) pairs of a trip starting at `work[o]`.
fn uses(t: &ChosenTrip, work: &[NaiveDate], o: usize) -> Vec<(FacilityId, NaiveDate)> {
    t.trip
        .shape
        .pattern
        .iter()
        .enumerate()
        .filter_map(|(k, d)| match d {
            DayUse::Consult(stop) => Some((t.trip.stops[*stop as usize].facility, work[o + k])),
            DayUse::Travel => None,
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn search(
    s: &Scenario,
    trips: &[ChosenTrip],
    work: &[NaiveDate],
    options: &[(usize, Vec<usize>)],
    k: usize,
    used: &mut BTreeMap<(FacilityId, NaiveDate), u32>,
    chosen: &mut [usize],
    budget: &mut u32,
) -> bool {
    if k == options.len() {
        return true;
    }
    let (i, starts) = &options[k];
    for (n, &o) in starts.iter().enumerate() {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        let u = uses(&trips[*i], work, o);
        let fits = u
            .iter()
            .all(|(f, d)| used.get(&(*f, *d)).copied().unwrap_or(0) < s.facility(*f).rooms_per_day);
        if !fits {
            continue;
        }
        for key in &u {
            *used.entry(*key).or_default() += 1;
        }
        chosen[k] = n;
        if search(s, trips, work, options, k + 1, used, chosen, budget) {
            return true;
        }
        for key in &u {
            *used.entry(*key).or_default() -= 1;
        }
    }
    false
}
