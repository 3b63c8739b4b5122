//! Validation of the CSV tables into model entities, resolving every
//! reference by id and reporting each unknown one.

use super::diagnostic::{Code, Diagnostics, Position};
use super::limits::{self, Range};
use super::table::{Columns, Row, Table};
use crate::lang::Lang;
use crate::model::*;
use crate::tr;
use std::collections::{HashMap, HashSet};

/// Id lookups built as tables are read, so later tables can refer to earlier ones.
#[derive(Default)]
pub struct Ids {
    pub institutions: HashMap<String, InstitutionId>,
    pub specialties: HashMap<String, SpecialtyId>,
    pub localities: HashMap<String, LocalityId>,
    pub facilities: HashMap<String, FacilityId>,
    pub specialists: HashMap<String, SpecialistId>,
}

/// The Spanish words, with their article, for a kind of record named in
/// English in the code (`locality` → `la localidad`).
pub fn noun(what: &str) -> &'static str {
    match what {
        "locality" => "la localidad",
        "institution" => "la institución",
        "specialty" => "la especialidad",
        "specialist record" => "el legajo de especialista",
        "facility" => "el establecimiento",
        "visit" => "la visita",
        "demand row" => "la fila de demanda",
        "trip" => "el viaje",
        "person" => "la persona",
        _ => "el registro",
    }
}

fn index_of<T: Copy>(
    map: &HashMap<String, T>,
    row: &Row<'_>,
    column: &str,
    code: Code,
    what: &str,
    d: &mut Diagnostics,
) -> Option<T> {
    let v = row.raw(column);
    let found = map.get(v).copied();
    if found.is_none() {
        let mut known: Vec<&str> = map.keys().map(String::as_str).collect();
        known.sort_unstable();
        let hint = if known.len() <= 12 {
            let known = known.join(", ");
            tr!("use uno de: {known}", "use one of: {known}")
        } else {
            tr!(
                "use un id definido en su tabla",
                "use an id defined in the {what} table"
            )
        };
        let es = noun(what);
        d.push(
            code,
            row.path(),
            &row.pos(column),
            column,
            tr!("no existe {es} `{v}`", "unknown {what} `{v}`"),
            hint,
        );
    }
    found
}

fn unique(
    seen: &mut HashSet<String>,
    id: &str,
    row: &Row<'_>,
    column: &str,
    what: &str,
    d: &mut Diagnostics,
) -> bool {
    if seen.insert(id.to_string()) {
        true
    } else {
        d.push(
            Code::DuplicateId,
            row.path(),
            &row.pos(column),
            column,
            {
                let es = noun(what);
                tr!(
                    "{es} `{id}` se define dos veces",
                    "{what} `{id}` is defined twice"
                )
            },
            tr!(
                "quite la fila repetida o dele otro valor en `{column}`",
                "remove the duplicated row or give it another {column}"
            ),
        );
        false
    }
}

fn count(row: &Row<'_>, column: &str, min: i64, d: &mut Diagnostics) -> Option<u32> {
    let v = row.integer(column, d)?;
    match u32::try_from(v) {
        Ok(x) if i64::from(x) >= min => Some(x),
        _ => {
            d.push(
                Code::NotPositive,
                row.path(),
                &row.pos(column),
                column,
                tr!("{v} debe ser al menos {min}", "{v} must be at least {min}"),
                tr!(
                    "use un número entero >= {min}",
                    "use a whole number >= {min}"
                ),
            );
            None
        }
    }
}

/// A number cell within its documented range (see `limits`).
fn amount(row: &Row<'_>, column: &str, range: Range, d: &mut Diagnostics) -> Option<f64> {
    let v = row.number(column, d)?;
    match range.check(v) {
        Ok(v) => Some(v),
        Err((code, message, fix)) => {
            d.push(code, row.path(), &row.pos(column), column, message, fix);
            None
        }
    }
}

pub const LOCALITIES: Columns = Columns {
    required: &["id", "name", "zone", "lat", "lon", "population"],
    optional: &["region"],
};

