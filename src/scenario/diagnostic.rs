//! Validation diagnostics: every problem found in a scenario, with where it is
//! and what to do about it.
//!
//! Loading never stops at the first problem: it collects one [`Diagnostic`] per
//! problem so the planner can fix a whole file in one pass. Codes are stable
//! and indexed in `docs/errors.md`.

use crate::lang::{Lang, Text};
use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// Stable error codes. The number never changes meaning; new problems get new
/// numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Code {
    /// E1001: a file cannot be read.
    FileUnreadable,
    /// E1002: YAML syntax error or a value of the wrong type.
    YamlSyntax,
    /// E1003: a field that the format does not know.
    UnknownField,
    /// E1004: a CSV row that cannot be read (wrong type, bad date, bad quoting).
    CsvValue,
    /// E1005: a CSV header that is missing a required column or has an unknown one.
    CsvHeader,
    /// E1006: a required YAML field is missing.
    MissingField,
    /// E1101: the horizon does not start on a Monday.
    StartNotMonday,
    /// E1102: the horizon has no weeks or too many.
    BadWeeks,
    /// E1103: working days empty or repeated.
    BadWorkingDays,
    /// E1104: a holiday outside the horizon or repeated.
    HolidayOutsideHorizon,
    /// E1105: unknown time zone.
    UnknownTimeZone,
    /// E1201: an id defined twice.
    DuplicateId,
    /// E1202: reference to a locality that does not exist.
    UnknownLocality,
    /// E1203: reference to a specialty that does not exist.
    UnknownSpecialty,
    /// E1204: reference to an institution that does not exist.
    UnknownInstitution,
    /// E1205: reference to a specialist record that does not exist.
    UnknownSpecialist,
    /// E1206: reference to a facility that does not exist.
    UnknownFacility,
    /// E1207: an empty id or name.
    EmptyId,
    /// E1301: zero or negative where a positive value is needed.
    NotPositive,
    /// E1302: a minimum larger than its maximum.
    MinAboveMax,
    /// E1303: a date range whose end is before its start, or unparsable.
    BadDateRange,
    /// E1304: a date outside the horizon.
    DateOutsideHorizon,
    /// E1305: coordinates out of range.
    BadCoordinates,
    /// E1306: a visit that starts on a non-working weekday.
    StartOnNonWorkingDay,
    /// E1307: a facility that is not in the visit's locality or cannot host its specialty.
    FacilityMismatch,
    /// E1308: a visit listed in another institution's calendar file.
    CalendarInstitutionMismatch,
    /// E1309: a road from a locality to itself.
    RoadLoop,
    /// E1310: a visit longer than a working week allows or than its specialty allows.
    VisitTooLong,
    /// E1311: a spacing rule that contradicts the coverage rule.
    SpacingAboveGap,
    /// E1312: consultation hours that are not `HH:MM-HH:MM` with the end after the start.
    BadHours,
    /// E1313: a number that is not finite or lies outside its documented range.
    OutOfRange,
    /// E1401: one person's records disagree on the name.
    PersonNameMismatch,
    /// E1402: one person with two records in the same institution.
    PersonDuplicateInstitution,
    /// E1501: demand that no base of its specialty can reach by road.
    DemandUnreachable,
    /// E1502: demand for a specialty no specialist practises.
    DemandWithoutSpecialist,
    /// E1503: demand at a locality with no facility that can host the specialty.
    DemandWithoutFacility,
    /// E1701: a vehicle based at a depot that does not exist.
    UnknownDepot,
    /// E1801: a patient consented to a channel without giving its contact.
    MissingContact,
    /// E1802: a patient waiting at a list that demand.csv does not have.
    PatientWithoutList,
    /// E1803: two rows of one patient disagree on the locality or contact.
    PatientRowsDisagree,
    /// E1804: a patient id that looks like a national id.
    NationalIdAsPatient,
    /// E1805: a response about a patient and specialty the ledger lacks.
    UnknownReferral,
    /// E1601: a plan file that cannot be read as `itinera.plan/1`.
    PlanUnreadable,
    /// E1602: a plan that does not fit the scenario or date it is replanned with.
    PlanMismatch,
}

impl Code {
    /// All codes, in index order (for docs and tests).
    pub const ALL: [Code; 44] = [
        Code::FileUnreadable,
        Code::YamlSyntax,
        Code::UnknownField,
        Code::CsvValue,
        Code::CsvHeader,
        Code::MissingField,
        Code::StartNotMonday,
        Code::BadWeeks,
        Code::BadWorkingDays,
        Code::HolidayOutsideHorizon,
        Code::UnknownTimeZone,
        Code::DuplicateId,
        Code::UnknownLocality,
        Code::UnknownSpecialty,
        Code::UnknownInstitution,
        Code::UnknownSpecialist,
        Code::UnknownFacility,
        Code::EmptyId,
        Code::NotPositive,
        Code::MinAboveMax,
        Code::BadDateRange,
        Code::DateOutsideHorizon,
        Code::BadCoordinates,
        Code::StartOnNonWorkingDay,
        Code::FacilityMismatch,
        Code::CalendarInstitutionMismatch,
        Code::RoadLoop,
        Code::VisitTooLong,
        Code::SpacingAboveGap,
        Code::BadHours,
        Code::OutOfRange,
        Code::PersonNameMismatch,
        Code::PersonDuplicateInstitution,
        Code::DemandUnreachable,
        Code::DemandWithoutSpecialist,
        Code::DemandWithoutFacility,
        Code::PlanUnreadable,
        Code::PlanMismatch,
        Code::UnknownDepot,
        Code::MissingContact,
        Code::PatientWithoutList,
        Code::PatientRowsDisagree,
        Code::NationalIdAsPatient,
        Code::UnknownReferral,
    ];

