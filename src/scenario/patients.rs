//! Reading `patients.csv`: one row per referral (a patient waiting for one
//! specialty), validated like the scenario's tables: every problem at once,
//! with file, line, column and a fix.
//!
//! The file holds personal data (phone numbers, e-mail addresses). No
//! message here ever repeats a contact value or a patient id: problems are
//! placed by line and column, which is all a clerk needs to find them.

use super::ScenarioError;
use super::diagnostic::{Code, Diagnostics};
use super::table::{Columns, Row, Table};
use crate::lang::{Lang, Text};
use crate::model::{Channel, LocalityId, Patient, Priority, Scenario, SpecialtyId};
use crate::tr;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The columns of `patients.csv`.
pub const PATIENTS: Columns = Columns {
    required: &[
        "patient",
        "locality",
        "specialty",
        "referred",
        "priority",
        "channels",
    ],
    optional: &["phone", "email", "language"],
};

/// The file name of a scenario's patients, beside `scenario.yaml`.
pub const FILE_NAME: &str = "patients.csv";

/// Longest patient id accepted.
const MAX_ID: usize = 64;

/// Read and validate the patients at `path` against scenario `s`.
pub fn load_patients(s: &Scenario, path: &Path) -> Result<Vec<Patient>, ScenarioError> {
    let mut d = Diagnostics::default();
    let Some(table) = Table::read(path, &PATIENTS, &mut d) else {
        return Err(ScenarioError::Invalid(d.into_sorted()));
    };
    let localities: HashMap<&str, LocalityId> = s
        .localities
        .iter()
        .enumerate()
        .map(|(i, l)| (l.code.as_str(), LocalityId::from_index(i)))
        .collect();
    let specialties: HashMap<&str, SpecialtyId> = s
        .specialties
        .iter()
        .enumerate()
        .map(|(i, x)| (x.code.as_str(), SpecialtyId::from_index(i)))
        .collect();
    let lists: HashSet<(LocalityId, SpecialtyId)> =
        s.demand.iter().map(|x| (x.locality, x.specialty)).collect();
    let mut out = Vec::new();
    // (patient, specialty) → line of its first row; patient → its first row.
    let mut referrals: HashMap<(String, SpecialtyId), u64> = HashMap::new();
    let mut first: HashMap<String, (u64, usize)> = HashMap::new();
    for row in table.rows() {
        let before = d.len();
        let id = patient_id(&row, &mut d);
        let locality = known(&row, "locality", &localities, Code::UnknownLocality, &mut d);
        let specialty = known(
            &row,
            "specialty",
            &specialties,
            Code::UnknownSpecialty,
            &mut d,
        );
        let referred = row.date("referred", &mut d);
        if let Some(date) = referred
            && date > s.horizon.end()
        {
            let end = s.horizon.end();
            d.push(
                Code::DateOutsideHorizon,
                row.path(),
                &row.pos("referred"),
                "referred",
                tr!(
                    "la derivación es posterior al fin del horizonte ({end})",
                    "the referral is after the horizon's end ({end})"
                ),
                tr!(
                    "corrija la fecha, o deje al paciente para el escenario del próximo período",
                    "fix the date, or leave the patient for the next period's scenario"
                ),
            );
        }
        let priority = priority(&row, &mut d);
        let channels = channels(&row, &mut d);
        let phone = contact(&row, "phone", valid_phone, &mut d);
        let email = contact(&row, "email", valid_email, &mut d);
        let language = language(&row, &mut d);
        if let Some(channels) = &channels {
            // One problem per empty contact column, naming its channels.
            for column in ["phone", "email"] {
                let needing: Vec<&str> = channels
                    .iter()
                    .filter(|c| c.uses_phone() == (column == "phone"))
                    .map(|c| c.code())
                    .collect();
                if needing.is_empty() || !row.raw(column).is_empty() {
                    continue;
                }
                let channel = needing.join(", ");
                d.push(
                    Code::MissingContact,
                    row.path(),
                    &row.pos("channels"),
                    "channels",
                    tr!(
                        "el paciente aceptó {channel} pero la columna `{column}` está vacía",
                        "the patient consented to {channel} but the `{column}` column is empty"
                    ),
                    tr!(
                        "complete `{column}` o quite {channel} de `channels`",
                        "fill in `{column}` or remove {channel} from `channels`"
                    ),
                );
            }
        }
        if let (Some(l), Some(sp)) = (locality, specialty)
            && !lists.contains(&(l, sp))
        {
            let (lc, sc) = (&s.locality(l).code, &s.specialty(sp).code);
            d.push(
                Code::PatientWithoutList,
                row.path(),
                &row.pos("specialty"),
                "specialty",
                tr!(
                    "no hay lista de espera de `{sc}` en `{lc}` en demand.csv: el plan no la visita",
                    "demand.csv has no `{sc}` waiting list at `{lc}`: the plan does not visit it"
                ),
                tr!(
                    "agregue la fila a demand.csv, o corrija la localidad o la especialidad del paciente",
                    "add the row to demand.csv, or fix the patient's locality or specialty"
                ),
            );
        }
        if d.len() > before {
            continue;
        }
        let (Some(id), Some(locality), Some(specialty), Some(referred), Some(priority)) =
            (id, locality, specialty, referred, priority)
        else {
            continue;
        };
        let line = row.line();
        if let Some(earlier) = referrals.insert((id.clone(), specialty), line) {
            referrals.insert((id.clone(), specialty), earlier);
            d.push(
                Code::DuplicateId,
                row.path(),
                &row.pos("patient"),
                "patient",
                tr!(
                    "el paciente de esta fila ya espera esta especialidad (línea {earlier})",
                    "the patient of this row already waits for this specialty (line {earlier})"
                ),
                tr!(
                    "deje una sola fila por paciente y especialidad",
                    "keep one row per patient and specialty"
                ),
            );
            continue;
        }
        let patient = Patient {
            id: id.clone(),
            locality,
            specialty,
            referred,
            priority,
            channels: channels.unwrap_or_default(),
            phone,
            email,
            language,
        };
        match first.get(&id) {
            None => {
                first.insert(id, (line, out.len()));
            }
            Some(&(earlier, k)) => {
                let p: &Patient = &out[k];
                let differs = [
                    ("locality", p.locality != patient.locality),
                    ("phone", p.phone != patient.phone),
                    ("email", p.email != patient.email),
                    ("language", p.language != patient.language),
                ];
                if let Some((column, _)) = differs.iter().find(|(_, x)| *x) {
                    d.push(
                        Code::PatientRowsDisagree,
                        row.path(),
                        &row.pos(column),
                        *column,
                        tr!(
                            "`{column}` no coincide con la otra fila del mismo paciente (línea {earlier})",
                            "`{column}` differs from the same patient's other row (line {earlier})"
                        ),
                        tr!(
                            "un paciente tiene una sola localidad y un solo contacto: iguale las filas",
                            "a patient has one locality and one contact: make the rows agree"
                        ),
                    );
                    continue;
                }
            }
        }
        out.push(patient);
    }
    if d.is_empty() {
        Ok(out)
    } else {
        Err(ScenarioError::Invalid(d.into_sorted()))
    }
}

