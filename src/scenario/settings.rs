//! Validation of `scenario.yaml`: horizon, institutions, specialties, travel,
//! costs and weights.

use super::diagnostic::{Code, Diagnostics, Position};
use super::limits::{self, Range};
use super::tables::noun;
use super::yaml::{RawScenario, S, pos};
use crate::lang::Lang;
use crate::model::{
    Costs, Horizon, Institution, PersonIdentifier, Publishing, Specialty, TravelOptions, Weights,
};
use crate::tr;
use chrono::{Datelike, Weekday};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// The validated settings, or `None` parts where a problem was reported.
pub struct Settings {
    pub horizon: Option<Horizon>,
    pub institutions: Vec<Institution>,
    pub specialties: Vec<Specialty>,
    pub travel: TravelOptions,
    pub costs: Costs,
    pub weights: Weights,
    pub publishing: Publishing,
}

/// Longest horizon accepted: five years of weeks.
const MAX_WEEKS: i64 = 260;

pub fn validate(raw: &RawScenario, file: &Path, d: &mut Diagnostics) -> Settings {
    Settings {
        horizon: horizon(raw, file, d),
        institutions: institutions(raw, file, d),
        specialties: specialties(raw, file, d),
        travel: travel(raw, file, d),
        costs: Costs {
            currency: raw.costs.value.currency.clone(),
            per_km: ranged(
                &raw.costs.value.per_km,
                limits::COST_PER_KM,
                "costs.per_km",
                file,
                d,
            ),
            per_night: ranged(
                &raw.costs.value.per_night,
                limits::COST_PER_NIGHT,
                "costs.per_night",
                file,
                d,
            ),
        },
        weights: Weights {
            patient_week: ranged(
                &raw.weights.value.patient_week,
                limits::WEIGHT,
                "weights.patient_week",
                file,
                d,
            ),
            change_confirmed: ranged(
                &raw.weights.value.change_confirmed,
                limits::WEIGHT,
                "weights.change_confirmed",
                file,
                d,
            ),
            change_published: ranged(
                raw.weights
                    .value
                    .change_published
                    .as_ref()
                    .unwrap_or(&raw.weights.value.change_confirmed),
                limits::WEIGHT,
                "weights.change_published",
                file,
                d,
            ),
            coverage_gap_week: ranged(
                &raw.weights.value.coverage_gap_week,
                limits::WEIGHT,
                "weights.coverage_gap_week",
                file,
                d,
            ),
        },
        publishing: publishing(raw, file, d),
    }
}

/// The `publish` section; absent fields keep [`Publishing::default`].
fn publishing(raw: &RawScenario, file: &Path, d: &mut Diagnostics) -> Publishing {
    let mut p = Publishing::default();
    let Some(raw_p) = &raw.publish else { return p };
    if let Some(h) = &raw_p.value.consultation_hours {
        match parse_hours(&h.value) {
            Some(hours) => p.hours = hours,
            None => d.push(
                Code::BadHours,
                file,
                &pos(h),
                "publish.consultation_hours",
                {
                    let v = &h.value;
                    tr!(
                        "{v:?} no es un rango de horas que termine después de empezar",
                        "{v:?} is not a range of hours with its end after its start"
                    )
                },
                tr!(
                    "escriba las horas locales como HH:MM-HH:MM, p. ej. 08:00-14:00",
                    "write local hours as HH:MM-HH:MM, e.g. 08:00-14:00"
                ),
            ),
        }
    }
    if let Some(a) = raw_p.value.all_day {
        p.all_day = a;
    }
    if let Some(n) = &raw_p.value.patient_note {
        p.patient_note = n.trim().to_string();
    }
    if let Some(k) = &raw_p.value.person_identifier {
        let system = raw_p
            .value
            .person_identifier_system
            .as_deref()
            .map(str::trim);
        match (k.value.as_str(), system) {
            ("key", _) => {}
            ("dni", Some(system)) if !system.is_empty() => {
                p.person_identifier = PersonIdentifier::Dni {
                    system: system.to_string(),
                }
            }
            ("dni", _) => d.push(
                Code::MissingField,
                file,
                &pos(k),
                "publish.person_identifier_system",
                tr!(
                    "publicar el DNI requiere el sistema de identificadores con que lo conocen los hospitales",
                    "publishing the DNI needs the identifier system hospitals know it by"
                ),
                tr!(
                    "agregue person_identifier_system, p. ej. http://www.renaper.gob.ar/dni",
                    "add person_identifier_system, e.g. http://www.renaper.gob.ar/dni"
                ),
            ),
            (other, _) => d.push(
                Code::YamlSyntax,
                file,
                &pos(k),
                "publish.person_identifier",
                tr!(
                    "`{other}` no es una forma de identificar especialistas",
                    "`{other}` is not a way to identify specialists"
                ),
                tr!(
                    "use `key` (una clave seudónima, la opción por defecto) o `dni`",
                    "use `key` (a pseudonymous key, the default) or `dni`"
                ),
            ),
        }
    }
    p
}

