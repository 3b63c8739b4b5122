//! Collisions in the merged calendar: the problems unification must resolve.

use super::BookedVisit;
use crate::lang::Text;
use crate::model::*;
use crate::network::RoadNetwork;
use crate::tr;
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
    /// The stable code (`plan.json` `conflicts[].kind`); its words are in
    /// the catalogue (`Lang::conflict_kind`).
    pub fn code(self) -> &'static str {
        match self {
            ConflictKind::PersonDoubleBooked => "person_double_booked",
            ConflictKind::TravelTime => "travel_time",
            ConflictKind::DuplicateSpecialty => "duplicate_specialty",
            ConflictKind::Holiday => "holiday",
            ConflictKind::Unavailable => "unavailable",
            ConflictKind::RoomCapacity => "room_capacity",
            ConflictKind::MonthlyTrips => "monthly_trips",
            ConflictKind::MonthlyDays => "monthly_days",
            ConflictKind::RoadClosed => "road_closed",
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
    /// Human explanation, in both languages.
    pub message: Text,
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
    message: Text,
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

fn describe(s: &Scenario, v: &BookedVisit) -> Text {
    let (visit, inst, town) = (
        &s.visit(v.id).code,
        &s.institution(v.institution).code,
        &s.locality(v.locality).name,
    );
    tr!("{visit} ({inst}) en {town}", "{visit} ({inst}) at {town}")
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
                        {
                            let (n, da, db) = (shared.len(), describe(s, a), describe(s, b));
                            tr!(
                                "{name} tiene doble reserva en {n} día(s) desde {first}: {} y {}",
                                "{name} is booked twice on {n} day(s) from {first}: {} and {}",
                                da.es, db.es; da.en, db.en
                            )
                        },
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
                            {
                                let (from, to) = (
                                    &s.locality(first.locality).name,
                                    &s.locality(second.locality).name,
                                );
                                let (va, vb) = (&s.visit(first.id).code, &s.visit(second.id).code);
                                tr!(
                                    "{name} necesita {h:.1} h para manejar de {from} a {to} pero tiene {available:.0} h entre {va} y {vb}",
                                    "{name} needs {h:.1} h to drive from {from} to {to} but has {available:.0} h between {va} and {vb}"
                                )
                            },
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
                        {
                            let (name, town, min) =
                                (&sp.name, &s.locality(loc).name, sp.min_spacing_weeks);
                            let (da, db) = (describe(s, a), describe(s, b));
                            tr!(
                                "{name} en {town} dos veces con {apart} semana(s) de distancia (mínimo {min}): {} y {}",
                                "{name} at {town} twice {apart} week(s) apart (minimum {min}): {} and {}",
                                da.es, db.es; da.en, db.en
                            )
                        },
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
            out.push(conflict(s, ConflictKind::Holiday, &[v], **d, {
                let visit = describe(s, v);
                let holiday = s.horizon.holidays.get(*d).map_or("", String::as_str);
                tr!(
                    "{} tiene un día de consulta el {d}, feriado ({holiday})",
                    "{} has a consultation day on {d} ({holiday})",
                    visit.es; visit.en
                )
            }));
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
            out.push(conflict(s, ConflictKind::Unavailable, &[v], **d, {
                let (name, n, visit) = (&person.name, off.len(), describe(s, v));
                tr!(
                    "{name} no está disponible {n} día(s) de {} desde {d}",
                    "{name} is unavailable on {n} day(s) of {} from {d}",
                    visit.es; visit.en
                )
            }));
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
                    {
                        let (n, name, rooms) = (vs.len(), &fac.name, fac.rooms_on(date));
                        tr!(
                            "{n} visitas en {name} el {date} pero tiene {rooms} consultorio(s) para itinerantes",
                            "{n} visits at {name} on {date} but it has {rooms} consulting room(s) for itinerants"
                        )
                    },
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
            out.push(conflict(s, ConflictKind::MonthlyTrips, &vs, date, {
                let (code, n, limit) = (&r.code, vs.len(), r.max_trips_per_month);
                tr!(
                    "{name} ({code}) tiene {n} viajes en {y}-{m:02}, límite {limit}",
                    "{name} ({code}) has {n} trips in {y}-{m:02}, limit {limit}"
                )
            }));
        }
        let days: usize = vs.iter().map(|v| v.dates.len()).sum();
        if days as u32 > r.max_days_away_per_month {
            out.push(conflict(
                s,
                ConflictKind::MonthlyDays,
                &vs,
                date,
                {
                    let (code, limit) = (&r.code, r.max_days_away_per_month);
                    tr!(
                        "{name} ({code}) tiene {days} días de consulta fuera en {y}-{m:02}, límite {limit}",
                        "{name} ({code}) has {days} consultation days away in {y}-{m:02}, limit {limit}"
                    )
                },
            ));
        }
    }
}

fn road_closed(s: &Scenario, net: &RoadNetwork, visits: &[BookedVisit], out: &mut Vec<Conflict>) {
    for v in visits {
        let base = s.specialist(v.specialist).base;
        if let Err(e) = net.round_trip_km(base, v.locality, v.dates[0]) {
            out.push(conflict(s, ConflictKind::RoadClosed, &[v], v.dates[0], {
                let visit = describe(s, v);
                let (to, from) = (&e.to, &e.from);
                match e.date {
                    Some(d) => tr!(
                        "{}: {to} no se alcanza desde {from} por camino el {d} (caminos cerrados)",
                        "{}: {e}",
                        visit.es; visit.en
                    ),
                    None => tr!(
                        "{}: {to} no se alcanza desde {from} por camino",
                        "{}: {e}",
                        visit.es; visit.en
                    ),
                }
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ConflictKind;

    #[test]
    fn each_kind_code_is_its_serialized_name() {
        for k in [
            ConflictKind::PersonDoubleBooked,
            ConflictKind::TravelTime,
            ConflictKind::DuplicateSpecialty,
            ConflictKind::Holiday,
            ConflictKind::Unavailable,
            ConflictKind::RoomCapacity,
            ConflictKind::MonthlyTrips,
            ConflictKind::MonthlyDays,
            ConflictKind::RoadClosed,
        ] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.code());
        }
    }
}