pub fn localities(t: &Table, ids: &mut Ids, d: &mut Diagnostics) -> Vec<Locality> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for row in t.rows() {
        let (id, name, zone) = (row.text("id", d), row.text("name", d), row.text("zone", d));
        let lat = row.number("lat", d);
        let lon = row.number("lon", d);
        for (c, v, lim) in [("lat", lat, 90.0), ("lon", lon, 180.0)] {
            if let Some(v) = v
                && v.abs() > lim
            {
                d.push(
                    Code::BadCoordinates,
                    row.path(),
                    &row.pos(c),
                    c,
                    tr!("{v} está fuera del rango ±{lim}", "{v} is out of range ±{lim}"),
                    tr!(
                        "use grados decimales, negativos al sur y al oeste (Santa Cruz está cerca de -49, -69)",
                        "use decimal degrees, negative for south and west (Santa Cruz is about -49, -69)"
                    ),
                );
            }
        }
        let population = count(&row, "population", 0, d);
        let (Some(id), Some(name), Some(zone), Some(lat), Some(lon), Some(population)) =
            (id, name, zone, lat, lon, population)
        else {
            continue;
        };
        if unique(&mut seen, &id, &row, "id", "locality", d) {
            ids.localities
                .insert(id.clone(), LocalityId::from_index(out.len()));
            out.push(Locality {
                code: id,
                name,
                zone,
                region: row.raw("region").trim().to_string(),
                lat,
                lon,
                population,
            });
        }
    }
    out
}

pub const ROADS: Columns = Columns {
    required: &["from", "to", "km", "surface"],
    optional: &["route", "closed"],
};

pub fn roads(t: &Table, ids: &Ids, horizon: Option<&Horizon>, d: &mut Diagnostics) -> Vec<Road> {
    let mut out = Vec::new();
    for row in t.rows() {
        let a = index_of(
            &ids.localities,
            &row,
            "from",
            Code::UnknownLocality,
            "locality",
            d,
        );
        let b = index_of(
            &ids.localities,
            &row,
            "to",
            Code::UnknownLocality,
            "locality",
            d,
        );
        let km = amount(&row, "km", limits::ROAD_KM, d);
        let surface = match row.raw("surface") {
            "paved" => Some(Surface::Paved),
            "gravel" => Some(Surface::Gravel),
            "mixed" => Some(Surface::Mixed),
            other => {
                d.push(
                    Code::CsvValue,
                    row.path(),
                    &row.pos("surface"),
                    "surface",
                    tr!(
                        "`{other}` no es una calzada conocida",
                        "`{other}` is not a road surface"
                    ),
                    tr!(
                        "use paved (asfalto), gravel (ripio) o mixed (mixta)",
                        "use paved, gravel or mixed"
                    ),
                );
                None
            }
        };
        let closed = row.ranges("closed", d);
        check_ranges_in_horizon(&row, "closed", &closed, horizon, d);
        if let (Some(a), Some(b)) = (a, b)
            && a == b
        {
            d.push(
                Code::RoadLoop,
                row.path(),
                &row.pos("to"),
                "to",
                tr!(
                    "un camino de una localidad a sí misma",
                    "a road from a locality to itself"
                ),
                tr!(
                    "quite la fila o corrija `from`/`to`",
                    "remove the row or fix `from`/`to`"
                ),
            );
            continue;
        }
        if let (Some(a), Some(b), Some(km), Some(surface)) = (a, b, km, surface) {
            out.push(Road {
                a,
                b,
                km,
                surface,
                route: row.raw("route").to_string(),
                closed,
            });
        }
    }
    out
}

fn check_ranges_in_horizon(
    row: &Row<'_>,
    column: &str,
    ranges: &[DateRange],
    horizon: Option<&Horizon>,
    d: &mut Diagnostics,
) {
    let Some(h) = horizon else { return };
    for r in ranges {
        if r.to < h.start || r.from > h.end() {
            d.push(
                Code::DateOutsideHorizon,
                row.path(),
                &row.pos(column),
                column,
                {
                    let (from, to, start, end) = (r.from, r.to, h.start, h.end());
                    tr!(
                        "el rango {from}..{to} queda entero fuera del horizonte {start}..{end}",
                        "range {from}..{to} lies entirely outside the horizon {start}..{end}"
                    )
                },
                tr!(
                    "corrija las fechas o quite el rango",
                    "fix the dates or remove the range"
                ),
            );
        }
    }
}

pub const FACILITIES: Columns = Columns {
    required: &[
        "id",
        "name",
        "locality",
        "institution",
        "kind",
        "rooms_per_day",
    ],
    optional: &["specialties"],
};