/// `HH:MM-HH:MM` with the end after the start.
pub(super) fn parse_hours(text: &str) -> Option<(chrono::NaiveTime, chrono::NaiveTime)> {
    let (a, b) = text.split_once('-')?;
    let parse = |x: &str| chrono::NaiveTime::parse_from_str(x.trim(), "%H:%M").ok();
    let (from, to) = (parse(a)?, parse(b)?);
    (from < to).then_some((from, to))
}

/// The number if it lies in `range`; otherwise a diagnostic (E1301 below
/// the range, E1313 for NaN, infinities and values above it) and the
/// range's minimum, so validation goes on.
pub(super) fn ranged(
    v: &S<f64>,
    range: Range,
    field: &str,
    file: &Path,
    d: &mut Diagnostics,
) -> f64 {
    match range.check(v.value) {
        Ok(x) => x,
        Err((code, message, fix)) => {
            d.push(code, file, &pos(v), field, message, fix);
            range.min
        }
    }
}

pub(super) fn positive_int(
    v: &S<i64>,
    field: &str,
    file: &Path,
    d: &mut Diagnostics,
) -> Option<u32> {
    match u32::try_from(v.value) {
        Ok(x) if x > 0 => Some(x),
        _ => {
            d.push(
                Code::NotPositive,
                file,
                &pos(v),
                field,
                {
                    let v = v.value;
                    tr!(
                        "{v} debe ser un número entero de al menos 1",
                        "{v} must be a whole number of at least 1"
                    )
                },
                tr!(
                    "use un número entero positivo",
                    "use a positive whole number"
                ),
            );
            None
        }
    }
}

fn parse_weekday(s: &str) -> Option<Weekday> {
    s.parse::<Weekday>().ok()
}

/// A list of distinct weekdays, Monday first; empty (with a diagnostic)
/// when any entry is wrong or the list is empty.
pub(super) fn weekdays(
    list: &S<Vec<String>>,
    field: &str,
    file: &Path,
    d: &mut Diagnostics,
) -> Vec<Weekday> {
    let mut days = Vec::new();
    let mut ok = true;
    for (i, name) in list.value.iter().enumerate() {
        match parse_weekday(name) {
            Some(wd) if !days.contains(&wd) => days.push(wd),
            Some(_) => {
                ok = false;
                d.push(
                    Code::BadWorkingDays,
                    file,
                    &pos(list),
                    format!("{field}[{i}]"),
                    tr!("`{name}` aparece dos veces", "`{name}` is listed twice"),
                    tr!("nombre cada día una sola vez", "list each weekday once"),
                );
            }
            None => {
                ok = false;
                d.push(
                    Code::BadWorkingDays,
                    file,
                    &pos(list),
                    format!("{field}[{i}]"),
                    tr!(
                        "`{name}` no es un día de la semana",
                        "`{name}` is not a weekday"
                    ),
                    tr!(
                        "use mon, tue, wed, thu, fri, sat o sun (lunes a domingo)",
                        "use mon, tue, wed, thu, fri, sat or sun"
                    ),
                );
            }
        }
    }
    if days.is_empty() && ok {
        d.push(
            Code::BadWorkingDays,
            file,
            &pos(list),
            field,
            tr!("no hay días hábiles", "no weekday listed"),
            tr!(
                "liste los días hábiles, p. ej. [mon, tue, wed, thu, fri]",
                "list weekdays, e.g. [mon, tue, wed, thu, fri]"
            ),
        );
    }
    if !ok {
        days.clear();
    }
    days.sort_by_key(Weekday::num_days_from_monday);
    days
}

