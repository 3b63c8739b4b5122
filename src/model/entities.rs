//! The entities of a scenario, each already validated.

use super::{
    DateRange, FacilityId, InstitutionId, LocalityId, PersonId, SpecialistId, SpecialtyId,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An organisation that employs specialists and keeps its own calendar.
#[derive(Clone, Debug, PartialEq)]
pub struct Institution {
    /// Short stable id used in files (e.g. `ministry`, `css`).
    pub code: String,
    /// Display name.
    pub name: String,
}

/// A medical specialty and the rules its visits follow.
#[derive(Clone, Debug, PartialEq)]
pub struct Specialty {
    /// Short stable id (e.g. `cardiology`).
    pub code: String,
    /// Display name.
    pub name: String,
    /// Patients one specialist sees in one consultation day.
    pub patients_per_day: u32,
    /// Fewest consultation days a visit may have.
    pub min_days: u32,
    /// Most consultation days a visit may have.
    pub max_days: u32,
    /// Two visits of this specialty to one locality must start at least this
    /// many weeks apart (otherwise they duplicate each other).
    pub min_spacing_weeks: u32,
    /// A locality with demand must be visited at least every this many weeks.
    pub max_gap_weeks: u32,
    /// Relative weight of one patient-week of waiting for this specialty.
    pub waiting_weight: f64,
}

/// A town or city.
#[derive(Clone, Debug, PartialEq)]
pub struct Locality {
    /// Short stable id (e.g. `las-heras`).
    pub code: String,
    /// Display name.
    pub name: String,
    /// Health zone (e.g. Norte, Centro, Sur).
    pub zone: String,
    /// Planning region (a province of a national network), empty when the
    /// scenario has none. Specialists serve only the localities of their
    /// base's region, so regions are planned independently.
    pub region: String,
    /// Latitude in degrees (WGS84).
    pub lat: f64,
    /// Longitude in degrees (WGS84).
    pub lon: f64,
    /// Inhabitants.
    pub population: u32,
}

/// Road surface, which sets the driving speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Surface {
    /// Asphalt.
    Paved,
    /// Gravel (ripio).
    Gravel,
    /// Partly paved, partly gravel.
    Mixed,
}

/// An undirected road link between two localities.
#[derive(Clone, Debug, PartialEq)]
pub struct Road {
    /// One end.
    pub a: LocalityId,
    /// Other end.
    pub b: LocalityId,
    /// Length in km.
    pub km: f64,
    /// Surface, for the driving speed.
    pub surface: Surface,
    /// Route name, for reports (e.g. `RN40`).
    pub route: String,
    /// Date ranges during which the road is closed (snow, floods).
    pub closed: Vec<DateRange>,
}

impl Road {
    /// Whether the road is closed on `date`.
    pub fn is_closed_on(&self, date: NaiveDate) -> bool {
        self.closed.iter().any(|r| r.contains(date))
    }
}

/// A place where consultations happen.
#[derive(Clone, Debug, PartialEq)]
pub struct Facility {
    /// Short stable id.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Locality where it stands.
    pub locality: LocalityId,
    /// Institution that runs it (visits of either institution may use it).
    pub institution: InstitutionId,
    /// Kind, e.g. hospital, health centre, health post, office.
    pub kind: String,
    /// Consulting rooms available to itinerant specialists per day.
    pub rooms_per_day: u32,
    /// Extraordinary care days ("jornadas"): rooms added on these dates,
    /// from what-if overlays; empty for the scenario as read.
    pub extra_rooms: std::collections::BTreeMap<chrono::NaiveDate, u32>,
    /// Specialties it can host; empty means any.
    pub specialties: Vec<SpecialtyId>,
}

impl Facility {
    /// Whether a visit of `specialty` can take place here.
    pub fn hosts(&self, specialty: SpecialtyId) -> bool {
        self.specialties.is_empty() || self.specialties.contains(&specialty)
    }

