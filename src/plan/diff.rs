//! What changes between two plans, visit by visit, in the words hospitals
//! and patients care about: a visit kept as it was, moved to other dates,
//! reassigned to another specialist, cancelled, or new. Replanning and
//! what-if comparisons report it per facility.

use super::format::{Plan, Visit};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// How one visit changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Same record (person and institution), facility and dates.
    Kept,
    /// Same person, specialty and locality; other dates, facility or
    /// institution.
    Moved,
    /// Same specialty and locality, another person.
    Reassigned,
    /// In the old plan only.
    Cancelled,
    /// In the new plan only.
    New,
}

impl ChangeKind {
    /// Every kind, in report order.
    pub const ALL: [ChangeKind; 5] = [
        ChangeKind::Kept,
        ChangeKind::Moved,
        ChangeKind::Reassigned,
        ChangeKind::Cancelled,
        ChangeKind::New,
    ];
}

/// One visit of either plan and what became of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// What happened.
    pub kind: ChangeKind,
    /// The visit in the old plan.
    pub old: Option<VisitRef>,
    /// The visit in the new plan.
    pub new: Option<VisitRef>,
}

impl Change {
    /// The facility the change is counted at: the old visit's, or the new
    /// one's for a new visit.
    pub fn facility(&self) -> &str {
        self.old
            .as_ref()
            .or(self.new.as_ref())
            .map_or("", |v| v.facility.as_str())
    }
}

/// What identifies a visit to a hospital.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VisitRef {
    /// Visit id in its plan.
    pub id: String,
    /// Specialist record.
    pub specialist: String,
    /// Person (matching only: a person id is a national id in Santa
    /// Cruz, so it is never written out).
    #[serde(skip)]
    pub person: String,
    /// Specialty.
    pub specialty: String,
    /// Locality.
    pub locality: String,
    /// Facility.
    pub facility: String,
    /// Consultation dates.
    pub dates: Vec<NaiveDate>,
}

impl From<&Visit> for VisitRef {
    fn from(v: &Visit) -> Self {
        VisitRef {
            id: v.id.clone(),
            specialist: v.specialist.clone(),
            person: v.person.clone(),
            specialty: v.specialty.clone(),
            locality: v.locality.clone(),
            facility: v.facility.clone(),
            dates: v.dates.clone(),
        }
    }
}

/// Whether a visit of the new plan can stand for one of the old.
type SameVisit = fn(&Visit, &Visit) -> bool;

/// The changes from `old` to `new`, old visits first in their order, then
/// the new visits. Matching is greedy and deterministic: exact matches
/// first, then the same person at the same place nearest in time, then
/// another person at the same place nearest in time.
pub fn diff(old: &Plan, new: &Plan) -> Vec<Change> {
    let a: Vec<&Visit> = old.made_visits().collect();
    let b: Vec<&Visit> = new.made_visits().collect();
    let mut match_a: Vec<Option<(usize, ChangeKind)>> = vec![None; a.len()];
    let mut taken = vec![false; b.len()];
    let passes: [(ChangeKind, SameVisit); 3] = [
        // Kept: the same record, so the same institution sends the visit
        // (a person's other record on the same dates changes who pays and
        // organises it, and the hospitals' calendars say so).
        (ChangeKind::Kept, |x, y| {
            x.specialist == y.specialist && x.facility == y.facility && x.dates == y.dates
        }),
        (ChangeKind::Moved, |x, y| {
            x.person == y.person && x.specialty == y.specialty && x.locality == y.locality
        }),
        (ChangeKind::Reassigned, |x, y| {
            x.specialty == y.specialty && x.locality == y.locality
        }),
    ];
    for (kind, same) in passes {
        for (i, x) in a.iter().enumerate() {
            if match_a[i].is_some() {
                continue;
            }
            let best = (0..b.len())
                .filter(|&j| !taken[j] && same(x, b[j]))
                .min_by_key(|&j| ((b[j].start - x.start).num_days().abs(), j));
            if let Some(j) = best {
                taken[j] = true;
                match_a[i] = Some((j, kind));
            }
        }
    }
    let mut out: Vec<Change> = a
        .iter()
        .zip(&match_a)
        .map(|(x, m)| Change {
            kind: m.map_or(ChangeKind::Cancelled, |(_, k)| k),
            old: Some(VisitRef::from(*x)),
            new: m.map(|(j, _)| VisitRef::from(b[j])),
        })
        .collect();
    out.extend(
        b.iter()
            .zip(&taken)
            .filter(|(_, t)| !**t)
            .map(|(y, _)| Change {
                kind: ChangeKind::New,
                old: None,
                new: Some(VisitRef::from(*y)),
            }),
    );
    out
}

/// Count of each kind per facility, facilities in code order.
pub fn by_facility(changes: &[Change]) -> BTreeMap<String, BTreeMap<ChangeKind, usize>> {
    let mut out: BTreeMap<String, BTreeMap<ChangeKind, usize>> = BTreeMap::new();
    for c in changes {
        *out.entry(c.facility().to_string())
            .or_default()
            .entry(c.kind)
            .or_default() += 1;
    }
    out
}

/// How many visits of each kind `changes` holds.
pub fn counts(changes: &[Change]) -> BTreeMap<ChangeKind, usize> {
    let mut out: BTreeMap<ChangeKind, usize> = ChangeKind::ALL.iter().map(|k| (*k, 0)).collect();
    for c in changes {
        *out.entry(c.kind).or_default() += 1;
    }
    out
}

/// What `plan` does with the institutions' existing calendars, as
/// [`diff`] counts it: the one definition of "kept" and "moved" that the
/// plan's summary, the report and `compare` (against the status quo) show.
pub fn against_existing(
    s: &crate::model::Scenario,
    net: &crate::network::RoadNetwork,
    plan: &Plan,
) -> BTreeMap<ChangeKind, usize> {
    counts(&diff(&super::status_quo::as_plan(s, net), plan))
}

/// What each visit `plan` makes is to the existing calendars (kept, moved,
/// reassigned or new), by visit id: the same matching as
/// [`against_existing`], so a calendar's column agrees with the counts.
pub fn origins(
    s: &crate::model::Scenario,
    net: &crate::network::RoadNetwork,
    plan: &Plan,
) -> std::collections::HashMap<String, ChangeKind> {
    diff(&super::status_quo::as_plan(s, net), plan)
        .into_iter()
        .filter_map(|c| c.new.map(|v| (v.id, c.kind)))
        .collect()
}
