//! CSV calendars for spreadsheet users: one per facility and one for the
//! whole province, a row per visit.
//!
//! UTF-8 with a byte-order mark, so that spreadsheet programs read accented
//! names right; dates both as ISO (sortable) and as dd/mm/yyyy.

use super::events::slug;
use super::lookup::Names;
use super::{ExportError, Lang, OutFile};
use crate::model::Scenario;
use crate::plan::format::{Origin, Plan, Visit};
use chrono::Datelike;
use std::collections::BTreeMap;

const BOM: &[u8] = "\u{feff}".as_bytes();

/// A text cell a spreadsheet will not run: one starting with `= + - @` (or
/// a tab or carriage return) would be read as a formula, so a name such as
/// `=HYPERLINK(…)` gets a leading apostrophe, which spreadsheets hide.
pub fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The province-wide CSV and one per facility.
pub fn calendars(
    s: &Scenario,
    names: &Names,
    plan: &Plan,
    lang: Lang,
) -> Result<Vec<OutFile>, ExportError> {
    let mut visits: Vec<&Visit> = plan.made_visits().collect();
    visits.sort_by(|a, b| {
        (a.start, &a.locality, &a.specialty).cmp(&(b.start, &b.locality, &b.specialty))
    });
    let mut by_facility: BTreeMap<&str, Vec<&Visit>> = BTreeMap::new();
    for v in &visits {
        by_facility.entry(&v.facility).or_default().push(v);
    }
    let mut out = vec![OutFile::new(
        format!("calendars/csv/{}.csv", slug(&s.name)),
        table(names, &visits, lang)?,
    )];
    for (code, list) in by_facility {
        out.push(OutFile::new(
            format!("calendars/csv/facilities/{}.csv", names.facility_file(code)),
            table(names, &list, lang)?,
        ));
    }
    Ok(out)
}

/// Column headers.
pub fn header(lang: Lang) -> [&'static str; 16] {
    match lang {
        Lang::Es => [
            "fecha",
            "fecha_iso",
            "dia",
            "hasta",
            "localidad",
            "zona",
            "establecimiento",
            "especialidad",
            "especialista",
            "institucion",
            "dias",
            "pacientes",
            "fechas",
            "origen",
            "visita",
            "viaje",
        ],
        Lang::En => [
            "date",
            "date_iso",
            "weekday",
            "until",
            "locality",
            "zone",
            "facility",
            "specialty",
            "specialist",
            "institution",
            "days",
            "capacity",
            "dates",
            "origin",
            "visit",
            "trip",
        ],
    }
}

fn origin(o: Origin, lang: Lang) -> &'static str {
    match o {
        Origin::Kept => lang.pick("se mantiene", "kept"),
        Origin::Moved => lang.pick("reprogramada", "moved"),
        Origin::New => lang.pick("nueva", "new"),
        Origin::Dropped => lang.pick("cancelada", "dropped"),
    }
}

fn table(names: &Names, visits: &[&Visit], lang: Lang) -> Result<Vec<u8>, ExportError> {
    let fail = |e: csv::Error| ExportError::Encoding {
        what: "CSV calendar".to_string(),
        message: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(BOM.to_vec());
    w.write_record(header(lang)).map_err(fail)?;
    for v in visits {
        let last = v.dates.last().copied().unwrap_or(v.start);
        let zone = names.locality(&v.locality).map_or("", |l| l.zone.as_str());
        let dates: Vec<String> = v.dates.iter().map(|d| lang.date(*d)).collect();
        w.write_record([
            Lang::Es.date(v.start),
            v.start.format("%Y-%m-%d").to_string(),
            lang.weekday(v.start.weekday()).to_string(),
            Lang::Es.date(last),
            text_cell(&names.locality_name(&v.locality)),
            text_cell(zone),
            text_cell(&names.facility_name(&v.facility)),
            text_cell(&names.specialty_name(&v.specialty)),
            text_cell(&names.person_name(&v.person)),
            text_cell(&names.institution_name(&v.institution)),
            v.days.to_string(),
            v.capacity.to_string(),
            dates.join(" "),
            origin(v.origin, lang).to_string(),
            v.id.clone(),
            v.trip.clone().unwrap_or_default(),
        ])
        .map_err(fail)?;
    }
    w.into_inner().map_err(|e| ExportError::Encoding {
        what: "CSV calendar".to_string(),
        message: e.to_string(),
    })
}