    /// Consulting rooms for itinerants on `date`, extra care days included.
    pub fn rooms_on(&self, date: chrono::NaiveDate) -> u32 {
        self.rooms_per_day + self.extra_rooms.get(&date).copied().unwrap_or(0)
    }

    /// Room-days over `dates`: how many consultation days the facility can
    /// host in them.
    pub fn room_days<'a>(&self, dates: impl IntoIterator<Item = &'a chrono::NaiveDate>) -> f64 {
        dates
            .into_iter()
            .map(|d| f64::from(self.rooms_on(*d)))
            .sum()
    }
}

/// One human being, who may hold a record in several institutions.
#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    /// National id or licence number.
    pub code: String,
    /// Name (identical on all records).
    pub name: String,
    /// The person's records, one per institution.
    pub records: Vec<SpecialistId>,
}

/// A specialist as employed by one institution.
#[derive(Clone, Debug, PartialEq)]
pub struct Specialist {
    /// Record id, unique across institutions.
    pub code: String,
    /// The human behind the record.
    pub person: PersonId,
    /// Employer of this record.
    pub institution: InstitutionId,
    /// Specialty practised under this record.
    pub specialty: SpecialtyId,
    /// Locality the specialist lives and departs from.
    pub base: LocalityId,
    /// Leave, on-call duty and other unavailable periods.
    pub unavailable: Vec<DateRange>,
    /// Most trips this record may make per calendar month.
    pub max_trips_per_month: u32,
    /// Most days away from base per calendar month.
    pub max_days_away_per_month: u32,
}

impl Specialist {
    /// Whether the specialist is unavailable on `date` (holidays aside).
    pub fn is_unavailable_on(&self, date: NaiveDate) -> bool {
        self.unavailable.iter().any(|r| r.contains(date))
    }
}

/// The waiting list of one specialty at one locality.
#[derive(Clone, Debug, PartialEq)]
pub struct Demand {
    /// Where the patients live.
    pub locality: LocalityId,
    /// What they wait for.
    pub specialty: SpecialtyId,
    /// Patients waiting at the start of the horizon.
    pub waiting: f64,
    /// New referrals per week, as in the demand file.
    pub weekly_referrals: f64,
    /// Changes to the referrals over some dates (an outbreak, a campaign),
    /// from what-if overlays; empty for the scenario as read.
    pub referral_changes: Vec<ReferralChange>,
}

/// Referrals multiplied by `factor`, then `extra_per_week` added, on `dates`.
#[derive(Clone, Debug, PartialEq)]
pub struct ReferralChange {
    /// When the change holds.
    pub dates: crate::model::DateRange,
    /// Multiplier of the base referrals.
    pub factor: f64,
    /// Referrals added per week.
    pub extra_per_week: f64,
}

impl Demand {
    /// Referrals in week `w` of the horizon: the base rate, changed on the
    /// days of the week that a [`ReferralChange`] covers, pro rata.
    pub fn referrals(&self, h: &crate::model::Horizon, w: u32) -> f64 {
        let monday = h.week_start(w);
        let mut r = self.weekly_referrals;
        for c in &self.referral_changes {
            let covered = (0..7)
                .filter(|&k| c.dates.contains(monday + chrono::Days::new(k)))
                .count() as f64
                / 7.0;
            r += covered * (self.weekly_referrals * (c.factor - 1.0) + c.extra_per_week);
        }
        r.max(0.0)
    }

    /// [`Demand::referrals`] for every week of the horizon.
    pub fn referrals_by_week(&self, h: &crate::model::Horizon) -> Vec<f64> {
        (0..h.weeks).map(|w| self.referrals(h, w)).collect()
    }
}

/// Whether a calendar entry is a firm commitment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VisitStatus {
    /// Announced to patients and facility: moving it has a cost.
    Confirmed,
    /// Pencilled in: free to change.
    Tentative,
}

