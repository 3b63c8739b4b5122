//! The two institutions' calendars seen as one, before any optimization:
//! every existing visit with who really makes it (the person, not the record)
//! and on which dates, plus the collisions between them ([`conflicts`]) and
//! what they achieve as they stand ([`status_quo`]).

pub mod conflicts;
pub mod status_quo;

use crate::model::*;
use chrono::NaiveDate;

/// An existing visit resolved to the person, specialty and dates it occupies.
#[derive(Clone, Debug, PartialEq)]
pub struct BookedVisit {
    /// The visit in the scenario's calendar.
    pub id: VisitId,
    /// The human making the visit.
    pub person: PersonId,
    /// The record (institution) under which it is booked.
    pub specialist: SpecialistId,
    /// Institution of the record.
    pub institution: InstitutionId,
    /// Specialty of the record.
    pub specialty: SpecialtyId,
    /// Where.
    pub locality: LocalityId,
    /// Facility used.
    pub facility: FacilityId,
    /// Consultation dates.
    pub dates: Vec<NaiveDate>,
    /// Week (0-based) of the first consultation day.
    pub week: u32,
}

/// Merge the institutions' calendars into one list, ordered by start date,
/// then visit id, so every report built from it is deterministic.
pub fn merge(s: &Scenario) -> Vec<BookedVisit> {
    let mut out: Vec<BookedVisit> = s
        .calendar
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let rec = s.specialist(v.specialist);
            let dates = s.horizon.consultation_dates(v.start, v.days);
            BookedVisit {
                id: VisitId::from_index(i),
                person: rec.person,
                specialist: v.specialist,
                institution: rec.institution,
                specialty: rec.specialty,
                locality: v.locality,
                facility: v.facility,
                week: s.horizon.week_of(v.start).unwrap_or(0),
                dates,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        (a.dates.first(), &s.visit(a.id).code).cmp(&(b.dates.first(), &s.visit(b.id).code))
    });
    out
}
