//! Consulting rooms: the consultation days booked at a facility in a week fit
//! its rooms on the week's free working days, and the days of trips that
//! can only consult in part of the week (a far town: travel Monday and
//! Friday) fit the rooms of that part. Days are then laid out so that no day
//! exceeds the rooms (see `crate::plan::schedule`).

use super::context::Context;
use super::parts::{Group, Parts, Scope};
use super::vars::WeekVars;
use crate::model::FacilityId;
use good_lp::Expression;
use std::collections::BTreeMap;

pub fn add(ctx: &Context<'_>, weeks: &[WeekVars], scope: &Scope, p: &mut Parts) {
    let s = ctx.scenario;
    let mut load: BTreeMap<(FacilityId, u32), Expression> = BTreeMap::new();
    for wv in weeks {
        // A record uses one facility per locality, so its days at l are its days at f.
        let mut pairs: Vec<(FacilityId, crate::model::LocalityId)> = wv
            .routes
            .iter()
            .flat_map(|rv| rv.route.stops.iter().map(|(l, f)| (*f, *l)))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        for (f, l) in pairs {
            *load.entry((f, wv.week)).or_default() += wv.days_at(l);
        }
    }
    for ((f, w), e) in load {
        let full = s.facility(f).room_days(&ctx.free_dates[w as usize]);
        // The bound counts every room; the plans of separately solved
        // components fit together when each keeps to its share.
        if let Some(share) = scope.room_quota.get(&(f, w)).filter(|q| **q < full) {
            p.shares.push((p.rows.len(), *share));
        }
        p.row(Group::Rooms, e.leq(full));
    }
    add_windows(ctx, weeks, p);
}

/// The working days (indices into the week's working dates) on which a
/// route's consultations at each stop can fall: after the travel and the
/// earlier stops' days (one each at least) from the record's first free
/// day, before the later ones and the travel back to its last free day.
fn windows(
    s: &crate::model::Scenario,
    route: &crate::trips::Route,
    free: (usize, usize),
) -> Vec<(usize, usize)> {
    let pattern = route.trip(s, &vec![1; route.stops.len()]).shape.pattern;
    let len = pattern.len();
    (0..route.stops.len())
        .map(|i| {
            let at = |d: &crate::trips::DayUse| matches!(d, crate::trips::DayUse::Consult(k) if *k as usize == i);
            let first = pattern.iter().position(at).unwrap_or(0);
            let last = pattern.iter().rposition(at).unwrap_or(len.saturating_sub(1));
            (free.0 + first, free.1.saturating_sub(len - 1 - last))
        })
        .collect()
}