pub fn facilities(t: &Table, ids: &mut Ids, d: &mut Diagnostics) -> Vec<Facility> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for row in t.rows() {
        let id = row.text("id", d);
        let name = row.text("name", d);
        let kind = row.text("kind", d);
        let locality = index_of(
            &ids.localities,
            &row,
            "locality",
            Code::UnknownLocality,
            "locality",
            d,
        );
        let institution = index_of(
            &ids.institutions,
            &row,
            "institution",
            Code::UnknownInstitution,
            "institution",
            d,
        );
        let rooms = count(&row, "rooms_per_day", 1, d);
        let mut specialties = Vec::new();
        for s in row.list("specialties") {
            match ids.specialties.get(&s) {
                Some(sp) => specialties.push(*sp),
                None => d.push(
                    Code::UnknownSpecialty,
                    row.path(),
                    &row.pos("specialties"),
                    "specialties",
                    tr!("no existe la especialidad `{s}`", "unknown specialty `{s}`"),
                    tr!(
                        "use ids de especialidad de scenario.yaml, separados por `;` (vacío = cualquiera)",
                        "use specialty ids from scenario.yaml, separated by `;` (empty = any)"
                    ),
                ),
            }
        }
        let (Some(id), Some(name), Some(kind), Some(locality), Some(institution), Some(rooms)) =
            (id, name, kind, locality, institution, rooms)
        else {
            continue;
        };
        if unique(&mut seen, &id, &row, "id", "facility", d) {
            ids.facilities
                .insert(id.clone(), FacilityId::from_index(out.len()));
            out.push(Facility {
                code: id,
                name,
                locality,
                institution,
                kind,
                rooms_per_day: rooms,
                extra_rooms: Default::default(),
                specialties,
            });
        }
    }
    out
}

pub const SPECIALISTS: Columns = Columns {
    required: &[
        "record",
        "person",
        "name",
        "institution",
        "specialty",
        "base",
        "max_trips_per_month",
        "max_days_away_per_month",
    ],
    optional: &["unavailable"],
};

/// Specialist records and the persons behind them.
pub fn specialists(
    t: &Table,
    ids: &mut Ids,
    horizon: Option<&Horizon>,
    d: &mut Diagnostics,
) -> (Vec<Person>, Vec<Specialist>) {
    let mut persons: Vec<Person> = Vec::new();
    let mut person_ix: HashMap<String, (PersonId, u64)> = HashMap::new();
    let mut out: Vec<Specialist> = Vec::new();
    let mut seen = HashSet::new();
    for row in t.rows() {
        let record = row.text("record", d);
        let person = row.text("person", d);
        let name = row.text("name", d);
        let institution = index_of(
            &ids.institutions,
            &row,
            "institution",
            Code::UnknownInstitution,
            "institution",
            d,
        );
        let specialty = index_of(
            &ids.specialties,
            &row,
            "specialty",
            Code::UnknownSpecialty,
            "specialty",
            d,
        );
        let base = index_of(
            &ids.localities,
            &row,
            "base",
            Code::UnknownLocality,
            "locality",
            d,
        );
        let trips = count(&row, "max_trips_per_month", 1, d);
        let days = count(&row, "max_days_away_per_month", 1, d);
        let unavailable = row.ranges("unavailable", d);
        check_ranges_in_horizon(&row, "unavailable", &unavailable, horizon, d);
        let (
            Some(record),
            Some(person),
            Some(name),
            Some(institution),
            Some(specialty),
            Some(base),
            Some(trips),
            Some(days),
        ) = (
            record,
            person,
            name,
            institution,
            specialty,
            base,
            trips,
            days,
        )
        else {
            continue;
        };
        if !unique(&mut seen, &record, &row, "record", "specialist record", d) {
            continue;
        }
        let sid = SpecialistId::from_index(out.len());
        let pid = match person_ix.get(&person) {
            Some((pid, first_line)) => {
                let p = &mut persons[pid.index()];
                if p.name != name {
                    d.push(
                        Code::PersonNameMismatch,
                        row.path(),
                        &row.pos("name"),
                        "name",
                        {
                            // The person id is a national id in Santa Cruz:
                            // the message names the line, never the id.
                            let first = &p.name;
                            tr!(
                                "este legajo es de la misma persona que el de la línea {first_line}, que se llama `{first}`, no `{name}`",
                                "this record is of the same person as the one on line {first_line}, named `{first}`, not `{name}`"
                            )
                        },
                        tr!(
                            "los legajos de una persona llevan el mismo nombre; corrija el nombre o el id de persona",
                            "records of one person must carry the same name; fix the name or the person id"
                        ),
                    );
                }
                let dup = p
                    .records
                    .iter()
                    .any(|r| out[r.index()].institution == institution);
                if dup {
                    d.push(
                        Code::PersonDuplicateInstitution,
                        row.path(),
                        &row.pos("institution"),
                        "institution",
                        tr!(
                            "`{name}` ya tiene un legajo en esta institución (línea {first_line})",
                            "`{name}` already has a record in this institution (line {first_line})"
                        ),
                        tr!(
                            "una persona tiene a lo sumo un legajo por institución; unifique los legajos",
                            "a person holds at most one record per institution; merge the records"
                        ),
                    );
                }
                p.records.push(sid);
                *pid
            }
            None => {
                let pid = PersonId::from_index(persons.len());
                person_ix.insert(person.clone(), (pid, row.line()));
                persons.push(Person {
                    code: person,
                    name,
                    records: vec![sid],
                });
                pid
            }
        };
        ids.specialists.insert(record.clone(), sid);
        out.push(Specialist {
            code: record,
            person: pid,
            institution,
            specialty,
            base,
            unavailable,
            max_trips_per_month: trips,
            max_days_away_per_month: days,
        });
    }
    (persons, out)
}

