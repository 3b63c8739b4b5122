//! Reading a scenario folder into a validated [`Scenario`].
//!
//! Two stages, as in the rest of the pipeline: the files are read into raw
//! structs that mirror them (`yaml`, `table`), then every rule is checked
//! while building the typed model. All problems are collected and returned at
//! once as [`Diagnostic`]s, each with file, line, field, a stable code and a fix.

pub mod csvin;
mod diagnostic;
pub mod limits;
mod logistics;
mod patients;
mod reach;
mod settings;
mod table;
mod tables;
mod whatif;
mod yaml;

pub use diagnostic::{Code, Diagnostic};
pub use patients::{
    FILE_NAME as PATIENTS_FILE, load_patients, patients_csv, valid_email, valid_phone,
};
pub use table::io_reason;
pub use tables::noun;
pub use whatif::{apply as apply_what_if, apply_all as apply_what_ifs};

use crate::model::{InstitutionId, Scenario};
use crate::tr;
use diagnostic::{Diagnostics, Position};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use table::Table;

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The scenario has problems; each one is listed.
    #[error("the scenario has {} problem(s)", .0.len())]
    Invalid(Vec<Diagnostic>),
}

/// Read and validate the scenario in folder `dir` (or the folder of a
/// `scenario.yaml` path).
pub fn load(dir: &Path) -> Result<Scenario, ScenarioError> {
    let (dir, yaml_path) = if dir.is_file() {
        (
            dir.parent().unwrap_or(Path::new(".")).to_path_buf(),
            dir.to_path_buf(),
        )
    } else {
        (dir.to_path_buf(), dir.join("scenario.yaml"))
    };
    let mut d = Diagnostics::default();
    let Some(raw) = yaml::read(&yaml_path, &mut d) else {
        return Err(ScenarioError::Invalid(d.into_sorted()));
    };
    let s = settings::validate(&raw, &yaml_path, &mut d);
    let mut ids = tables::Ids::default();
    for (i, inst) in s.institutions.iter().enumerate() {
        ids.institutions
            .insert(inst.code.clone(), InstitutionId::from_index(i));
    }
    for (i, sp) in s.specialties.iter().enumerate() {
        ids.specialties
            .insert(sp.code.clone(), crate::model::SpecialtyId::from_index(i));
    }
    let files = raw.files.as_ref();
    let file = |pick: Option<&String>, default: &str| -> PathBuf {
        dir.join(pick.map_or(default, String::as_str))
    };
    let horizon = s.horizon.as_ref();

    let localities = Table::read(
        &file(files.and_then(|f| f.localities.as_ref()), "localities.csv"),
        &tables::LOCALITIES,
        &mut d,
    )
    .map(|t| tables::localities(&t, &mut ids, &mut d))
    .unwrap_or_default();
    let roads = Table::read(
        &file(files.and_then(|f| f.roads.as_ref()), "roads.csv"),
        &tables::ROADS,
        &mut d,
    )
    .map(|t| tables::roads(&t, &ids, horizon, &mut d))
    .unwrap_or_default();
    let facilities = Table::read(
        &file(files.and_then(|f| f.facilities.as_ref()), "facilities.csv"),
        &tables::FACILITIES,
        &mut d,
    )
    .map(|t| tables::facilities(&t, &mut ids, &mut d))
    .unwrap_or_default();
    let (persons, specialists) = Table::read(
        &file(
            files.and_then(|f| f.specialists.as_ref()),
            "specialists.csv",
        ),
        &tables::SPECIALISTS,
        &mut d,
    )
    .map(|t| tables::specialists(&t, &mut ids, horizon, &mut d))
    .unwrap_or_default();
    let demand_path = file(files.and_then(|f| f.demand.as_ref()), "demand.csv");
    let demand = Table::read(&demand_path, &tables::DEMAND, &mut d)
        .map(|t| tables::demand(&t, &ids, &mut d))
        .unwrap_or_default();

    let calendar_files: Vec<(String, PathBuf, Position)> =
        match files.and_then(|f| f.calendars.as_ref()) {
            Some(list) => list
                .iter()
                .map(|c| {
                    (
                        c.institution.clone(),
                        dir.join(&c.file),
                        Position::default(),
                    )
                })
                .collect(),
            None => s
                .institutions
                .iter()
                .map(|i| {
                    (
                        i.code.clone(),
                        dir.join(format!("calendar-{}.csv", i.code)),
                        Position::default(),
                    )
                })
                .collect(),
        };
    let mut calendar = Vec::new();
    let mut seen_visits = HashSet::new();
    for (inst, path, p) in &calendar_files {
        let Some(iid) = ids.institutions.get(inst).copied() else {
            d.push(
                Code::UnknownInstitution,
                &yaml_path,
                p,
                "files.calendars.institution",
                tr!(
                    "no existe la institución `{inst}`",
                    "unknown institution `{inst}`"
                ),
                tr!(
                    "use un id de institución de `institutions:`",
                    "use an institution id from `institutions:`"
                ),
            );
            continue;
        };
        if let Some(t) = Table::read(path, &tables::CALENDAR, &mut d) {
            let ctx = tables::CalendarContext {
                institution: iid,
                horizon,
                specialists: &specialists,
                facilities: &facilities,
                specialties: &s.specialties,
                institutions: &s.institutions,
            };
            tables::calendar(&t, &ids, &ctx, &mut seen_visits, &mut calendar, &mut d);
        }
    }

    reach::check(
        &reach::Input {
            localities: &localities,
            roads: &roads,
            facilities: &facilities,
            specialists: &specialists,
            specialties: &s.specialties,
            demand: &demand,
            file: &demand_path,
        },
        &mut d,
    );

    let logistics = logistics::validate(
        raw.logistics.as_ref(),
        &ids,
        s.horizon.as_ref().map_or(&[][..], |h| &h.working_days),
        s.costs.per_km,
        s.travel.max_driving_hours_per_day,
        &yaml_path,
        &mut d,
    );

    match s.horizon {
        Some(horizon) if d.is_empty() => Ok(Scenario {
            name: raw.name,
            horizon,
            institutions: s.institutions,
            specialties: s.specialties,
            localities,
            roads,
            facilities,
            persons,
            specialists,
            demand: demand.into_iter().map(|(x, _)| x).collect(),
            calendar,
            travel: s.travel,
            costs: s.costs,
            weights: s.weights,
            publishing: s.publishing,
            logistics,
            jornadas: Vec::new(),
            what_if: Vec::new(),
        }),
        _ => Err(ScenarioError::Invalid(d.into_sorted())),
    }
}
