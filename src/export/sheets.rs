//! CSV calendars for spreadsheet users: one per facility and one for the
//! whole province, a row per visit.
//!
//! UTF-8 with a byte-order mark, so that spreadsheet programs read accented
//! names right; dates both as ISO (sortable) and as dd/mm/yyyy. In Spanish
//! the columns are separated by `;` and decimals use a comma: Excel set to
//! Argentine Spanish opens such a file in columns (with `,` it put every
//! row in one cell). The same rows make the .xlsx workbook (`workbook`).

use super::events::slug;
use super::lookup::Names;
use super::{ExportError, Lang, OutFile};
use crate::model::Scenario;
use crate::plan::diff::ChangeKind;
use crate::plan::format::{Plan, Visit};
use chrono::Datelike;
use std::collections::{BTreeMap, HashMap};

const BOM: &[u8] = "\u{feff}".as_bytes();

/// A CSV writer in the dialect spreadsheets of `lang` expect: a byte-order
/// mark, and `;` between columns in Spanish (`,` in English).
pub fn writer(lang: Lang) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(match lang {
            Lang::Es => b';',
            Lang::En => b',',
        })
        .from_writer(BOM.to_vec())
}

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
    let origins = crate::plan::diff::origins(s, &crate::network::RoadNetwork::new(s), plan);
    let names = &Labels {
        names,
        origins: &origins,
    };
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
    for (code, list) in &by_facility {
        out.push(OutFile::new(
            format!("calendars/csv/facilities/{}.csv", names.facility_file(code)),
            table(names, list, lang)?,
        ));
    }
    out.push(workbook(s, names, &visits, &by_facility, lang)?);
    Ok(out)
}

/// `calendars/<scenario>.xlsx`: the province's visits on a first sheet and
/// each facility's on a sheet of its own, with the CSV's columns; dates are
/// spreadsheet dates and counts are numbers, so they sort and filter right
/// whatever the spreadsheet's language.
fn workbook(
    s: &Scenario,
    names: &Labels,
    visits: &[&Visit],
    by_facility: &BTreeMap<&str, Vec<&Visit>>,
    lang: Lang,
) -> Result<OutFile, ExportError> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| ExportError::Encoding {
        what: "spreadsheet workbook".to_string(),
        message: e.to_string(),
    };
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let bold = Format::new().set_bold();
    let mut book = Workbook::new();
    let mut used: Vec<String> = Vec::new();
    let mut sheets: Vec<(String, &[&Visit])> =
        vec![(lang.pick("Provincia", "Province").to_string(), visits)];
    for (code, list) in by_facility {
        sheets.push((names.facility_name(code), list.as_slice()));
    }
    for (title, list) in sheets {
        let sheet = book.add_worksheet();
        sheet
            .set_name(sheet_name(&title, &mut used))
            .map_err(fail)?;
        for (c, h) in header(lang).iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, *h, &bold)
                .map_err(fail)?;
        }
        for (r, v) in list.iter().enumerate() {
            let row = r as u32 + 1;
            let last = v.dates.last().copied().unwrap_or(v.start);
            let zone = names.locality(&v.locality).map_or("", |l| l.zone.as_str());
            let dates: Vec<String> = v.dates.iter().map(|d| lang.date(*d)).collect();
            sheet
                .write_datetime_with_format(row, 0, v.start, &date)
                .and_then(|w| w.write_string(row, 1, v.start.format("%Y-%m-%d").to_string()))
                .and_then(|w| w.write_string(row, 2, lang.weekday(v.start.weekday())))
                .and_then(|w| w.write_datetime_with_format(row, 3, last, &date))
                .and_then(|w| w.write_string(row, 4, names.locality_name(&v.locality)))
                .and_then(|w| w.write_string(row, 5, zone))
                .and_then(|w| w.write_string(row, 6, names.facility_name(&v.facility)))
                .and_then(|w| w.write_string(row, 7, names.specialty_name(&v.specialty)))
                .and_then(|w| w.write_string(row, 8, names.person_name(&v.person)))
                .and_then(|w| w.write_string(row, 9, names.institution_name(&v.institution)))
                .and_then(|w| w.write_number(row, 10, v.days))
                .and_then(|w| w.write_number(row, 11, v.capacity))
                .and_then(|w| w.write_string(row, 12, dates.join(" ")))
                .and_then(|w| w.write_string(row, 13, names.origin(v, lang)))
                .and_then(|w| w.write_string(row, 14, &v.id))
                .and_then(|w| w.write_string(row, 15, v.trip.clone().unwrap_or_default()))
                .map_err(fail)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(fail)?;
        sheet.autofit();
    }
    let bytes = book.save_to_buffer().map_err(fail)?;
    Ok(OutFile::new(
        format!("calendars/{}.xlsx", slug(&s.name)),
        bytes,
    ))
}

/// A worksheet name as spreadsheets allow it (at most 31 characters, none
/// of `[]:*?/\\`), distinct from those already `used`.
fn sheet_name(title: &str, used: &mut Vec<String>) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .collect();
    let clean = clean.trim().trim_matches('\'');
    let base: String = clean.chars().take(31).collect();
    let mut name = if base.is_empty() {
        "Hoja".to_string()
    } else {
        base
    };
    let mut n = 2;
    while used.iter().any(|u| u.to_lowercase() == name.to_lowercase()) {
        let suffix = format!(" ({n})");
        let keep = 31 - suffix.chars().count();
        name = format!("{}{suffix}", clean.chars().take(keep).collect::<String>());
        n += 1;
    }
    used.push(name.clone());
    name
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

/// The names of the scenario and what each visit is to the existing
/// calendars.
struct Labels<'a> {
    names: &'a Names<'a>,
    origins: &'a HashMap<String, ChangeKind>,
}

impl<'a> std::ops::Deref for Labels<'a> {
    type Target = Names<'a>;
    fn deref(&self) -> &Names<'a> {
        self.names
    }
}

impl Labels<'_> {
    /// The visit against the existing calendars, as `plan::diff` counts it
    /// for the summary, the report and `compare`.
    fn origin(&self, v: &Visit, lang: Lang) -> &'static str {
        match self.origins.get(&v.id) {
            Some(ChangeKind::Kept) => lang.pick("se mantiene", "kept"),
            Some(ChangeKind::Moved) => lang.pick("reprogramada", "moved"),
            Some(ChangeKind::Reassigned) => lang.pick("otro especialista", "reassigned"),
            Some(ChangeKind::Cancelled) => lang.pick("cancelada", "cancelled"),
            Some(ChangeKind::New) | None => lang.pick("nueva", "new"),
        }
    }
}

fn table(names: &Labels, visits: &[&Visit], lang: Lang) -> Result<Vec<u8>, ExportError> {
    let fail = |e: csv::Error| ExportError::Encoding {
        what: "CSV calendar".to_string(),
        message: e.to_string(),
    };
    let mut w = writer(lang);
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
            names.origin(v, lang).to_string(),
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
