//! Placing trip shapes on the weeks of the horizon.

use super::{DayUse, Trip};
use crate::model::*;
use chrono::{Datelike, NaiveDate};

/// A trip made in a given week, starting on a given day.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    /// Closure state the trip was built for.
    pub state: usize,
    /// Index of the trip in its state's list.
    pub trip: usize,
    /// The record travelling.
    pub record: SpecialistId,
    /// Week (0-based).
    pub week: u32,
    /// Date of each day of the trip's pattern.
    pub dates: Vec<NaiveDate>,
}

impl Placement {
    /// Departure date.
    pub fn depart(&self) -> NaiveDate {
        self.dates[0]
    }
    /// Return date.
    pub fn back(&self) -> NaiveDate {
        *self.dates.last().unwrap_or(&self.dates[0])
    }
    /// Calendar month of departure (monthly limits count trips by it).
    pub fn month(&self) -> (i32, u32) {
        (self.dates[0].year(), self.dates[0].month())
    }
}

/// Every feasible (trip, week, start): the earliest and the latest start on
/// consecutive working days free of holidays and of the person's leave.
pub fn place(s: &Scenario, by_state: &[Vec<Trip>], week_state: &[usize]) -> Vec<Placement> {
    let mut out = Vec::new();
    for (w, &state) in week_state.iter().enumerate() {
        let monday = s.horizon.week_start(w as u32);
        let work: Vec<NaiveDate> = (0..7)
            .map(|d| monday + chrono::Days::new(d))
            .filter(|d| s.horizon.is_working_weekday(*d))
            .collect();
        for (t, trip) in by_state[state].iter().enumerate() {
            let len = trip.shape.pattern.len();
            let fits = starts(s, trip.record, &work, len);
            let (Some(&first), Some(&last)) = (fits.first(), fits.last()) else {
                continue;
            };
            for o in if first == last {
                vec![first]
            } else {
                vec![first, last]
            } {
                out.push(Placement {
                    state,
                    trip: t,
                    record: trip.record,
                    week: w as u32,
                    dates: work[o..o + len].to_vec(),
                });
            }
        }
    }
    out
}

/// Offsets into `work` (a week's working dates) where a trip of `len` days by
/// `record` can start: consecutive days, none a holiday, the person (any of
/// their records) free on each.
pub fn starts(s: &Scenario, record: SpecialistId, work: &[NaiveDate], len: usize) -> Vec<usize> {
    let person = s.person(s.specialist(record).person);
    let free = |d: &NaiveDate| {
        !s.horizon.is_holiday(*d)
            && !person
                .records
                .iter()
                .any(|r| s.specialist(*r).is_unavailable_on(*d))
    };
    if len == 0 || len > work.len() {
        return Vec::new();
    }
    (0..=work.len() - len)
        .filter(|&o| work[o..o + len].iter().all(free))
        .collect()
}

/// Consultation dates per stop of a placed trip.
pub fn consult_dates(trip: &Trip, p: &Placement) -> Vec<Vec<NaiveDate>> {
    let mut out = vec![Vec::new(); trip.stops.len()];
    for (day, date) in trip.shape.pattern.iter().zip(&p.dates) {
        if let DayUse::Consult(i) = day {
            out[*i as usize].push(*date);
        }
    }
    out
}