fn horizon(raw: &RawScenario, file: &Path, d: &mut Diagnostics) -> Option<Horizon> {
    let h = &raw.horizon.value;
    let start = h.start.value;
    let mut ok = true;
    if !(2000..=2100).contains(&start.year()) {
        ok = false;
        d.push(
            Code::StartNotMonday,
            file,
            &pos(&h.start),
            "horizon.start",
            tr!(
                "{start} no es una fecha de planificación plausible",
                "{start} is not a plausible planning date"
            ),
            tr!(
                "empiece el horizonte un lunes entre los años 2000 y 2100",
                "start the horizon on a Monday between the years 2000 and 2100"
            ),
        );
    } else if start.weekday() != Weekday::Mon {
        ok = false;
        d.push(
            Code::StartNotMonday,
            file,
            &pos(&h.start),
            "horizon.start",
            {
                let (es, en) = (
                    Lang::Es.weekday(start.weekday()),
                    Lang::En.weekday(start.weekday()),
                );
                tr!(
                    "{start} es {es}, no lunes",
                    "{start} is a {en}, not a Monday"
                )
            },
            tr!(
                "empiece el horizonte un lunes; las semanas van de lunes a domingo",
                "start the horizon on a Monday; weeks run Monday to Sunday"
            ),
        );
    }
    let weeks = match u32::try_from(h.weeks.value) {
        Ok(w) if w >= 1 && i64::from(w) <= MAX_WEEKS => Some(w),
        _ => {
            d.push(
                Code::BadWeeks,
                file,
                &pos(&h.weeks),
                "horizon.weeks",
                {
                    let w = h.weeks.value;
                    tr!(
                        "{w} semanas no es un horizonte usable",
                        "{w} weeks is not a usable horizon"
                    )
                },
                tr!(
                    "planifique entre 1 y {MAX_WEEKS} semanas",
                    "plan between 1 and {MAX_WEEKS} weeks"
                ),
            );
            None
        }
    };
    let working_days = weekdays(&h.working_days, "horizon.working_days", file, d);
    if working_days.is_empty() {
        ok = false;
    }
    let time_zone = match h.time_zone.value.parse::<chrono_tz::Tz>() {
        Ok(tz) => Some(tz),
        Err(_) => {
            d.push(
                Code::UnknownTimeZone,
                file,
                &pos(&h.time_zone),
                "horizon.time_zone",
                {
                    let z = &h.time_zone.value;
                    tr!(
                        "`{z}` no es una zona horaria IANA",
                        "`{z}` is not an IANA time zone"
                    )
                },
                tr!(
                    "use un nombre de zona como America/Argentina/Rio_Gallegos",
                    "use a zone name such as America/Argentina/Rio_Gallegos"
                ),
            );
            None
        }
    };
    let (weeks, time_zone) = (weeks?, time_zone?);
    let mut horizon = Horizon {
        start,
        weeks,
        working_days,
        holidays: BTreeMap::new(),
        time_zone,
    };
    for (i, hol) in h.holidays.iter().flatten().enumerate() {
        let field = format!("horizon.holidays[{i}].date");
        if !horizon.contains(hol.value.date) {
            d.push(
                Code::HolidayOutsideHorizon,
                file,
                &pos(hol),
                field,
                {
                    let (date, start, end) = (hol.value.date, horizon.start, horizon.end());
                    tr!(
                        "el feriado {date} está fuera del horizonte {start}..{end}",
                        "holiday {date} is outside the horizon {start}..{end}"
                    )
                },
                tr!("quítelo o corrija la fecha", "remove it or fix the date"),
            );
        } else if horizon
            .holidays
            .insert(hol.value.date, hol.value.name.clone())
            .is_some()
        {
            d.push(
                Code::HolidayOutsideHorizon,
                file,
                &pos(hol),
                field,
                {
                    let date = hol.value.date;
                    tr!(
                        "el feriado {date} aparece dos veces",
                        "holiday {date} is listed twice"
                    )
                },
                tr!(
                    "nombre cada feriado una sola vez",
                    "list each holiday date once"
                ),
            );
        }
    }
    ok.then_some(horizon)
}