pub const DEMAND: Columns = Columns {
    required: &["locality", "specialty", "waiting", "weekly_referrals"],
    optional: &[],
};

/// Demand rows, each with the line it came from (for reachability messages).
pub fn demand(t: &Table, ids: &Ids, d: &mut Diagnostics) -> Vec<(Demand, Position)> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for row in t.rows() {
        let locality = index_of(
            &ids.localities,
            &row,
            "locality",
            Code::UnknownLocality,
            "locality",
            d,
        );
        let specialty = index_of(
            &ids.specialties,
            &row,
            "specialty",
            Code::UnknownSpecialty,
            "specialty",
            d,
        );
        let waiting = amount(&row, "waiting", limits::WAITING, d);
        let referrals = amount(&row, "weekly_referrals", limits::REFERRALS, d);
        let (Some(locality), Some(specialty), Some(waiting), Some(weekly_referrals)) =
            (locality, specialty, waiting, referrals)
        else {
            continue;
        };
        let key = format!("{}/{}", row.raw("locality"), row.raw("specialty"));
        if unique(&mut seen, &key, &row, "specialty", "demand row", d) {
            out.push((
                Demand {
                    locality,
                    specialty,
                    waiting,
                    weekly_referrals,
                    referral_changes: Vec::new(),
                },
                row.pos("locality"),
            ));
        }
    }
    out
}

pub const CALENDAR: Columns = Columns {
    required: &[
        "id",
        "specialist",
        "locality",
        "facility",
        "start",
        "days",
        "status",
    ],
    optional: &[],
};

/// Context a calendar row is checked against.
pub struct CalendarContext<'a> {
    pub institution: InstitutionId,
    pub horizon: Option<&'a Horizon>,
    pub specialists: &'a [Specialist],
    pub facilities: &'a [Facility],
    pub specialties: &'a [Specialty],
    pub institutions: &'a [Institution],
}