/// A visit already in one institution's calendar.
#[derive(Clone, Debug, PartialEq)]
pub struct ExistingVisit {
    /// Visit id, unique across calendars.
    pub code: String,
    /// Which record makes the visit.
    pub specialist: SpecialistId,
    /// Where.
    pub locality: LocalityId,
    /// In which facility.
    pub facility: FacilityId,
    /// First consultation day.
    pub start: NaiveDate,
    /// Number of consultation days (consecutive working days).
    pub days: u32,
    /// Firm or tentative.
    pub status: VisitStatus,
    /// The calendar file it came from (institution's own calendar).
    pub source_institution: InstitutionId,
}

/// Driving speeds and limits.
#[derive(Clone, Debug, PartialEq)]
pub struct TravelOptions {
    /// Average speed on paved roads, km/h.
    pub speed_paved_kmh: f64,
    /// Average speed on gravel roads, km/h.
    pub speed_gravel_kmh: f64,
    /// Average speed on mixed roads, km/h.
    pub speed_mixed_kmh: f64,
    /// Most hours a specialist drives (or is driven) in one day.
    pub max_driving_hours_per_day: f64,
    /// Legs up to this many hours are driven on a consultation day (before or
    /// after consulting); longer legs take whole travel days.
    pub same_day_drive_hours: f64,
    /// Most localities one trip visits.
    pub max_stops_per_trip: u32,
}

impl TravelOptions {
    /// Average speed on a surface.
    pub fn speed(&self, surface: Surface) -> f64 {
        match surface {
            Surface::Paved => self.speed_paved_kmh,
            Surface::Gravel => self.speed_gravel_kmh,
            Surface::Mixed => self.speed_mixed_kmh,
        }
    }
}

/// Money costs of travelling, in the scenario's currency.
#[derive(Clone, Debug, PartialEq)]
pub struct Costs {
    /// Currency code for reports (e.g. ARS).
    pub currency: String,
    /// Cost of one km driven.
    pub per_km: f64,
    /// Per-diem for one night away from base.
    pub per_night: f64,
}

/// Weights of the planning objective, in the scenario's currency.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    /// Value of one patient-week of waiting (times the specialty's weight).
    pub patient_week: f64,
    /// Penalty for moving or dropping one confirmed visit.
    pub change_confirmed: f64,
    /// Penalty for changing one visit of a published plan when replanning
    /// (moved, reassigned or cancelled): patients and hospitals already hold
    /// its dates.
    pub change_published: f64,
    /// Penalty per week beyond a specialty's max gap at a locality.
    pub coverage_gap_week: f64,
}

/// How calendars are published to hospitals (the `publish` section).
#[derive(Clone, Debug, PartialEq)]
pub struct Publishing {
    /// Consultation hours of each day, local time: timed calendar events and
    /// FHIR slots run from `hours.0` to `hours.1`.
    pub hours: (chrono::NaiveTime, chrono::NaiveTime),
    /// Publish all-day events instead of timed ones (FHIR slots keep the hours).
    pub all_day: bool,
    /// What patients must bring, printed in every event's description.
    pub patient_note: String,
    /// How specialists are identified in published files. By default a
    /// pseudonymous key (never the national id); a scenario may opt in to
    /// the DNI for hospital systems that match practitioners by it.
    pub person_identifier: PersonIdentifier,
}

/// See [`Publishing::person_identifier`].
#[derive(Clone, Debug, Default, PartialEq)]
pub enum PersonIdentifier {
    /// Only itinera's pseudonymous person key (from the name).
    #[default]
    Key,
    /// Also the national id, under this FHIR identifier system.
    Dni {
        /// The identifier system URI, e.g. `http://www.renaper.gob.ar/dni`.
        system: String,
    },
}

impl Default for Publishing {
    fn default() -> Self {
        Publishing {
            hours: (
                chrono::NaiveTime::from_hms_opt(8, 0, 0).expect("valid time"),
                chrono::NaiveTime::from_hms_opt(14, 0, 0).expect("valid time"),
            ),
            all_day: false,
            patient_note: "Traer la derivación del médico de cabecera, el DNI y la credencial de la obra social si la tiene.".to_string(),
            person_identifier: PersonIdentifier::Key,
        }
    }
}