fn check_id(
    id: &str,
    seen: &mut HashSet<String>,
    what: &str,
    field: String,
    p: &Position,
    file: &Path,
    d: &mut Diagnostics,
) {
    if id.trim().is_empty() {
        d.push(
            Code::EmptyId,
            file,
            p,
            field,
            {
                let es = noun(what);
                tr!("el id de {es} está vacío", "{what} id is empty")
            },
            tr!("dele un id corto", "give it a short id"),
        );
    } else if !seen.insert(id.to_string()) {
        d.push(
            Code::DuplicateId,
            file,
            p,
            field,
            {
                let es = noun(what);
                tr!(
                    "el id de {es} `{id}` se define dos veces",
                    "{what} id `{id}` is defined twice"
                )
            },
            {
                let es = noun(what);
                tr!(
                    "quite {es} repetida o dele otro id",
                    "remove the duplicated {what} or give it another id"
                )
            },
        );
    }
}

fn institutions(raw: &RawScenario, file: &Path, d: &mut Diagnostics) -> Vec<Institution> {
    let mut seen = HashSet::new();
    raw.institutions
        .iter()
        .enumerate()
        .map(|(i, inst)| {
            check_id(
                &inst.value.id,
                &mut seen,
                "institution",
                format!("institutions[{i}].id"),
                &pos(inst),
                file,
                d,
            );
            Institution {
                code: inst.value.id.clone(),
                name: inst.value.name.clone(),
            }
        })
        .collect()
}

fn specialties(raw: &RawScenario, file: &Path, d: &mut Diagnostics) -> Vec<Specialty> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, s) in raw.specialties.iter().enumerate() {
        let r = &s.value;
        let f = |name: &str| format!("specialties[{i}].{name}");
        check_id(&r.id, &mut seen, "specialty", f("id"), &pos(s), file, d);
        let ppd = positive_int(&r.patients_per_day, &f("patients_per_day"), file, d);
        let min_days = positive_int(&r.min_days, &f("min_days"), file, d);
        let max_days = positive_int(&r.max_days, &f("max_days"), file, d);
        let spacing = positive_int(&r.min_spacing_weeks, &f("min_spacing_weeks"), file, d);
        let gap = positive_int(&r.max_gap_weeks, &f("max_gap_weeks"), file, d);
        let weight = match &r.waiting_weight {
            Some(w) => match limits::WAITING_WEIGHT.check(w.value) {
                Ok(v) => v,
                Err((code, message, fix)) => {
                    d.push(code, file, &pos(w), f("waiting_weight"), message, fix);
                    1.0
                }
            },
            None => 1.0,
        };
        if let (Some(lo), Some(hi)) = (min_days, max_days)
            && lo > hi
        {
            d.push(
                Code::MinAboveMax,
                file,
                &pos(&r.min_days),
                f("min_days"),
                tr!(
                    "min_days ({lo}) es mayor que max_days ({hi})",
                    "min_days ({lo}) is greater than max_days ({hi})"
                ),
                tr!("haga min_days <= max_days", "make min_days <= max_days"),
            );
        }
        if let (Some(sp), Some(g)) = (spacing, gap)
            && sp > g
        {
            d.push(
                Code::SpacingAboveGap,
                file,
                &pos(&r.min_spacing_weeks),
                f("min_spacing_weeks"),
                tr!(
                    "min_spacing_weeks ({sp}) es mayor que max_gap_weeks ({g}): ningún calendario puede cumplir ambos",
                    "min_spacing_weeks ({sp}) is greater than max_gap_weeks ({g}): no calendar can satisfy both"
                ),
                tr!(
                    "haga min_spacing_weeks <= max_gap_weeks",
                    "make min_spacing_weeks <= max_gap_weeks"
                ),
            );
        }
        out.push(Specialty {
            code: r.id.clone(),
            name: r.name.clone(),
            patients_per_day: ppd.unwrap_or(1),
            min_days: min_days.unwrap_or(1),
            max_days: max_days.unwrap_or(1),
            min_spacing_weeks: spacing.unwrap_or(1),
            max_gap_weeks: gap.unwrap_or(1),
            waiting_weight: weight,
        });
    }
    out
}

