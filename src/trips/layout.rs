//! Laying out one week's trips on days: each trip takes consecutive free
//! working days of its person (no holiday, no leave), and no facility hosts
//! more visits on a day than it has rooms. Used while building plans (the
//! greedy start keeps every week layable) and to date the final plan.

use super::{DayUse, Trip, starts};
use crate::model::{FacilityId, Scenario};
use chrono::{Days, NaiveDate};
use petgraph::unionfind::UnionFind;
use std::collections::BTreeMap;

/// Search nodes tried per group of a week (see [`lay_out_week_or_clash`])
/// before giving up.
const BUDGET: u32 = 200_000;

/// The working dates of a week.
pub fn working_dates(s: &Scenario, week: u32) -> Vec<NaiveDate> {
    let monday = s.horizon.week_start(week);
    (0..7)
        .map(|d| monday + Days::new(d))
        .filter(|d| s.horizon.is_working_weekday(*d))
        .collect()
}

/// Dates of each day of each trip of `week`, in the order given, or `None`
/// when no layout fits the rooms.
pub fn lay_out_week(s: &Scenario, week: u32, trips: &[&Trip]) -> Option<Vec<Vec<NaiveDate>>> {
    lay_out_week_within(s, week, trips, &BTreeMap::new())
}

/// As [`lay_out_week`], with `taken` rooms of some (facility, date) already
/// in use by others (plans of other specialties solved separately).
pub fn lay_out_week_within(
    s: &Scenario,
    week: u32,
    trips: &[&Trip],
    taken: &BTreeMap<(FacilityId, NaiveDate), u32>,
) -> Option<Vec<Vec<NaiveDate>>> {
    lay_out_week_preferring(s, week, trips, &[], taken)
}

/// As [`lay_out_week_within`], trying first for each trip the departure
/// date `prefer` gives it (by position; missing or `None`: no preference).
/// When every preferred date fits, the layout is exactly those dates: a
/// replan keeps the days of the trips it keeps.
pub fn lay_out_week_preferring(
    s: &Scenario,
    week: u32,
    trips: &[&Trip],
    prefer: &[Option<NaiveDate>],
    taken: &BTreeMap<(FacilityId, NaiveDate), u32>,
) -> Option<Vec<Vec<NaiveDate>>> {
    lay_out_week_or_clash(s, week, trips, prefer, taken).ok()
}

/// As [`lay_out_week_preferring`]; when no layout fits, the positions of
/// the trips that could not be laid out together: a group of trips linked
/// by the facilities they share.
///
/// Trips that share no facility never compete for a room, so each such
/// group is laid out on its own (the same layout as one search over all,
/// found in a fraction of the time): a national week of hundreds of trips
/// is many small searches, and a week that does not fit points at the
/// group that does not.
pub fn lay_out_week_or_clash(
    s: &Scenario,
    week: u32,
    trips: &[&Trip],
    prefer: &[Option<NaiveDate>],
    taken: &BTreeMap<(FacilityId, NaiveDate), u32>,
) -> Result<Vec<Vec<NaiveDate>>, Vec<usize>> {
    let work = working_dates(s, week);
    let mut out = vec![Vec::new(); trips.len()];
    for group in groups(trips) {
        let members: Vec<&Trip> = group.iter().map(|i| trips[*i]).collect();
        let wanted: Vec<Option<NaiveDate>> = group
            .iter()
            .map(|i| prefer.get(*i).copied().flatten())
            .collect();
        let dates = lay_out_group(s, &work, &members, &wanted, taken).ok_or(group.clone())?;
        for (i, d) in group.into_iter().zip(dates) {
            out[i] = d;
        }
    }
    Ok(out)
}

/// Positions of the trips, grouped by shared facilities (union-find).
fn groups(trips: &[&Trip]) -> Vec<Vec<usize>> {
    let mut sets = UnionFind::<usize>::new(trips.len());
    let mut first: BTreeMap<FacilityId, usize> = BTreeMap::new();
    for (i, t) in trips.iter().enumerate() {
        for stop in &t.stops {
            let j = *first.entry(stop.facility).or_insert(i);
            sets.union(i, j);
        }
    }
    let mut out: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..trips.len() {
        out.entry(sets.find(i)).or_default().push(i);
    }
    out.into_values().collect()
}

