//! FHIR R4 Bundles, one per facility: the facility's Location, the
//! Practitioners who visit it, a Schedule per specialist and specialty
//! (actors: the Location and the Practitioner) and a free Slot per
//! consultation day, so appointment systems can book patients into them.
//!
//! Resource ids are name-based UUIDs (v5) of stable codes: re-publishing
//! gives the same ids, and each Slot carries its calendar UID as identifier.

use super::events::{DayEvent, slug};
use super::lookup::Names;
use super::{ExportError, ExportOptions, OutFile};
use crate::model::{PersonIdentifier, Scenario};
use chrono::{NaiveDate, NaiveDateTime, Offset, SecondsFormat, TimeZone};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Identifier system for itinera's codes.
const SYSTEM: &str = "urn:itinera";

pub(crate) fn id(kind: &str, scenario: &str, code: &str) -> String {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        format!("{SYSTEM}:{}:{kind}:{code}", slug(scenario)).as_bytes(),
    )
    .to_string()
}

fn entry(resource: Value) -> Value {
    let id = resource["id"].as_str().unwrap_or_default().to_string();
    json!({ "fullUrl": format!("urn:uuid:{id}"), "resource": resource })
}

/// A local date and time as a FHIR instant with the zone's offset.
pub(crate) fn instant(s: &Scenario, t: NaiveDateTime) -> String {
    let tz = s.horizon.time_zone;
    let dt = tz
        .from_local_datetime(&t)
        .earliest()
        .unwrap_or_else(|| tz.from_utc_datetime(&t));
    dt.with_timezone(&dt.offset().fix())
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// One bundle per facility with planned consultation days.
pub fn bundles(
    s: &Scenario,
    names: &Names,
    events: &[DayEvent],
    opts: &ExportOptions,
) -> Result<Vec<OutFile>, ExportError> {
    let mut by_facility: BTreeMap<&str, Vec<&DayEvent>> = BTreeMap::new();
    for e in events.iter().filter(|e| !e.data.cancelled) {
        by_facility.entry(&e.data.facility).or_default().push(e);
    }
    let mut out = Vec::new();
    for (code, list) in by_facility {
        let bundle = bundle(s, names, code, &list, opts);
        let bytes = serde_json::to_vec_pretty(&bundle).map_err(|e| ExportError::Encoding {
            what: format!("FHIR bundle of {code}"),
            message: e.to_string(),
        })?;
        out.push(OutFile::new(
            format!("fhir/{}.json", names.facility_file(code)),
            bytes,
        ));
    }
    Ok(out)
}

fn bundle(
    s: &Scenario,
    names: &Names,
    facility: &str,
    events: &[&DayEvent],
    opts: &ExportOptions,
) -> Value {
    let sc = s.name.as_str();
    let location_id = id("Location", sc, facility);
    let mut entries = Vec::new();
    let mut location = json!({
        "resourceType": "Location",
        "id": location_id,
        "identifier": [{ "system": format!("{SYSTEM}:facility"), "value": facility }],
        "status": "active",
        "name": names.facility_name(facility),
        "mode": "instance",
    });
    if let Some(f) = names.facility(facility) {
        let l = s.locality(f.locality);
        location["address"] = json!({ "city": l.name, "district": l.zone, "country": "AR" });
        location["position"] = json!({ "longitude": l.lon, "latitude": l.lat });
    }
    entries.push(entry(location));
    // Practitioners, and a schedule per person and specialty.
    let mut schedules: BTreeMap<(&str, &str), Vec<&DayEvent>> = BTreeMap::new();
    for e in events {
        schedules
            .entry((e.data.person.as_str(), e.data.specialty.as_str()))
            .or_default()
            .push(e);
    }
    let mut practitioners: Vec<&str> = schedules.keys().map(|k| k.0).collect();
    practitioners.dedup();
    for p in &practitioners {
        // `p` is the pseudonymous key; the DNI only where the scenario opts in.
        let mut identifiers = vec![json!({ "system": format!("{SYSTEM}:person-key"), "value": p })];
        if let (PersonIdentifier::Dni { system }, Some(person)) =
            (&s.publishing.person_identifier, names.person(p))
        {
            identifiers.push(json!({ "system": system, "value": person.code }));
        }
        entries.push(entry(json!({
            "resourceType": "Practitioner",
            "id": id("Practitioner", sc, p),
            "identifier": identifiers,
            "active": true,
            "name": [{ "text": names.person_name(p) }],
        })));
    }
    let (from, to) = s.publishing.hours;
    for ((person, specialty), list) in &schedules {
        let schedule_id = id("Schedule", sc, &format!("{facility}/{person}/{specialty}"));
        let first: NaiveDate = list
            .iter()
            .map(|e| e.data.date)
            .min()
            .unwrap_or(s.horizon.start);
        let last: NaiveDate = list
            .iter()
            .map(|e| e.data.date)
            .max()
            .unwrap_or(s.horizon.start);
        let specialty_name = names.specialty_name(specialty);
        let institutions: Vec<String> = {
            let mut v: Vec<String> = list
                .iter()
                .map(|e| names.institution_name(&e.data.institution))
                .collect();
            v.sort();
            v.dedup();
            v
        };
        entries.push(entry(json!({
            "resourceType": "Schedule",
            "id": schedule_id,
            "active": true,
            "serviceType": [{ "text": specialty_name }],
            "specialty": [{ "text": specialty_name }],
            "actor": [
                { "reference": format!("urn:uuid:{location_id}"), "display": names.facility_name(facility) },
                { "reference": format!("urn:uuid:{}", id("Practitioner", sc, person)), "display": names.person_name(person) },
            ],
            "planningHorizon": {
                "start": instant(s, first.and_time(from)),
                "end": instant(s, last.and_time(to)),
            },
            "comment": institutions.join(" / "),
        })));
        for e in list {
            entries.push(entry(json!({
                "resourceType": "Slot",
                "id": id("Slot", sc, &e.uid),
                "identifier": [{ "system": format!("{SYSTEM}:event"), "value": e.uid }],
                "serviceType": [{ "text": specialty_name }],
                "specialty": [{ "text": specialty_name }],
                "schedule": { "reference": format!("urn:uuid:{schedule_id}") },
                "status": "free",
                "start": instant(s, e.data.date.and_time(from)),
                "end": instant(s, e.data.date.and_time(to)),
                "comment": format!(
                    "{} {}/{}; {} {}",
                    opts.lang.pick("Día", "Day"),
                    e.data.day,
                    e.data.days,
                    e.data.patients_per_day,
                    opts.lang.pick("pacientes", "patients")
                ),
            })));
        }
    }
    json!({
        "resourceType": "Bundle",
        "id": id("Bundle", sc, facility),
        "type": "collection",
        "timestamp": opts.published_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "entry": entries,
    })
}
