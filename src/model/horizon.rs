//! The planning horizon: which days exist, which are worked, which are holidays.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use chrono_tz::Tz;
use std::collections::BTreeMap;

/// The period being planned, split into whole weeks starting on a Monday.
///
/// Weeks are the optimizer's time unit; days matter for holidays,
/// availability and consulting rooms.
#[derive(Clone, Debug, PartialEq)]
pub struct Horizon {
    /// First day of the horizon; always a Monday.
    pub start: NaiveDate,
    /// Number of weeks planned.
    pub weeks: u32,
    /// Weekdays on which consultations happen (e.g. Monday to Friday).
    pub working_days: Vec<Weekday>,
    /// Public holidays inside the horizon, with their names.
    pub holidays: BTreeMap<NaiveDate, String>,
    /// Time zone of the province, used when publishing timed events.
    pub time_zone: Tz,
}

impl Horizon {
    /// Last day of the horizon (a Sunday).
    pub fn end(&self) -> NaiveDate {
        self.start + Days::new(u64::from(self.weeks) * 7 - 1)
    }

    /// Whether `date` falls inside the horizon.
    pub fn contains(&self, date: NaiveDate) -> bool {
        date >= self.start && date <= self.end()
    }

    /// Week index (0-based) of `date`, or `None` outside the horizon.
    pub fn week_of(&self, date: NaiveDate) -> Option<u32> {
        if !self.contains(date) {
            return None;
        }
        u32::try_from((date - self.start).num_days() / 7).ok()
    }

    /// Monday of week `week`.
    pub fn week_start(&self, week: u32) -> NaiveDate {
        self.start + Days::new(u64::from(week) * 7)
    }

    /// Whether consultations are normally held on this weekday.
    pub fn is_working_weekday(&self, date: NaiveDate) -> bool {
        self.working_days.contains(&date.weekday())
    }

    /// Whether `date` is a public holiday.
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.contains_key(&date)
    }

    /// The `days` consultation dates of a visit starting on `start`: consecutive
    /// working weekdays (weekends skipped). Holidays are *not* skipped, so a
    /// visit booked over a holiday shows up as a conflict instead of silently
    /// shifting.
    pub fn consultation_dates(&self, start: NaiveDate, days: u32) -> Vec<NaiveDate> {
        let mut out = Vec::with_capacity(days as usize);
        let mut d = start;
        // A week has at least one working day (validated), so this ends.
        while out.len() < days as usize {
            if self.is_working_weekday(d) {
                out.push(d);
            }
            d = d + Days::new(1);
        }
        out
    }

    /// Calendar month key (year, month) of a date, used for monthly limits.
    pub fn month_key(date: NaiveDate) -> (i32, u32) {
        (date.year(), date.month())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn horizon() -> Horizon {
        Horizon {
            start: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
            weeks: 2,
            working_days: vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ],
            holidays: BTreeMap::new(),
            time_zone: chrono_tz::America::Argentina::Rio_Gallegos,
        }
    }

    #[test]
    fn end_and_weeks() {
        let h = horizon();
        assert_eq!(h.end(), NaiveDate::from_ymd_opt(2027, 3, 14).unwrap());
        assert_eq!(
            h.week_of(NaiveDate::from_ymd_opt(2027, 3, 8).unwrap()),
            Some(1)
        );
        assert_eq!(
            h.week_of(NaiveDate::from_ymd_opt(2027, 3, 15).unwrap()),
            None
        );
    }

    #[test]
    fn consultation_dates_skip_weekends() {
        let h = horizon();
        let thu = NaiveDate::from_ymd_opt(2027, 3, 4).unwrap();
        let dates = h.consultation_dates(thu, 3);
        assert_eq!(
            dates,
            vec![
                thu,
                NaiveDate::from_ymd_opt(2027, 3, 5).unwrap(),
                NaiveDate::from_ymd_opt(2027, 3, 8).unwrap()
            ]
        );
    }
}
