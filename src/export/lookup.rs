//! Codes in a plan resolved to the scenario's entities, once, for every
//! export.

use super::ExportError;
use crate::model::*;
use crate::plan::format::Plan;
use std::collections::HashMap;

/// Scenario entities by code.
pub struct Names<'a> {
    s: &'a Scenario,
    localities: HashMap<&'a str, &'a Locality>,
    facilities: HashMap<&'a str, &'a Facility>,
    specialties: HashMap<&'a str, &'a Specialty>,
    records: HashMap<&'a str, &'a Specialist>,
    persons: HashMap<&'a str, &'a Person>,
    institutions: HashMap<&'a str, &'a Institution>,
    /// Person code → pseudonymous key, and back.
    person_keys: HashMap<&'a str, String>,
    by_person_key: HashMap<String, &'a Person>,
    /// Facility code → its file name.
    facility_files: std::collections::BTreeMap<&'a str, String>,
}

/// The pseudonymous key of every person, by person code: what published
/// files use instead of the national id (file names, FHIR, the manifest).
/// It is the slug of the name, which calendars show anyway; two persons of
/// one name are told apart by their first record's code, an institution's
/// internal id — never by the national id or a hash of it, which a list of
/// all ids would reverse.
pub fn person_keys(s: &Scenario) -> HashMap<&str, String> {
    let base = |p: &Person| {
        let b = super::events::slug(&p.name);
        if b.is_empty() {
            "especialista".to_string()
        } else {
            b
        }
    };
    let mut count: HashMap<String, usize> = HashMap::new();
    for p in &s.persons {
        *count.entry(base(p)).or_default() += 1;
    }
    s.persons
        .iter()
        .map(|p| {
            let b = base(p);
            let key = if count[&b] > 1 {
                let first = p
                    .records
                    .iter()
                    .map(|r| s.specialist(*r).code.as_str())
                    .min()
                    .unwrap_or_default();
                format!("{b}-{}", super::events::slug(first))
            } else {
                b
            };
            (p.code.as_str(), key)
        })
        .collect()
}

impl<'a> Names<'a> {
    /// Index the scenario.
    pub fn new(s: &'a Scenario) -> Self {
        let person_keys = person_keys(s);
        let by_person_key = s
            .persons
            .iter()
            .map(|p| (person_keys[p.code.as_str()].clone(), p))
            .collect();
        Names {
            person_keys,
            by_person_key,
            facility_files: super::events::unique_slugs(
                s.facilities.iter().map(|f| f.code.as_str()),
            ),
            s,
            localities: s.localities.iter().map(|x| (x.code.as_str(), x)).collect(),
            facilities: s.facilities.iter().map(|x| (x.code.as_str(), x)).collect(),
            specialties: s.specialties.iter().map(|x| (x.code.as_str(), x)).collect(),
            records: s.specialists.iter().map(|x| (x.code.as_str(), x)).collect(),
            persons: s.persons.iter().map(|x| (x.code.as_str(), x)).collect(),
            institutions: s
                .institutions
                .iter()
                .map(|x| (x.code.as_str(), x))
                .collect(),
        }
    }

    /// Every code the plan uses exists in the scenario.
    pub fn check_plan(&self, plan: &Plan) -> Result<(), ExportError> {
        let missing = |kind: &'static str, code: &str, ok: bool| {
            if ok {
                Ok(())
            } else {
                Err(ExportError::UnknownReference {
                    kind,
                    code: code.to_string(),
                })
            }
        };
        for v in &plan.visits {
            missing(
                "locality",
                &v.locality,
                self.localities.contains_key(v.locality.as_str()),
            )?;
            missing(
                "facility",
                &v.facility,
                self.facilities.contains_key(v.facility.as_str()),
            )?;
            missing(
                "specialty",
                &v.specialty,
                self.specialties.contains_key(v.specialty.as_str()),
            )?;
            missing(
                "specialist record",
                &v.specialist,
                self.records.contains_key(v.specialist.as_str()),
            )?;
            missing(
                "person",
                &v.person,
                self.persons.contains_key(v.person.as_str()),
            )?;
            missing(
                "institution",
                &v.institution,
                self.institutions.contains_key(v.institution.as_str()),
            )?;
        }
        for t in &plan.trips {
            missing(
                "specialist record",
                &t.specialist,
                self.records.contains_key(t.specialist.as_str()),
            )?;
            for stop in &t.stops {
                missing(
                    "locality",
                    stop,
                    self.localities.contains_key(stop.as_str()),
                )?;
            }
        }
        Ok(())
    }

    /// The scenario.
    pub fn scenario(&self) -> &'a Scenario {
        self.s
    }

    /// Locality by code (checked by [`Names::check_plan`]).
    pub fn locality(&self, code: &str) -> Option<&'a Locality> {
        self.localities.get(code).copied()
    }

    /// Facility by code.
    pub fn facility(&self, code: &str) -> Option<&'a Facility> {
        self.facilities.get(code).copied()
    }

    /// Specialty by code.
    pub fn specialty(&self, code: &str) -> Option<&'a Specialty> {
        self.specialties.get(code).copied()
    }

    /// Specialist record by code.
    pub fn record(&self, code: &str) -> Option<&'a Specialist> {
        self.records.get(code).copied()
    }

    /// Person by code or by pseudonymous key.
    pub fn person(&self, code: &str) -> Option<&'a Person> {
        self.persons
            .get(code)
            .or_else(|| self.by_person_key.get(code))
            .copied()
    }

    /// A person's pseudonymous key (see [`person_keys`]); a code the
    /// scenario lacks (checked before export) is returned as it is.
    pub fn person_key(&self, code: &str) -> String {
        self.person_keys
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    /// The file name (without extension) of a facility's calendars and bundle.
    pub fn facility_file(&self, code: &str) -> String {
        self.facility_files
            .get(code)
            .cloned()
            .unwrap_or_else(|| super::events::slug(code))
    }

    /// Institution by code.
    pub fn institution(&self, code: &str) -> Option<&'a Institution> {
        self.institutions.get(code).copied()
    }

    /// Display name of a locality, or its code.
    pub fn locality_name(&self, code: &str) -> String {
        self.locality(code)
            .map_or_else(|| code.to_string(), |x| x.name.clone())
    }

    /// Display name of a facility, or its code.
    pub fn facility_name(&self, code: &str) -> String {
        self.facility(code)
            .map_or_else(|| code.to_string(), |x| x.name.clone())
    }

    /// Display name of a specialty, or its code.
    pub fn specialty_name(&self, code: &str) -> String {
        self.specialty(code)
            .map_or_else(|| code.to_string(), |x| x.name.clone())
    }

    /// Display name of a person, or their code.
    pub fn person_name(&self, code: &str) -> String {
        self.person(code)
            .map_or_else(|| code.to_string(), |x| x.name.clone())
    }

    /// Display name of an institution, or its code.
    pub fn institution_name(&self, code: &str) -> String {
        self.institution(code)
            .map_or_else(|| code.to_string(), |x| x.name.clone())
    }
}