    /// A problem with a reference to another file's ids, which a file that
    /// cannot be read at all causes by itself.
    pub fn is_reference(self) -> bool {
        matches!(
            self,
            Code::UnknownLocality
                | Code::UnknownInstitution
                | Code::UnknownSpecialist
                | Code::UnknownFacility
                | Code::FacilityMismatch
                | Code::CalendarInstitutionMismatch
                | Code::DemandUnreachable
                | Code::DemandWithoutSpecialist
                | Code::DemandWithoutFacility
                | Code::UnknownDepot
                | Code::PatientWithoutList
        )
    }

    /// The stable code string, e.g. `E1201`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::FileUnreadable => "E1001",
            Code::YamlSyntax => "E1002",
            Code::UnknownField => "E1003",
            Code::CsvValue => "E1004",
            Code::CsvHeader => "E1005",
            Code::MissingField => "E1006",
            Code::StartNotMonday => "E1101",
            Code::BadWeeks => "E1102",
            Code::BadWorkingDays => "E1103",
            Code::HolidayOutsideHorizon => "E1104",
            Code::UnknownTimeZone => "E1105",
            Code::DuplicateId => "E1201",
            Code::UnknownLocality => "E1202",
            Code::UnknownSpecialty => "E1203",
            Code::UnknownInstitution => "E1204",
            Code::UnknownSpecialist => "E1205",
            Code::UnknownFacility => "E1206",
            Code::EmptyId => "E1207",
            Code::NotPositive => "E1301",
            Code::MinAboveMax => "E1302",
            Code::BadDateRange => "E1303",
            Code::DateOutsideHorizon => "E1304",
            Code::BadCoordinates => "E1305",
            Code::StartOnNonWorkingDay => "E1306",
            Code::FacilityMismatch => "E1307",
            Code::CalendarInstitutionMismatch => "E1308",
            Code::RoadLoop => "E1309",
            Code::VisitTooLong => "E1310",
            Code::SpacingAboveGap => "E1311",
            Code::BadHours => "E1312",
            Code::OutOfRange => "E1313",
            Code::PersonNameMismatch => "E1401",
            Code::PersonDuplicateInstitution => "E1402",
            Code::DemandUnreachable => "E1501",
            Code::DemandWithoutSpecialist => "E1502",
            Code::DemandWithoutFacility => "E1503",
            Code::PlanUnreadable => "E1601",
            Code::PlanMismatch => "E1602",
            Code::UnknownDepot => "E1701",
            Code::MissingContact => "E1801",
            Code::PatientWithoutList => "E1802",
            Code::PatientRowsDisagree => "E1803",
            Code::NationalIdAsPatient => "E1804",
            Code::UnknownReferral => "E1805",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in a scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// File the problem is in.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// 1-based column, when known (YAML position, or CSV column number).
    pub column: Option<u64>,
    /// Path of the offending field, e.g. `specialties[2].min_days` or `km`.
    pub field: String,
    /// What is wrong.
    pub message: Text,
    /// What to do about it.
    pub fix: Text,
}

impl Diagnostic {
    /// One line: `file:line:column: CODE field: message — fix`, in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = self.file.display().to_string();
        if let Some(line) = self.line {
            out += &format!(":{line}");
            if let Some(col) = self.column {
                out += &format!(":{col}");
            }
        }
        if self.field.is_empty() {
            out += &format!(": {}: {}", self.code, self.message.get(lang));
        } else {
            out += &format!(": {} {}: {}", self.code, self.field, self.message.get(lang));
        }
        if !self.fix.is_empty() {
            out += &format!(" — {}", self.fix.get(lang));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    /// In Spanish, the default language.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::Es))
    }
}

/// Where a value sits in its file, for attaching to diagnostics.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: Option<u64>,
    /// 1-based column.
    pub column: Option<u64>,
}

impl Position {
    /// A known line and column.
    pub fn at(line: u64, column: u64) -> Self {
        Self {
            line: Some(line),
            column: Some(column),
        }
    }
}

/// Collects diagnostics while a scenario is read and validated.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Record a problem.
    pub fn push(
        &mut self,
        code: Code,
        file: &std::path::Path,
        pos: &Position,
        field: impl Into<String>,
        message: Text,
        fix: Text,
    ) {
        self.items.push(Diagnostic {
            code,
            file: file.to_path_buf(),
            line: pos.line,
            column: pos.column,
            field: field.into(),
            message,
            fix,
        });
    }

    /// Number of problems found so far.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The problems, sorted by file and line. When a file could not be
    /// used at all (unreadable, or a header that does not fit), the ids it
    /// defines are missing, and every reference to them elsewhere would be
    /// reported too: those follow-on problems are left out, so the real
    /// cause is not buried (they reappear, if real, once it is fixed).
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        let broken: Vec<PathBuf> = self
            .items
            .iter()
            .filter(|d| matches!(d.code, Code::FileUnreadable | Code::CsvHeader))
            .map(|d| d.file.clone())
            .collect();
        if !broken.is_empty() {
            self.items
                .retain(|d| broken.contains(&d.file) || !d.code.is_reference());
        }
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code).cmp(&(&b.file, b.line, b.column, b.code))
        });
        self.items.dedup();
        self.items
    }
}