/// Rooms over parts of the week: for a facility, a week and each window of
/// days some route's consultations there are confined to (see [`windows`]),
/// the staying days of the records whose chosen route is confined to it
/// fit the rooms of those days. A record whose route is not confined counts
/// its days less the most it can have (nothing), so the row holds whatever
/// it chooses. Four trips that travel Monday and Friday to a three-room
/// hospital fit the week's 15 room-days but not Tuesday to Thursday's 9.
fn add_windows(ctx: &Context<'_>, weeks: &[WeekVars], p: &mut Parts) {
    use crate::model::LocalityId;
    let s = ctx.scenario;
    /// A record-week's stop: (index into `weeks`, locality).
    type Stop = (usize, LocalityId);
    /// Its staying routes (index into the week's routes) and their windows.
    type Windows = Vec<(usize, (usize, usize))>;
    // (facility, week) → stop → windows.
    let mut at: BTreeMap<(FacilityId, u32), BTreeMap<Stop, Windows>> = BTreeMap::new();
    // Trips are laid out on consecutive working dates (see `trips::starts`).
    let work: Vec<Vec<chrono::NaiveDate>> = (0..s.horizon.weeks)
        .map(|w| crate::trips::working_dates(s, w))
        .collect();
    for (k, wv) in weeks.iter().enumerate() {
        let free = crate::trips::starts(s, wv.record, &work[wv.week as usize], 1);
        let (Some(&first), Some(&last)) = (free.first(), free.last()) else {
            continue;
        };
        for (i, rv) in wv
            .routes
            .iter()
            .enumerate()
            .filter(|(_, rv)| !rv.route.commute)
        {
            for ((l, f), win) in rv
                .route
                .stops
                .iter()
                .zip(windows(s, &rv.route, (first, last)))
            {
                at.entry((*f, wv.week))
                    .or_default()
                    .entry((k, *l))
                    .or_default()
                    .push((i, win));
            }
        }
    }
    for ((f, w), stops) in at {
        let (work, free) = (&work[w as usize], &ctx.free_dates[w as usize]);
        let fac = s.facility(f);
        // Room-days of the span's free dates, as the weekly row counts them.
        let rooms = |(a, b): (usize, usize)| -> f64 {
            let span = work.get(a..=b.min(work.len().saturating_sub(1)));
            fac.room_days(span.unwrap_or(&[]).iter().filter(|d| free.contains(d)))
        };
        let week = fac.room_days(free);
        let mut wins: Vec<(usize, (usize, usize))> = stops.values().flatten().copied().collect();
        wins.sort_unstable_by_key(|x| x.1);
        wins.dedup_by_key(|x| x.1);
        for (_, win) in wins.into_iter().filter(|(_, x)| x.0 <= x.1) {
            let cap = rooms(win);
            if cap >= week {
                continue;
            }
            let inside = |x: (usize, usize)| x.0 <= x.1 && x.0 >= win.0 && x.1 <= win.1;
            let mut e = Expression::default();
            let mut confined = false;
            for ((k, l), routes) in &stops {
                let wv = &weeks[*k];
                let Some((days, _)) = wv.stay_days.get(l) else {
                    continue;
                };
                confined |= routes.iter().any(|(_, x)| inside(*x));
                let max = f64::from(s.specialty(s.specialist(wv.record).specialty).max_days);
                e.add_mul(1.0, *days);
                for (i, x) in routes {
                    if !inside(*x) {
                        e.add_mul(-max, wv.routes[*i].z);
                    }
                }
            }
            if confined {
                p.row(Group::Rooms, e.leq(cap));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trips::DayUse;

    /// Every route of tiny, and of every seventh record of Santa Cruz in
    /// three weeks, with every number of days per stop and every start its
    /// record is free for, consults within its windows.
    #[test]
    fn consultations_fall_within_the_windows() {
        check_windows("scenarios/tiny", 1, &(0..13).collect::<Vec<_>>());
        check_windows("scenarios/santa-cruz", 7, &[0, 3, 20]);
    }

    fn check_windows(scenario: &str, step: usize, weeks: &[u32]) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(scenario);
        let s = crate::scenario::load(&dir).expect("a valid scenario");
        let net = crate::network::RoadNetwork::new(&s);
        let ctx = Context::new(&s, &net);
        let mut checked = 0;
        for r in (0..s.specialists.len()).step_by(step) {
            let rid = crate::model::SpecialistId::from_index(r);
            let max = s.specialty(s.specialist(rid).specialty).max_days;
            for &w in weeks.iter().filter(|w| **w < s.horizon.weeks) {
                let work = crate::trips::working_dates(&s, w);
                let free = crate::trips::starts(&s, rid, &work, 1);
                let (Some(&a), Some(&b)) = (free.first(), free.last()) else {
                    continue;
                };
                for route in ctx.routes(rid, w).iter().filter(|r| !r.commute) {
                    let wins = windows(&s, route, (a, b));
                    let n = route.stops.len();
                    for code in 0..max.pow(n as u32) {
                        let days: Vec<u32> =
                            (0..n).map(|i| code / max.pow(i as u32) % max + 1).collect();
                        let trip = route.trip(&s, &days);
                        let len = trip.shape.pattern.len();
                        for o in crate::trips::starts(&s, rid, &work, len) {
                            for (k, d) in trip.shape.pattern.iter().enumerate() {
                                if let DayUse::Consult(i) = d {
                                    let (lo, hi) = wins[*i as usize];
                                    assert!(
                                        (lo..=hi).contains(&(o + k)),
                                        "record {r} week {w} days {days:?} start {o}: day {} outside {lo}..={hi}",
                                        o + k
                                    );
                                    checked += 1;
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 50, "{scenario}: {checked} consultations checked");
    }
}
