//! Dating the chosen trips week by week (see `crate::trips::lay_out_week`),
//! and naming the most contested facility of the trips of a week that
//! cannot be laid out together.

use crate::model::{FacilityId, Scenario};
use crate::optimize::ChosenTrip;
use crate::trips::{Trip, lay_out_week_or_clash, working_dates};
use chrono::NaiveDate;
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

/// Dates of each day of each trip, in the order of `trips`; a trip with a
/// preferred departure leaves then if the week allows.
pub fn lay_out(s: &Scenario, trips: &[ChosenTrip]) -> Result<Vec<Vec<NaiveDate>>, NoLayout> {
    let mut out = vec![Vec::new(); trips.len()];
    let mut by_week: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, t) in trips.iter().enumerate() {
        by_week.entry(t.week).or_default().push(i);
    }
    for (week, idx) in by_week {
        let week_trips: Vec<&Trip> = idx.iter().map(|&i| &trips[i].trip).collect();
        let prefer: Vec<_> = idx.iter().map(|&i| trips[i].depart).collect();
        let dates = lay_out_week_or_clash(s, week, &week_trips, &prefer, &BTreeMap::new())
            .map_err(|clash| {
                let group: Vec<&Trip> = clash.iter().map(|i| week_trips[*i]).collect();
                NoLayout {
                    week,
                    facility: most_contested(s, week, &group),
                }
            })?;
        for (i, d) in idx.into_iter().zip(dates) {
            out[i] = d;
        }
    }
    Ok(out)
}

/// The facility booked closest to its rooms in a week.
fn most_contested(s: &Scenario, week: u32, trips: &[&Trip]) -> FacilityId {
    let mut load: BTreeMap<FacilityId, u32> = BTreeMap::new();
    for t in trips {
        for stop in &t.stops {
            *load.entry(stop.facility).or_default() += stop.days;
        }
    }
    let free: Vec<_> = working_dates(s, week)
        .into_iter()
        .filter(|d| !s.horizon.is_holiday(*d))
        .collect();
    let ratio =
        |f: FacilityId, days: u32| f64::from(days) / s.facility(f).room_days(&free).max(1.0);
    load.iter()
        .max_by(|a, b| ratio(*a.0, *a.1).total_cmp(&ratio(*b.0, *b.1)))
        .map_or(FacilityId(0), |(f, _)| *f)
}
