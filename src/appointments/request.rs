//! `itinera request`: appointment requests arriving by message (Jujuy books
//! by WhatsApp) or through a health post. Each request — from a patient the
//! ledger knows, or a new one with a referral — joins the waiting list and
//! is offered the first free slot of its list: held for the patient until
//! the offer expires, booked when the patient confirms (`respond`), given to
//! the next patient otherwise. A request for a referral already on the list
//! is merged into it, not listed twice; a request id seen before changes
//! nothing.
//!
//! Offering a free slot to a newcomer keeps the priority order: after
//! `book`, nobody who fits a free slot is left waiting, so a slot still free
//! is one no earlier patient could take.

use super::AppointmentError;
use super::book::{appointment_count, expire_offers, insert_offer, referral_id};
use super::ledger::{Ledger, Log};
use super::slots::TIME_FORMAT;
use super::templates::Names;
use crate::model::{Channel, Priority};
use crate::scenario::csvin;
use crate::scenario::{Code, Diagnostic, valid_email, valid_phone};
use crate::tr;
use chrono::{Duration, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;
use std::path::Path;

const COLUMNS: [&str; 10] = [
    "request",
    "patient",
    "locality",
    "specialty",
    "priority",
    "channels",
    "phone",
    "email",
    "language",
    "at",
];

/// One request, read and checked.
#[derive(Clone, PartialEq)]
pub struct Request {
    /// Its id (the message's or the health post's form number).
    pub id: String,
    /// Pseudonymous patient id.
    pub patient: String,
    /// Locality code (for a new patient; a known one keeps theirs).
    pub locality: String,
    /// Specialty code.
    pub specialty: String,
    /// Priority of the referral.
    pub priority: Priority,
    /// Consented channels; the first one is the channel it came by.
    pub channels: Vec<Channel>,
    /// Phone (personal data).
    pub phone: Option<String>,
    /// E-mail (personal data).
    pub email: Option<String>,
    /// `es` or `en`.
    pub language: String,
    /// When it arrived (local time): the referral's date.
    pub at: NaiveDateTime,
}

impl std::fmt::Debug for Request {
    /// Everything but the contact values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("id", &self.id)
            .field("patient", &self.patient)
            .field("specialty", &self.specialty)
            .finish_non_exhaustive()
    }
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Received {
    /// Requests taken in.
    pub received: usize,
    /// Seen before (same id): nothing changed.
    pub repeated: usize,
    /// For a referral already on the list: merged.
    pub merged: usize,
    /// Patients new to the ledger.
    pub new_patients: usize,
    /// Requests offered a slot.
    pub offered: usize,
    /// Requests left waiting (no free slot fits yet).
    pub waiting: usize,
    /// Earlier offers released, not confirmed in time.
    pub expired: usize,
    /// Events recorded.
    pub events: i64,
}

/// Read `path` against the ledger: every problem at once, naming no patient
/// and repeating no contact value.
pub fn read(ledger: &Ledger, path: &Path) -> Result<Vec<Request>, Vec<Diagnostic>> {
    let names = Names::load(ledger.conn()).unwrap_or_default();
    csvin::read(
        path,
        &COLUMNS,
        tr!("pedidos", "requests"),
        "docs/appointments.md",
        |problems, line, cells| {
            let cell = |i: usize| cells.get(i);
            let before = problems.len();
            if cell(0).is_empty() || cell(1).is_empty() {
                let column = if cell(0).is_empty() { 0 } else { 1 };
                problems.push(
                    line,
                    column,
                    Code::EmptyId,
                    tr!("falta el id", "the id is missing"),
                    tr!(
                        "cada pedido necesita su id y el id seudónimo del paciente",
                        "every request needs its id and the patient's pseudonymous id"
                    ),
                );
            }
            let known: Option<String> = ledger
                .conn()
                .query_row(
                    "SELECT locality FROM patients WHERE id = ?1",
                    params![cell(1)],
                    |r| r.get(0),
                )
                .optional()
                .unwrap_or(None);
            if known.is_none() && !names.localities.contains_key(&cell(2)) {
                let v = cell(2);
                problems.push(
                    line,
                    2,
                    Code::UnknownLocality,
                    tr!("no existe la localidad `{v}`", "unknown locality `{v}`"),
                    tr!(
                        "un paciente nuevo necesita una localidad del escenario",
                        "a new patient needs a locality of the scenario"
                    ),
                );
            }
            if !names.specialties.contains_key(&cell(3)) {
                let v = cell(3);
                problems.push(
                    line,
                    3,
                    Code::UnknownSpecialty,
                    tr!("no existe la especialidad `{v}`", "unknown specialty `{v}`"),
                    tr!(
                        "use una especialidad del escenario",
                        "use a specialty of the scenario"
                    ),
                );
            }
            let priority = if cell(4).is_empty() {
                Some(Priority::Routine)
            } else {
                Priority::parse(&cell(4))
            };
            if priority.is_none() {
                let v = cell(4);
                problems.push(
                    line,
                    4,
                    Code::CsvValue,
                    tr!("prioridad desconocida `{v}`", "unknown priority `{v}`"),
                    tr!(
                        "use urgent, preferred o routine (vacío: routine)",
                        "use urgent, preferred or routine (empty: routine)"
                    ),
                );
            }
            let channels: Option<Vec<Channel>> = cell(5)
                .split(';')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(Channel::parse)
                .collect();
            match &channels {
                None => problems.push(
                    line,
                    5,
                    Code::CsvValue,
                    tr!("canal desconocido", "unknown channel"),
                    tr!(
                        "use whatsapp, sms, phone o email separados por `;`",
                        "use whatsapp, sms, phone or email separated by `;`"
                    ),
                ),
                Some(list) if known.is_none() => {
                    let phone = cell(6);
                    let email = cell(7);
                    if list.iter().any(|c| c.uses_phone()) && !valid_phone(&phone) {
                        problems.push(
                            line,
                            6,
                            Code::MissingContact,
                            tr!(
                                "falta el teléfono o no es válido (el valor no se muestra)",
                                "the phone is missing or not valid (the value is not shown)"
                            ),
                            tr!(
                                "escríbalo como +54 9 2966 123456",
                                "write it as +54 9 2966 123456"
                            ),
                        );
                    }
                    if list.contains(&Channel::Email) && !valid_email(&email) {
                        problems.push(
                            line,
                            7,
                            Code::MissingContact,
                            tr!(
                                "falta el correo o no es válido (el valor no se muestra)",
                                "the e-mail is missing or not valid (the value is not shown)"
                            ),
                            tr!(
                                "escríbalo como nombre@dominio.ar",
                                "write it as name@domain.ar"
                            ),
                        );
                    }
                }
                Some(_) => {}
            }
            let language = if cell(8).is_empty() {
                "es".to_string()
            } else {
                cell(8)
            };
            if language != "es" && language != "en" {
                problems.push(
                    line,
                    8,
                    Code::CsvValue,
                    tr!("idioma desconocido", "unknown language"),
                    tr!("use es o en", "use es or en"),
                );
            }
            let at = NaiveDateTime::parse_from_str(&cell(9), TIME_FORMAT);
            if at.is_err() {
                problems.push(
                    line,
                    9,
                    Code::CsvValue,
                    tr!("no es una fecha y hora", "not a date and time"),
                    tr!(
                        "escriba AAAA-MM-DDTHH:MM, hora local del escenario",
                        "write YYYY-MM-DDTHH:MM, the scenario's local time"
                    ),
                );
            }
            if problems.len() > before {
                return None;
            }
            if let (Some(priority), Some(channels), Ok(at)) = (priority, channels, at) {
                let opt = |v: String| (!v.is_empty()).then_some(v);
                return Some(Request {
                    id: cell(0),
                    patient: cell(1),
                    locality: known.unwrap_or_else(|| cell(2)),
                    specialty: cell(3),
                    priority,
                    channels,
                    phone: opt(cell(6)),
                    email: opt(cell(7)),
                    language,
                    at,
                });
            }
            None
        },
    )
}

/// Take `requests` in, in order, stamping events with `now`; offers last
/// `offer_hours`.
pub fn take(
    ledger: &mut Ledger,
    path: &Path,
    requests: &[Request],
    now: NaiveDateTime,
    offer_hours: f64,
) -> Result<Received, AppointmentError> {
    let sql = |e: rusqlite::Error| AppointmentError::sql(path, &e);
    let tx = ledger.write().map_err(sql)?;
    let mut log = Log::continue_in(&tx, &now.format(TIME_FORMAT).to_string()).map_err(sql)?;
    let before = log.len();
    let mut out = Received {
        expired: expire_offers(&tx, &mut log).map_err(sql)?,
        ..Received::default()
    };
    for r in requests {
        one(&tx, &mut log, r, offer_hours, &mut out).map_err(sql)?;
    }
    out.events = log.len() - before;
    tx.commit().map_err(sql)?;
    Ok(out)
}

fn one(
    tx: &Connection,
    log: &mut Log,
    r: &Request,
    offer_hours: f64,
    out: &mut Received,
) -> rusqlite::Result<()> {
    if tx
        .query_row(
            "SELECT 1 FROM requests WHERE id = ?1",
            params![r.id],
            |_| Ok(()),
        )
        .optional()?
        .is_some()
    {
        out.repeated += 1;
        return Ok(());
    }
    let at = r.at.format(TIME_FORMAT).to_string();
    let referred = r.at.date().to_string();
    let referral = referral_id(&r.patient, &r.specialty);
    let known = tx
        .query_row(
            "SELECT 1 FROM patients WHERE id = ?1",
            params![r.patient],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if !known {
        let channels: Vec<&str> = r.channels.iter().map(|c| c.code()).collect();
        tx.execute(
            "INSERT INTO patients (id, locality, language, phone, email, channels) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![r.patient, r.locality, r.language, r.phone, r.email, channels.join(";")],
        )?;
        log.append(tx, "patient_added", &r.patient, "request", &json!({}))?;
        out.new_patients += 1;
    }
    let status: Option<String> = tx
        .query_row(
            "SELECT status FROM referrals WHERE id = ?1",
            params![referral],
            |x| x.get(0),
        )
        .optional()?;
    let outcome = if matches!(status.as_deref(), Some("waiting" | "booked")) {
        out.merged += 1;
        "merged"
    } else {
        let locality: String = tx.query_row(
            "SELECT locality FROM patients WHERE id = ?1",
            params![r.patient],
            |x| x.get(0),
        )?;
        if status.is_some() {
            // Back on the list after leaving it: the request is its new referral.
            tx.execute(
                "UPDATE referrals SET locality = ?2, referred = ?3, priority = ?4, status = 'waiting' WHERE id = ?1",
                params![referral, locality, referred, r.priority.rank()],
            )?;
        } else {
            tx.execute(
                "INSERT INTO referrals (id, patient, specialty, locality, referred, priority, status)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'waiting')",
                params![referral, r.patient, r.specialty, locality, referred, r.priority.rank()],
            )?;
        }
        log.append(
            tx,
            "referral_added",
            &referral,
            "request",
            &json!({
                "patient": r.patient, "specialty": r.specialty, "locality": locality,
                "referred": referred, "priority": r.priority.rank(),
            }),
        )?;
        let slot: Option<(String, String)> = tx
            .query_row(
                "SELECT s.id, s.starts FROM slots s
                 WHERE s.status = 'open' AND s.locality = ?1 AND s.specialty = ?2 AND s.starts > ?3
                   AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.slot = s.id AND a.status = 'booked')
                 ORDER BY s.starts, s.id LIMIT 1",
                params![locality, r.specialty, at.clone().max(log.at().to_string())],
                |x| Ok((x.get(0)?, x.get(1)?)),
            )
            .optional()?;
        match slot {
            Some((slot, starts)) => {
                let expires = (r
                    .at
                    .max(NaiveDateTime::parse_from_str(log.at(), TIME_FORMAT).unwrap_or(r.at))
                    + Duration::minutes((offer_hours * 60.0) as i64))
                .format(TIME_FORMAT)
                .to_string()
                .min(starts);
                let n = appointment_count(tx)? + 1;
                insert_offer(tx, log, n, &referral, &slot, &expires)?;
                out.offered += 1;
                "offered"
            }
            None => {
                out.waiting += 1;
                "waiting"
            }
        }
    };
    let channel = r.channels.first().map_or("health-post", |c| c.code());
    tx.execute(
        "INSERT INTO requests (id, referral, channel, at, outcome) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![r.id, referral, channel, at, outcome],
    )?;
    log.append(
        tx,
        "request_received",
        &r.id,
        channel,
        &json!({ "referral": referral, "outcome": outcome }),
    )?;
    out.received += 1;
    Ok(())
}