fn travel(raw: &RawScenario, file: &Path, d: &mut Diagnostics) -> TravelOptions {
    let mut t = TravelOptions {
        speed_paved_kmh: 80.0,
        speed_gravel_kmh: 50.0,
        speed_mixed_kmh: 65.0,
        max_driving_hours_per_day: 8.0,
        same_day_drive_hours: 2.5,
        max_stops_per_trip: 3,
    };
    let Some(raw_t) = &raw.travel else { return t };
    if let Some(s) = &raw_t.value.speed_kmh {
        for (name, v) in [
            ("paved", s.value.paved),
            ("gravel", s.value.gravel),
            ("mixed", s.value.mixed),
        ] {
            if let Err((code, message, fix)) = limits::SPEED.check(v) {
                let field = format!("travel.speed_kmh.{name}");
                let message = message.around("velocidad: {}", "speed {}");
                d.push(code, file, &pos(s), field, message, fix);
            }
        }
        t.speed_paved_kmh = s.value.paved;
        t.speed_gravel_kmh = s.value.gravel;
        t.speed_mixed_kmh = s.value.mixed;
    }
    if let Some(h) = &raw_t.value.max_driving_hours_per_day {
        if !(h.value.is_finite() && h.value > 0.0 && h.value <= 24.0) {
            d.push(
                Code::NotPositive,
                file,
                &pos(h),
                "travel.max_driving_hours_per_day",
                {
                    let v = h.value;
                    tr!(
                        "{v} horas no es un límite diario de manejo usable",
                        "{v} hours is not a usable daily driving limit"
                    )
                },
                tr!(
                    "use un número de horas entre 0 y 24, p. ej. 8",
                    "use a number of hours between 0 and 24, e.g. 8"
                ),
            );
        } else {
            t.max_driving_hours_per_day = h.value;
        }
    }
    if let Some(h) = &raw_t.value.same_day_drive_hours {
        if !(h.value.is_finite() && h.value >= 0.0 && h.value <= t.max_driving_hours_per_day) {
            d.push(
                Code::NotPositive,
                file,
                &pos(h),
                "travel.same_day_drive_hours",
                {
                    let (v, most) = (h.value, t.max_driving_hours_per_day);
                    tr!(
                        "{v} horas debe estar entre 0 y max_driving_hours_per_day ({most})",
                        "{v} hours must be between 0 and max_driving_hours_per_day ({most})"
                    )
                },
                tr!(
                    "use el viaje más largo que todavía deja tiempo para atender ese día, p. ej. 2.5",
                    "use the longest drive that still leaves time to consult that day, e.g. 2.5"
                ),
            );
        } else {
            t.same_day_drive_hours = h.value;
        }
    }
    if let Some(k) = &raw_t.value.max_stops_per_trip {
        match u32::try_from(k.value) {
            Ok(v) if (1..=5).contains(&v) => t.max_stops_per_trip = v,
            _ => d.push(
                Code::NotPositive,
                file,
                &pos(k),
                "travel.max_stops_per_trip",
                {
                    let v = k.value;
                    tr!(
                        "{v} paradas por viaje no está admitido",
                        "{v} stops per trip is not supported"
                    )
                },
                tr!(
                    "use de 1 a 5 localidades por viaje",
                    "use 1 to 5 localities per trip"
                ),
            ),
        }
    }
    t
}