/// Lay out one group of trips: start offsets where each trip fits its
/// person's free days, the preferred one first; most constrained trips
/// first; depth-first within [`BUDGET`] nodes.
fn lay_out_group(
    s: &Scenario,
    work: &[NaiveDate],
    trips: &[&Trip],
    prefer: &[Option<NaiveDate>],
    taken: &BTreeMap<(FacilityId, NaiveDate), u32>,
) -> Option<Vec<Vec<NaiveDate>>> {
    let mut options: Vec<(usize, Vec<usize>)> = trips
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut offsets = starts(s, t.record, work, t.shape.pattern.len());
            let wanted = prefer.get(i).copied().flatten();
            if let Some(k) = offsets.iter().position(|&o| Some(work[o]) == wanted) {
                let o = offsets.remove(k);
                offsets.insert(0, o);
            }
            (i, offsets)
        })
        .collect();
    options.sort_by_key(|(i, starts)| (starts.len(), *i));
    let mut used: BTreeMap<(FacilityId, NaiveDate), u32> = taken.clone();
    let mut chosen = vec![0usize; options.len()];
    let mut budget = BUDGET;
    let mut search = Search {
        s,
        trips,
        work,
        options: &options,
        used: &mut used,
        chosen: &mut chosen,
        placed: vec![false; options.len()],
        budget: &mut budget,
    };
    if !search.run(0) {
        return None;
    }
    let mut out = vec![Vec::new(); trips.len()];
    for (k, (i, starts)) in options.iter().enumerate() {
        let o = starts[chosen[k]];
        out[*i] = work[o..o + trips[*i].shape.pattern.len()].to_vec();
    }
    Some(out)
}

/// Consultation (facility, date) pairs of a trip laid out on `dates`.
pub fn consultations(t: &Trip, dates: &[NaiveDate]) -> Vec<(FacilityId, NaiveDate)> {
    t.shape
        .pattern
        .iter()
        .zip(dates)
        .filter_map(|(d, date)| match d {
            DayUse::Consult(stop) => Some((t.stops[*stop as usize].facility, *date)),
            DayUse::Travel => None,
        })
        .collect()
}

/// Depth-first search over start offsets, rooms counted per facility and
/// day. The next trip placed is the one with the fewest offsets that still
/// fit (a trip with none ends the branch at once): a national week's group
/// of thirty trips was seen to exhaust the budget in a fixed order and to
/// fit in a few hundred nodes this way.
struct Search<'a> {
    s: &'a Scenario,
    trips: &'a [&'a Trip],
    work: &'a [NaiveDate],
    options: &'a [(usize, Vec<usize>)],
    used: &'a mut BTreeMap<(FacilityId, NaiveDate), u32>,
    chosen: &'a mut [usize],
    placed: Vec<bool>,
    budget: &'a mut u32,
}

impl Search<'_> {
    fn fits(&self, i: usize, o: usize) -> bool {
        consultations(self.trips[i], &self.work[o..])
            .iter()
            .all(|(f, d)| {
                self.used.get(&(*f, *d)).copied().unwrap_or(0) < self.s.facility(*f).rooms_on(*d)
            })
    }

    fn run(&mut self, depth: usize) -> bool {
        if depth == self.options.len() {
            return true;
        }
        // The unplaced trip with the fewest fitting offsets, in their order.
        let mut pick: Option<(usize, Vec<usize>)> = None;
        for (k, (i, starts)) in self.options.iter().enumerate() {
            if self.placed[k] {
                continue;
            }
            let fit: Vec<usize> = (0..starts.len())
                .filter(|n| self.fits(*i, starts[*n]))
                .collect();
            if fit.is_empty() {
                return false;
            }
            if pick.as_ref().is_none_or(|(_, best)| fit.len() < best.len()) {
                pick = Some((k, fit));
            }
        }
        let Some((k, fit)) = pick else {
            return true;
        };
        let (i, starts) = &self.options[k];
        self.placed[k] = true;
        for n in fit {
            if *self.budget == 0 {
                break;
            }
            *self.budget -= 1;
            let u = consultations(self.trips[*i], &self.work[starts[n]..]);
            for key in &u {
                *self.used.entry(*key).or_default() += 1;
            }
            self.chosen[k] = n;
            if self.run(depth + 1) {
                return true;
            }
            for key in &u {
                *self.used.entry(*key).or_default() -= 1;
            }
        }
        self.placed[k] = false;
        false
    }
}
