//! Consultation-day events with stable identities: the unit every calendar
//! format publishes.
//!
//! A calendar client updates an event in place when a new file carries the
//! same UID with a higher SEQUENCE. So each consultation day gets a UID from
//! the identity of its visit (the existing calendar's id when the visit comes
//! from one; otherwise record, locality, specialty and the visit's ordinal)
//! and the day's number within the visit. The manifest of the previous
//! publication says which UIDs were published with which content: unchanged
//! events keep their SEQUENCE, changed ones raise it, and events that are no
//! longer planned are published once more as cancelled.

use crate::model::Scenario;
use crate::plan::format::{Origin, Plan};
pub use crate::plan::identity::identities;
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Manifest schema name.
pub const SCHEMA: &str = "itinera.published/1";

/// What a consultation day is, as published: codes, date and hours.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventData {
    /// Plan visit id (not part of the identity: ids may be renumbered).
    pub visit: String,
    /// Specialist record code.
    pub record: String,
    /// The person's pseudonymous key (see `lookup::person_keys`).
    pub person: String,
    /// Institution code.
    pub institution: String,
    /// Specialty code.
    pub specialty: String,
    /// Locality code.
    pub locality: String,
    /// Facility code.
    pub facility: String,
    /// Consultation date.
    pub date: NaiveDate,
    /// Day number within the visit (1-based).
    pub day: u32,
    /// Days of the visit.
    pub days: u32,
    /// Patients per consultation day.
    pub patients_per_day: u32,
    /// Local start and end time (none for all-day events).
    pub hours: Option<(NaiveTime, NaiveTime)>,
    /// The visit no longer takes place.
    pub cancelled: bool,
}

impl EventData {
    /// Whether two versions differ in anything a calendar shows.
    fn same_content(&self, other: &EventData) -> bool {
        EventData {
            visit: String::new(),
            ..self.clone()
        } == EventData {
            visit: String::new(),
            ..other.clone()
        }
    }
}

/// One published consultation day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayEvent {
    /// Stable identifier (iCalendar UID; FHIR Slot identifier).
    pub uid: String,
    /// Revision: 0 when first published, raised on every change.
    pub sequence: u32,
    /// Content.
    pub data: EventData,
}

/// The events of a publication, kept beside the calendars so the next
/// publication can tell what changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Scenario name.
    pub scenario: String,
    /// Every event ever published for this scenario, by UID.
    pub events: BTreeMap<String, DayEvent>,
}

/// How the events of a publication compare with the previous one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// Events published for the first time.
    pub new: usize,
    /// Events whose content changed (SEQUENCE raised).
    pub updated: usize,
    /// Events published as before.
    pub unchanged: usize,
    /// Events published as cancelled for the first time: planned before (in
    /// the previous publication, or in an institution's own calendar).
    pub cancelled: usize,
}

/// A distinct safe name (see [`slug`]) for each code: codes whose slugs
/// collide (`Gamma_CSS` and `gamma-css`, `P2` and `p2`, or two names in a
/// script with no Latin letters, whose slug is empty) each get a suffix
/// from a hash of the code itself, so a name never depends on which other
/// codes exist and two codes never overwrite each other's file.
pub fn unique_slugs<'a>(codes: impl IntoIterator<Item = &'a str>) -> BTreeMap<&'a str, String> {
    let mut by_slug: BTreeMap<String, Vec<&'a str>> = BTreeMap::new();
    for code in codes {
        let list = by_slug.entry(slug(code)).or_default();
        if !list.contains(&code) {
            list.push(code);
        }
    }
    let mut out = BTreeMap::new();
    for (base, codes) in by_slug {
        let alone = codes.len() == 1 && !base.is_empty();
        for code in codes {
            let name = if alone {
                base.clone()
            } else {
                let hash = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, code.as_bytes());
                let tag = &hash.simple().to_string()[..8];
                if base.is_empty() {
                    format!("x-{tag}")
                } else {
                    format!("{base}-{tag}")
                }
            };
            out.insert(code, name);
        }
    }
    out
}

/// Lower-case ASCII letters, digits and dashes: a safe piece of a UID or file name.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Every consultation day of the plan (dropped visits as cancelled), with
/// UID and SEQUENCE against `previous`, and the manifest to keep.
pub fn day_events(
    s: &Scenario,
    plan: &Plan,
    previous: Option<&Manifest>,
) -> (Vec<DayEvent>, Manifest, Changes) {
    let domain = format!("{}.itinera", slug(&s.name));
    let hours = (!s.publishing.all_day).then_some(s.publishing.hours);
    let ppd: HashMap<&str, u32> = s
        .specialties
        .iter()
        .map(|x| (x.code.as_str(), x.patients_per_day))
        .collect();
    let before = previous.filter(|m| m.schema == SCHEMA);
    // Published files name persons by their pseudonymous key, never the DNI.
    let keys = super::lookup::person_keys(s);
    let mut changes = Changes::default();
    let mut events: BTreeMap<String, DayEvent> = BTreeMap::new();
    for (v, identity) in plan.visits.iter().zip(identities(plan)) {
        for (k, date) in v.dates.iter().enumerate() {
            let uid = format!("{identity}-d{}@{domain}", k + 1);
            let data = EventData {
                visit: v.id.clone(),
                record: v.specialist.clone(),
                person: keys
                    .get(v.person.as_str())
                    .cloned()
                    .unwrap_or_else(|| v.person.clone()),
                institution: v.institution.clone(),
                specialty: v.specialty.clone(),
                locality: v.locality.clone(),
                facility: v.facility.clone(),
                date: *date,
                day: k as u32 + 1,
                days: v.days,
                patients_per_day: ppd.get(v.specialty.as_str()).copied().unwrap_or(0),
                hours,
                cancelled: v.origin == Origin::Dropped,
            };
            let sequence = match before.and_then(|m| m.events.get(&uid)) {
                None => {
                    // A dropped visit of an institution's calendar is
                    // published once, as cancelled: it is counted so.
                    if data.cancelled {
                        changes.cancelled += 1;
                    } else {
                        changes.new += 1;
                    }
                    0
                }
                Some(old) if old.data.same_content(&data) => {
                    changes.unchanged += 1;
                    old.sequence
                }
                Some(old) => {
                    if data.cancelled && !old.data.cancelled {
                        changes.cancelled += 1;
                    } else {
                        changes.updated += 1;
                    }
                    old.sequence + 1
                }
            };
            events.insert(
                uid.clone(),
                DayEvent {
                    uid,
                    sequence,
                    data,
                },
            );
        }
    }
    // Published before, not in this plan at all: cancel it (once).
    if let Some(m) = before {
        for (uid, old) in &m.events {
            if events.contains_key(uid) {
                continue;
            }
            let mut e = old.clone();
            if !old.data.cancelled {
                e.data.cancelled = true;
                e.sequence += 1;
                changes.cancelled += 1;
            } else {
                changes.unchanged += 1;
            }
            events.insert(uid.clone(), e);
        }
    }
    let manifest = Manifest {
        schema: SCHEMA.to_string(),
        scenario: s.name.clone(),
        events: events.clone(),
    };
    let mut list: Vec<DayEvent> = events.into_values().collect();
    list.sort_by(|a, b| (a.data.date, &a.uid).cmp(&(b.data.date, &b.uid)));
    (list, manifest, changes)
}
