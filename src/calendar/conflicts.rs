//! Collisions in the merged calendar: the problems unification must resolve.

use super::BookedVisit;
use crate::model::*;
use crate::network::RoadNetwork;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What kind of collision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// One person booked in two places on the same day (possibly by both institutions).
    PersonDoubleBooked,
    /// One person booked in two towns too far apart to drive between in time.
    TravelTime,
    /// One specialty sent to one locality twice within its minimum spacing.
    DuplicateSpecialty,
    /// A consultation day on a public holiday.
    Holiday,
    /// A consultation day when the person is on leave or otherwise unavailable.
    Unavailable,
    /// More visits at a facility on one day than it has consulting rooms.
    RoomCapacity,
    /// More trips in a month than the record allows.
    MonthlyTrips,
    /// More consultation days away in a month than the record allows.
    MonthlyDays,
    /// The locality cannot be reached from the base on that date (road closed).
    RoadClosed,
}

impl ConflictKind {
    /// Short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            ConflictKind::PersonDoubleBooked => "person double-booked",
            ConflictKind::TravelTime => "no time to travel",
            ConflictKind::DuplicateSpecialty => "duplicate specialty",
            ConflictKind::Holiday => "holiday",
            ConflictKind::Unavailable => "unavailable",
            ConflictKind::RoomCapacity => "room capacity",
            ConflictKind::MonthlyTrips => "monthly trips",
            ConflictKind::MonthlyDays => "monthly days",
            ConflictKind::RoadClosed => "road closed",
        }
    }
}

/// One collision, naming every visit involved.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Conflict {
    /// What collides.
    pub kind: ConflictKind,
    /// Ids of the visits involved.
    pub visits: Vec<String>,
    /// Institutions of those visits (two when the calendars collide with each other).
    pub institutions: Vec<String>,
    /// First date concerned.
    pub date: NaiveDate,
    /// Human explanation.
    pub message: String,
}

/// Find every conflict in the merged calendar, sorted by date then kind.
pub fn find(s: &Scenario, net: &RoadNetwork, visits: &[BookedVisit]) -> Vec<Conflict> {
    let mut out = Vec::new();
    person_rules(s, net, visits, &mut out);
    duplicate_specialty(s, visits, &mut out);
    day_rules(s, visits, &mut out);
    room_capacity(s, visits, &mut out);
    monthly_limits(s, visits, &mut out);
    road_closed(s, net, visits, &mut out);
    out.sort_by(|a, b| (a.date, a.kind, &a.visits).cmp(&(b.date, b.kind, &b.visits)));
    out
}

fn conflict(
    s: &Scenario,
    kind: ConflictKind,
    vs: &[&BookedVisit],
    date: NaiveDate,
    message: String,
) -> Conflict {
    let institutions: BTreeSet<String> = vs
        .iter()
        .map(|v| s.institution(v.institution).code.clone())
        .collect();
    Conflict {
        kind,
        visits: vs.iter().map(|v| s.visit(v.id).code.clone()).collect(),
        institutions: institutions.into_iter().collect(),
        date,
        message,
    }
}

fn describe(s: &Scenario, v: &BookedVisit) -> String {
    format!(
        "{} ({}) at {}",
        s.visit(v.id).code,
        s.institution(v.institution).code,
        s.locality(v.locality).name
    )
}

/// Same person on overlapping days, or in consecutive visits too far apart.
fn person_rules(s: &Scenario, net: &RoadNetwork, visits: &[BookedVisit], out: &mut Vec<Conflict>) {
    let mut by_person: BTreeMap<PersonId, Vec<&BookedVisit>> = BTreeMap::new();
    for v in visits {
        by_person.entry(v.person).or_default().push(v);
    }
    let open = net.open();
    for (person, vs) in by_person {
        let name = &s.person(person).name;
        for (i, a) in vs.iter().enumerate() {
            for b in &vs[i + 1..] {
                let shared: Vec<&NaiveDate> =
                    a.dates.iter().filter(|d| b.dates.contains(d)).collect();
                if let Some(first) = shared.first() {
                    out.push(conflict(
                        s,
                        ConflictKind::PersonDoubleBooked,
                        &[a, b],
                        **first,
                        format!(
                            "{name} is booked twice on {} day(s) from {}: {} and {}",
                            shared.len(),
                            first,
                            describe(s, a),
                            describe(s, b)
                        ),
                    ));
                    continue;
                }
                // Consecutive visits in different towns: is there time to drive?
                let (first, second) = if a.dates[0] < b.dates[0] {
                    (a, b)
                } else {
                    (b, a)
                };
                let (Some(end), Some(start)) = (first.dates.last(), second.dates.first()) else {
                    continue;
                };
                let days_between = (*start - *end).num_days();
                if first.locality == second.locality || days_between > 7 {
                    continue;
                }
                if let Some(h) = open.hours(first.locality, second.locality) {
                    let available = days_between as f64 * s.travel.max_driving_hours_per_day;
                    if h > available {
                        out.push(conflict(
                            s,
                            ConflictKind::TravelTime,
                            &[first, second],
                            *start,
                            format!(
                                "{name} needs {h:.1} h to drive from {} to {} but has {available:.0} h between {} and {}",
                                s.locality(first.locality).name,
                                s.locality(second.locality).name,
                                s.visit(first.id).code,
                                s.visit(second.id).code
                            ),
                        ));
                    }
                }
            }
        }
    }
}

