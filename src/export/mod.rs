//! Publishing a plan to the people who act on it: calendars for hospitals and
//! specialists (ICS, CSV), FHIR R4 schedules, GeoJSON for maps and a
//! self-contained HTML report.
//!
//! Everything is built in memory as a list of files; the CLI writes them
//! atomically, so a failed export never leaves a half-written calendar.
//! Re-publishing reads the manifest of the previous publication so that
//! calendar events keep their UIDs and raise SEQUENCE only when they change.

pub mod compare;
pub mod events;
pub mod fhir;
pub mod geo;
pub mod ics;
pub mod index;
pub mod lookup;
pub mod report;
mod routes;
pub mod sheets;
pub use crate::lang as text;
pub mod timezone;

pub use events::{Changes, DayEvent, Manifest};
pub use text::Lang;

use crate::model::Scenario;
use crate::plan::format::Plan;
use chrono::{DateTime, Utc};
use std::path::PathBuf;

/// One output file, its path relative to the output folder.
#[derive(Clone, Debug, PartialEq)]
pub struct OutFile {
    /// Relative path, e.g. `calendars/ics/facilities/hosp-x.ics`.
    pub path: PathBuf,
    /// Contents.
    pub bytes: Vec<u8>,
}

impl OutFile {
    fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        OutFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// What an export needs besides the scenario and the plan.
#[derive(Clone, Debug)]
pub struct ExportOptions {
    /// Language of calendar texts, CSV headers and the report.
    pub lang: Lang,
    /// Publication time (DTSTAMP, FHIR bundle timestamp).
    pub published_at: DateTime<Utc>,
}

impl ExportError {
    /// What went wrong, in both languages.
    pub fn text(&self) -> crate::lang::Text {
        use crate::tr;
        match self {
            ExportError::UnknownReference { kind, code } => {
                let es = crate::scenario::noun(kind);
                tr!(
                    "el plan nombra {es} `{code}`, que el escenario no tiene: exporte un plan con el escenario con que se hizo",
                    "the plan names {kind} `{code}`, which the scenario does not have: export a plan with the scenario it was made for"
                )
            }
            ExportError::Encoding { .. } => crate::lang::Text::same(self.to_string()),
        }
    }
}

/// Why an export could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The plan names something the scenario does not have: it was made for another scenario.
    #[error(
        "the plan names {kind} `{code}`, which the scenario does not have: export a plan with the scenario it was made for"
    )]
    UnknownReference {
        /// What kind of entity.
        kind: &'static str,
        /// Its code.
        code: String,
    },
    /// A serializer failed.
    #[error("encoding {what}: {message}")]
    Encoding {
        /// Which output.
        what: String,
        /// The serializer's message.
        message: String,
    },
}

/// Every published file, and the manifest to keep for the next publication.
#[derive(Clone, Debug)]
pub struct Publication {
    /// Calendars, FHIR bundles, GeoJSON (and the manifest itself).
    pub files: Vec<OutFile>,
    /// Events as published (UID, SEQUENCE, content).
    pub manifest: Manifest,
    /// How the events changed against the previous publication.
    pub changes: Changes,
}

/// Where the manifest of a publication lives, relative to the output folder.
pub const MANIFEST_PATH: &str = "calendars/published.json";

/// Build every calendar, FHIR bundle and map file of `plan`.
/// `previous` is the manifest of the last publication into the same place.
pub fn publish(
    s: &Scenario,
    plan: &Plan,
    previous: Option<&Manifest>,
    opts: &ExportOptions,
) -> Result<Publication, ExportError> {
    let names = lookup::Names::new(s);
    names.check_plan(plan)?;
    let (events, manifest, changes) = events::day_events(s, plan, previous);
    let mut files = Vec::new();
    files.extend(ics::calendars(s, &names, &events, opts));
    files.extend(sheets::calendars(s, &names, plan, opts.lang)?);
    files.extend(fhir::bundles(s, &names, &events, opts)?);
    files.push(geo::localities(s, &names, plan)?);
    files.extend(routes::sheets(&names, plan, opts.lang)?);
    files.extend(routes::geojson(&names, plan)?);
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| ExportError::Encoding {
        what: MANIFEST_PATH.to_string(),
        message: e.to_string(),
    })?;
    files.push(OutFile::new(MANIFEST_PATH, json));
    let front = index::pages(s, &names, &files, opts.lang);
    files.extend(front);
    // File names are made distinct (`events::unique_slugs`); this keeps
    // any future slip from overwriting one calendar with another.
    let mut seen = std::collections::HashSet::new();
    if let Some(f) = files.iter().find(|f| !seen.insert(f.path.clone())) {
        return Err(ExportError::Encoding {
            what: f.path.display().to_string(),
            message: "two outputs would share this file name".to_string(),
        });
    }
    Ok(Publication {
        files,
        manifest,
        changes,
    })
}