pub fn calendar(
    t: &Table,
    ids: &Ids,
    ctx: &CalendarContext<'_>,
    seen: &mut HashSet<String>,
    out: &mut Vec<ExistingVisit>,
    d: &mut Diagnostics,
) {
    for row in t.rows() {
        let id = row.text("id", d);
        let specialist = index_of(
            &ids.specialists,
            &row,
            "specialist",
            Code::UnknownSpecialist,
            "specialist record",
            d,
        );
        let locality = index_of(
            &ids.localities,
            &row,
            "locality",
            Code::UnknownLocality,
            "locality",
            d,
        );
        let facility = index_of(
            &ids.facilities,
            &row,
            "facility",
            Code::UnknownFacility,
            "facility",
            d,
        );
        let start = row.date("start", d);
        let days = count(&row, "days", 1, d);
        let status = match row.raw("status") {
            "confirmed" => Some(VisitStatus::Confirmed),
            "tentative" => Some(VisitStatus::Tentative),
            other => {
                d.push(
                    Code::CsvValue,
                    row.path(),
                    &row.pos("status"),
                    "status",
                    tr!(
                        "`{other}` no es un estado de visita",
                        "`{other}` is not a visit status"
                    ),
                    tr!(
                        "use confirmed (confirmada) o tentative (tentativa)",
                        "use confirmed or tentative"
                    ),
                );
                None
            }
        };
        if let Some(sp) = specialist {
            let rec = &ctx.specialists[sp.index()];
            if rec.institution != ctx.institution {
                d.push(
                    Code::CalendarInstitutionMismatch,
                    row.path(),
                    &row.pos("specialist"),
                    "specialist",
                    {
                        let code = &rec.code;
                        let owner = &ctx.institutions[rec.institution.index()].code;
                        let here = &ctx.institutions[ctx.institution.index()].code;
                        tr!(
                            "el legajo `{code}` es de `{owner}`, pero este es el calendario de `{here}`",
                            "record `{code}` belongs to `{owner}`, but this is the calendar of `{here}`"
                        )
                    },
                    tr!(
                        "pase la visita al calendario de su institución, o use el legajo de la persona en esta institución",
                        "move the visit to its institution's calendar file, or use the person's record in this institution"
                    ),
                );
            }
            if let Some(days) = days {
                let sp = &ctx.specialties[rec.specialty.index()];
                let week_len = ctx.horizon.map_or(7, |h| h.working_days.len() as u32);
                if days > sp.max_days.max(week_len) {
                    d.push(
                        Code::VisitTooLong,
                        row.path(),
                        &row.pos("days"),
                        "days",
                        {
                            let (most, code) = (sp.max_days.max(week_len), &sp.code);
                            tr!(
                                "{days} días de consulta superan el máximo ({most} para {code})",
                                "{days} consultation days exceed the most allowed ({most} for {code})"
                            )
                        },
                        tr!(
                            "divida la visita en varias visitas",
                            "split the visit into several visits"
                        ),
                    );
                }
            }
        }
        if let (Some(l), Some(f)) = (locality, facility)
            && ctx.facilities[f.index()].locality != l
        {
            d.push(
                Code::FacilityMismatch,
                row.path(),
                &row.pos("facility"),
                "facility",
                {
                    let (f, l) = (row.raw("facility"), row.raw("locality"));
                    tr!(
                        "el establecimiento `{f}` no está en la localidad `{l}`",
                        "facility `{f}` is not in locality `{l}`"
                    )
                },
                tr!(
                    "use un establecimiento de esa localidad",
                    "use a facility of that locality"
                ),
            );
        }
        if let (Some(s), Some(f)) = (specialist, facility) {
            let spec = ctx.specialists[s.index()].specialty;
            if !ctx.facilities[f.index()].hosts(spec) {
                d.push(
                    Code::FacilityMismatch,
                    row.path(),
                    &row.pos("facility"),
                    "facility",
                    {
                        let (f, sp) = (row.raw("facility"), &ctx.specialties[spec.index()].code);
                        tr!(
                            "el establecimiento `{f}` no puede recibir {sp}",
                            "facility `{f}` cannot host {sp}"
                        )
                    },
                    tr!(
                        "use otro establecimiento o agregue la especialidad a su columna `specialties`",
                        "use another facility or add the specialty to its `specialties` column"
                    ),
                );
            }
        }
        if let (Some(h), Some(start), Some(days)) = (ctx.horizon, start, days) {
            // Dates are only expanded for a plausible visit inside the horizon,
            // so absurd inputs cannot make the expansion run away.
            let plausible = days <= h.working_days.len() as u32 * 2;
            let last = (h.contains(start) && plausible)
                .then(|| h.consultation_dates(start, days).last().copied())
                .flatten();
            if !h.is_working_weekday(start) {
                d.push(
                    Code::StartOnNonWorkingDay,
                    row.path(),
                    &row.pos("start"),
                    "start",
                    {
                        let day = chrono::Datelike::weekday(&start);
                        let (es, en) = (Lang::Es.weekday(day), Lang::En.weekday(day));
                        tr!(
                            "{start} es {es}, no un día hábil",
                            "{start} is a {en}, not a working day"
                        )
                    },
                    tr!(
                        "empiece las visitas en un día hábil (horizon.working_days)",
                        "start visits on a working weekday (horizon.working_days)"
                    ),
                );
            } else if plausible && !last.is_some_and(|l| h.contains(l)) {
                d.push(
                    Code::DateOutsideHorizon,
                    row.path(),
                    &row.pos("start"),
                    "start",
                    {
                        let (first, end) = (h.start, h.end());
                        tr!(
                            "la visita de {days} día(s) desde {start} no cabe en el horizonte {first}..{end}",
                            "visit of {days} day(s) from {start} is not inside the horizon {first}..{end}"
                        )
                    },
                    tr!(
                        "quite la visita o corrija su fecha",
                        "remove the visit or fix its date"
                    ),
                );
            }
        }
        let (
            Some(id),
            Some(specialist),
            Some(locality),
            Some(facility),
            Some(start),
            Some(days),
            Some(status),
        ) = (id, specialist, locality, facility, start, days, status)
        else {
            continue;
        };
        if unique(seen, &id, &row, "id", "visit", d) {
            out.push(ExistingVisit {
                code: id,
                specialist,
                locality,
                facility,
                start,
                days,
                status,
                source_institution: ctx.institution,
            });
        }
    }
}