/// Same specialty at one locality closer than its minimum spacing, whoever sends it.
fn duplicate_specialty(s: &Scenario, visits: &[BookedVisit], out: &mut Vec<Conflict>) {
    let mut groups: BTreeMap<(LocalityId, SpecialtyId), Vec<&BookedVisit>> = BTreeMap::new();
    for v in visits {
        groups.entry((v.locality, v.specialty)).or_default().push(v);
    }
    for ((loc, spec), vs) in groups {
        let sp = s.specialty(spec);
        for (i, a) in vs.iter().enumerate() {
            for b in &vs[i + 1..] {
                let apart = a.week.abs_diff(b.week);
                if apart < sp.min_spacing_weeks {
                    out.push(conflict(
                        s,
                        ConflictKind::DuplicateSpecialty,
                        &[a, b],
                        a.dates[0].min(b.dates[0]),
                        format!(
                            "{} at {} twice {apart} week(s) apart (minimum {}): {} and {}",
                            sp.name,
                            s.locality(loc).name,
                            sp.min_spacing_weeks,
                            describe(s, a),
                            describe(s, b)
                        ),
                    ));
                }
            }
        }
    }
}

/// Holidays and unavailability (any record of the person).
fn day_rules(s: &Scenario, visits: &[BookedVisit], out: &mut Vec<Conflict>) {
    for v in visits {
        let holidays: Vec<&NaiveDate> = v
            .dates
            .iter()
            .filter(|d| s.horizon.is_holiday(**d))
            .collect();
        if let Some(d) = holidays.first() {
            out.push(conflict(
                s,
                ConflictKind::Holiday,
                &[v],
                **d,
                format!(
                    "{} has a consultation day on {} ({})",
                    describe(s, v),
                    d,
                    s.horizon.holidays.get(*d).map_or("", String::as_str)
                ),
            ));
        }
        let person = s.person(v.person);
        let off: Vec<&NaiveDate> = v
            .dates
            .iter()
            .filter(|d| {
                person
                    .records
                    .iter()
                    .any(|r| s.specialist(*r).is_unavailable_on(**d))
            })
            .collect();
        if let Some(d) = off.first() {
            out.push(conflict(
                s,
                ConflictKind::Unavailable,
                &[v],
                **d,
                format!(
                    "{} is unavailable on {} day(s) of {} from {}",
                    person.name,
                    off.len(),
                    describe(s, v),
                    d
                ),
            ));
        }
    }
}

fn room_capacity(s: &Scenario, visits: &[BookedVisit], out: &mut Vec<Conflict>) {
    let mut use_: BTreeMap<(FacilityId, NaiveDate), Vec<&BookedVisit>> = BTreeMap::new();
    for v in visits {
        for d in &v.dates {
            use_.entry((v.facility, *d)).or_default().push(v);
        }
    }
    // Report one conflict per facility and group of visits, not one per day.
    let mut seen: BTreeSet<(FacilityId, Vec<VisitId>)> = BTreeSet::new();
    for ((f, date), vs) in use_ {
        let fac = s.facility(f);
        if vs.len() as u32 > fac.rooms_on(date) {
            let key = (f, vs.iter().map(|v| v.id).collect());
            if seen.insert(key) {
                out.push(conflict(
                    s,
                    ConflictKind::RoomCapacity,
                    &vs,
                    date,
                    format!(
                        "{} visits at {} on {date} but it has {} consulting room(s) for itinerants",
                        vs.len(),
                        fac.name,
                        fac.rooms_on(date)
                    ),
                ));
            }
        }
    }
}

fn monthly_limits(s: &Scenario, visits: &[BookedVisit], out: &mut Vec<Conflict>) {
    let mut by_month: BTreeMap<(SpecialistId, (i32, u32)), Vec<&BookedVisit>> = BTreeMap::new();
    for v in visits {
        by_month
            .entry((v.specialist, Horizon::month_key(v.dates[0])))
            .or_default()
            .push(v);
    }
    for ((rec, (y, m)), vs) in by_month {
        let r = s.specialist(rec);
        let name = &s.person(r.person).name;
        let date = vs[0].dates[0];
        if vs.len() as u32 > r.max_trips_per_month {
            out.push(conflict(
                s,
                ConflictKind::MonthlyTrips,
                &vs,
                date,
                format!(
                    "{name} ({}) has {} trips in {y}-{m:02}, limit {}",
                    r.code,
                    vs.len(),
                    r.max_trips_per_month
                ),
            ));
        }
        let days: usize = vs.iter().map(|v| v.dates.len()).sum();
        if days as u32 > r.max_days_away_per_month {
            out.push(conflict(
                s,
                ConflictKind::MonthlyDays,
                &vs,
                date,
                format!(
                    "{name} ({}) has {days} consultation days away in {y}-{m:02}, limit {}",
                    r.code, r.max_days_away_per_month
                ),
            ));
        }
    }
}

fn road_closed(s: &Scenario, net: &RoadNetwork, visits: &[BookedVisit], out: &mut Vec<Conflict>) {
    for v in visits {
        let base = s.specialist(v.specialist).base;
        if let Err(e) = net.round_trip_km(base, v.locality, v.dates[0]) {
            out.push(conflict(
                s,
                ConflictKind::RoadClosed,
                &[v],
                v.dates[0],
                format!("{}: {e}", describe(s, v)),
            ));
        }
    }
}