/// `patients.csv` text for `patients` (the file `load_patients` reads).
pub fn patients_csv(s: &Scenario, patients: &[Patient]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = PATIENTS.required.to_vec();
    header.extend(PATIENTS.optional);
    // Writing to memory cannot fail.
    let _ = w.write_record(&header);
    for p in patients {
        let channels: Vec<&str> = p.channels.iter().map(|c| c.code()).collect();
        let _ = w.write_record([
            p.id.as_str(),
            &s.locality(p.locality).code,
            &s.specialty(p.specialty).code,
            &p.referred.to_string(),
            p.priority.code(),
            &channels.join(";"),
            p.phone.as_deref().unwrap_or(""),
            p.email.as_deref().unwrap_or(""),
            p.language.tag(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

fn patient_id(row: &Row<'_>, d: &mut Diagnostics) -> Option<String> {
    let v = row.raw("patient");
    let problem = if v.is_empty() {
        Some((
            Code::EmptyId,
            tr!("falta el id del paciente", "the patient id is missing"),
        ))
    } else if v.len() > MAX_ID
        || !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        Some((
            Code::CsvValue,
            tr!(
                "el id del paciente debe tener hasta {MAX_ID} letras sin acentos, cifras, `-`, `_` o `.`",
                "the patient id must be up to {MAX_ID} plain letters, digits, `-`, `_` or `.`"
            ),
        ))
    } else if v.chars().all(|c| c.is_ascii_digit()) && (7..=8).contains(&v.len()) {
        Some((
            Code::NationalIdAsPatient,
            tr!(
                "el id del paciente parece un DNI: los archivos de itinera usan ids seudónimos",
                "the patient id looks like a national id (DNI): itinera's files use pseudonymous ids"
            ),
        ))
    } else {
        None
    };
    match problem {
        None => Some(v.to_string()),
        Some((code, message)) => {
            d.push(
                code,
                row.path(),
                &row.pos("patient"),
                "patient",
                message,
                tr!(
                    "use el código seudónimo que la historia clínica da al paciente (p. ej. HC-004512), nunca el nombre ni el DNI",
                    "use the pseudonymous code the clinical record gives the patient (e.g. HC-004512), never the name or the DNI"
                ),
            );
            None
        }
    }
}

fn known<T: Copy>(
    row: &Row<'_>,
    column: &str,
    ids: &HashMap<&str, T>,
    code: Code,
    d: &mut Diagnostics,
) -> Option<T> {
    let v = row.raw(column);
    let found = ids.get(v).copied();
    if found.is_none() {
        let es = super::noun(column);
        d.push(
            code,
            row.path(),
            &row.pos(column),
            column,
            tr!("no existe {es} `{v}`", "unknown {column} `{v}`"),
            tr!(
                "use un id definido en las tablas del escenario",
                "use an id defined in the scenario's tables"
            ),
        );
    }
    found
}

fn priority(row: &Row<'_>, d: &mut Diagnostics) -> Option<Priority> {
    let v = row.raw("priority");
    let p = Priority::parse(v);
    if p.is_none() {
        d.push(
            Code::CsvValue,
            row.path(),
            &row.pos("priority"),
            "priority",
            tr!("prioridad desconocida `{v}`", "unknown priority `{v}`"),
            tr!(
                "use urgent, preferred o routine (o urgente, preferente, rutina)",
                "use urgent, preferred or routine (or urgente, preferente, rutina)"
            ),
        );
    }
    p
}

fn channels(row: &Row<'_>, d: &mut Diagnostics) -> Option<Vec<Channel>> {
    let mut out = Vec::new();
    for part in row.list("channels") {
        match Channel::parse(&part) {
            Some(c) if !out.contains(&c) => out.push(c),
            Some(_) => {}
            None => {
                d.push(
                    Code::CsvValue,
                    row.path(),
                    &row.pos("channels"),
                    "channels",
                    tr!("canal desconocido `{part}`", "unknown channel `{part}`"),
                    tr!(
                        "use whatsapp, sms, phone o email separados por `;`, en el orden que el paciente prefiere (vacío: sin contacto)",
                        "use whatsapp, sms, phone or email separated by `;`, in the patient's order of preference (empty: no contact)"
                    ),
                );
                return None;
            }
        }
    }
    Some(out)
}

/// An optional contact value, checked by `valid` without ever repeating it.
fn contact(
    row: &Row<'_>,
    column: &str,
    valid: fn(&str) -> bool,
    d: &mut Diagnostics,
) -> Option<String> {
    let v = row.raw(column);
    if v.is_empty() {
        return None;
    }
    if valid(v) {
        return Some(v.to_string());
    }
    let (message, fix): (Text, Text) = if column == "phone" {
        (
            tr!(
                "el teléfono no es un número válido (el valor no se muestra: es un dato personal)",
                "the phone is not a valid number (the value is not shown: it is personal data)"
            ),
            tr!(
                "escríbalo en formato internacional, p. ej. +54 9 2966 123456 (de 8 a 15 cifras)",
                "write it in international format, e.g. +54 9 2966 123456 (8 to 15 digits)"
            ),
        )
    } else {
        (
            tr!(
                "el correo no es una dirección válida (el valor no se muestra: es un dato personal)",
                "the e-mail is not a valid address (the value is not shown: it is personal data)"
            ),
            tr!(
                "escríbalo como nombre@dominio.ar",
                "write it as name@domain.ar"
            ),
        )
    };
    d.push(
        Code::CsvValue,
        row.path(),
        &row.pos(column),
        column,
        message,
        fix,
    );
    None
}

/// `+`, digits, spaces and dashes, with 8 to 15 digits (E.164's length).
pub fn valid_phone(v: &str) -> bool {
    let digits = v.chars().filter(char::is_ascii_digit).count();
    v.starts_with('+')
        && v[1..]
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
        && (8..=15).contains(&digits)
}

/// One `@` with something before it and a dotted domain after it.
pub fn valid_email(v: &str) -> bool {
    match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !v.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

fn language(row: &Row<'_>, d: &mut Diagnostics) -> Lang {
    let v = row.raw("language");
    match v {
        "" | "es" => Lang::Es,
        "en" => Lang::En,
        _ => {
            d.push(
                Code::CsvValue,
                row.path(),
                &row.pos("language"),
                "language",
                tr!("idioma desconocido `{v}`", "unknown language `{v}`"),
                tr!("use es o en (vacío: es)", "use es or en (empty: es)"),
            );
            Lang::Es
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_and_emails_are_checked() {
        assert!(valid_phone("+54 9 2966 123456"));
        assert!(!valid_phone("2966 123456"));
        assert!(!valid_phone("+54 abc"));
        assert!(valid_email("a@b.ar"));
        assert!(!valid_email("a@b"));
        assert!(!valid_email("a b@c.ar"));
    }
}
