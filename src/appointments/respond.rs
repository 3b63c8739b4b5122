//! `itinera respond`: apply patients' answers, gathered by the messaging
//! gateway or the staff who called, to the ledger, all in one transaction.
//!
//! Every response carries its own id, so applying a file twice (or a file
//! that repeats an answer) changes nothing the second time. A cancellation
//! frees the slot and books the next patient of that list into it; a
//! request to reschedule also books the patient into the next free slot
//! after the one given up; "no longer needed" takes the patient off the
//! list with its cause; a wrong number ends the channels that use it; an
//! answer about an appointment already past is recorded as late and
//! changes nothing. Every response is kept with its source.

use super::AppointmentError;
use super::book::{appointment_count, expire_offers, insert_appointment, release};
use super::exits::{self, Cause};
use super::ledger::{Ledger, Log};
use super::slots::TIME_FORMAT;
use crate::scenario::csvin;
use crate::scenario::{Code, Diagnostic};
use crate::tr;
use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;
use std::path::Path;

/// What a patient answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Will come.
    Confirm,
    /// Will not come; keep me on the list.
    Cancel,
    /// Give me a later appointment.
    Reschedule,
    /// Leave the list (with a cause).
    NotNeeded,
    /// The number or address reaches someone else.
    WrongNumber,
    /// Nobody answered (a call).
    NoAnswer,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::Confirm,
        Kind::Cancel,
        Kind::Reschedule,
        Kind::NotNeeded,
        Kind::WrongNumber,
        Kind::NoAnswer,
    ];

    /// The code in response files.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Confirm => "confirm",
            Kind::Cancel => "cancel",
            Kind::Reschedule => "reschedule",
            Kind::NotNeeded => "not_needed",
            Kind::WrongNumber => "wrong_number",
            Kind::NoAnswer => "no_answer",
        }
    }

    fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == text)
    }
}

/// One response, read and checked.
#[derive(Clone, Debug)]
pub struct Response {
    /// Its id (the gateway's message id, a call's number): applied once.
    pub id: String,
    /// The referral it is about (`patient/specialty`).
    pub referral: String,
    /// The answer.
    pub kind: Kind,
    /// Exit cause, for `not_needed`.
    pub cause: Option<Cause>,
    /// Where it came from (`whatsapp`, `call`, `health-post`, …).
    pub source: String,
    /// When the patient answered (local time).
    pub at: NaiveDateTime,
    /// Line in its file.
    pub line: u64,
}

/// What applying a file did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    /// Responses applied.
    pub applied: usize,
    /// Responses applied before (by id): nothing changed.
    pub repeated: usize,
    /// Answers about appointments already past: recorded only.
    pub late: usize,
    /// Appointments confirmed.
    pub confirmed: usize,
    /// Appointments given up by the patient.
    pub cancelled: usize,
    /// Freed slots booked for the next patient.
    pub reassigned: usize,
    /// Patients booked again later.
    pub rescheduled: usize,
    /// Patients who left the list.
    pub exited: usize,
    /// Offers released because they were not confirmed in time.
    pub expired: usize,
    /// Events recorded.
    pub events: i64,
}

const COLUMNS: [&str; 7] = [
    "response",
    "patient",
    "specialty",
    "kind",
    "cause",
    "source",
    "at",
];

/// Read `path` against the ledger: every problem at once (file, line,
/// column), naming no patient.
pub fn read(ledger: &Ledger, path: &Path) -> Result<Vec<Response>, Vec<Diagnostic>> {
    csvin::read(
        path,
        &COLUMNS,
        tr!("respuestas", "responses"),
        "docs/appointments.md",
        |problems, line, cells| {
            let cell = |i: usize| cells.get(i);
            let before = problems.len();
            let id = cell(0);
            if id.is_empty() {
                problems.push(line, 0, Code::EmptyId,
                tr!("falta el id de la respuesta", "the response id is missing"),
                tr!(
                    "use el id del mensaje de la pasarela o de la llamada: con él, aplicar dos veces no cambia nada",
                    "use the gateway's message id or the call's: with it, applying twice changes nothing"
                ),
            );
            }
            let referral = super::book::referral_id(&cell(1), &cell(2));
            let known: Option<String> = ledger
                .conn()
                .query_row(
                    "SELECT status FROM referrals WHERE id = ?1",
                    params![referral],
                    |r| r.get(0),
                )
                .optional()
                .unwrap_or(None);
            if known.is_none() {
                problems.push(line, 1, Code::UnknownReferral,
                tr!(
                    "el registro de turnos no tiene a este paciente en lista de espera de esa especialidad",
                    "the ledger has no such patient on a waiting list of that specialty"
                ),
                tr!(
                    "revise el id del paciente y la especialidad; los pacientes nuevos entran con `itinera book` (patients.csv)",
                    "check the patient id and the specialty; new patients come in with `itinera book` (patients.csv)"
                ),
            );
            }
            let kind = Kind::parse(&cell(3));
            if kind.is_none() {
                let v = cell(3);
                problems.push(
                    line,
                    3,
                    Code::CsvValue,
                    tr!("respuesta desconocida `{v}`", "unknown answer `{v}`"),
                    tr!(
                        "use confirm, cancel, reschedule, not_needed, wrong_number o no_answer",
                        "use confirm, cancel, reschedule, not_needed, wrong_number or no_answer"
                    ),
                );
            }
            let cause = Cause::parse(&cell(4));
            if kind == Some(Kind::NotNeeded) && cause.is_none() {
                let codes: Vec<&str> = Cause::ALL.iter().map(|c| c.code()).collect();
                let codes = codes.join(", ");
                problems.push(
                    line,
                    4,
                    Code::CsvValue,
                    tr!(
                        "`not_needed` necesita una causa de egreso válida",
                        "`not_needed` needs a valid exit cause"
                    ),
                    tr!("use una de: {codes}", "use one of: {codes}"),
                );
            }
            let at = NaiveDateTime::parse_from_str(&cell(6), TIME_FORMAT);
            if at.is_err() {
                let v = cell(6);
                problems.push(
                    line,
                    6,
                    Code::CsvValue,
                    tr!(
                        "`{v}` no es una fecha y hora",
                        "`{v}` is not a date and time"
                    ),
                    tr!(
                        "escriba AAAA-MM-DDTHH:MM, hora local del escenario",
                        "write YYYY-MM-DDTHH:MM, the scenario's local time"
                    ),
                );
            }
            if problems.len() > before {
                return None;
            }
            if let (Some(kind), Ok(at)) = (kind, at) {
                return Some(Response {
                    id,
                    referral,
                    kind,
                    cause,
                    source: cell(5),
                    at,
                    line,
                });
            }
            None
        },
    )
}

/// Apply `responses` in order, stamping events with `now`.
pub fn apply(
    ledger: &mut Ledger,
    path: &Path,
    responses: &[Response],
    now: NaiveDateTime,
) -> Result<Applied, AppointmentError> {
    let sql = |e: rusqlite::Error| AppointmentError::sql(path, &e);
    let tx = ledger.write().map_err(sql)?;
    let mut log = Log::continue_in(&tx, &now.format(TIME_FORMAT).to_string()).map_err(sql)?;
    let before = log.len();
    // Offers not confirmed in time go to the next patient first: an answer
    // after its offer expired finds no appointment.
    let mut out = Applied {
        expired: expire_offers(&tx, &mut log).map_err(sql)?,
        ..Applied::default()
    };
    for r in responses {
        one(&tx, &mut log, r, &mut out).map_err(sql)?;
    }
    out.events = log.len() - before;
    tx.commit().map_err(sql)?;
    Ok(out)
}

fn one(tx: &Connection, log: &mut Log, r: &Response, out: &mut Applied) -> rusqlite::Result<()> {
    let seen: bool = tx
        .query_row(
            "SELECT 1 FROM responses WHERE id = ?1",
            params![r.id],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if seen {
        out.repeated += 1;
        return Ok(());
    }
    let at = r.at.format(TIME_FORMAT).to_string();
    let status: String = tx.query_row(
        "SELECT status FROM referrals WHERE id = ?1",
        params![r.referral],
        |x| x.get(0),
    )?;
    let current: Option<(String, String, String, String, String)> = tx
        .query_row(
            "SELECT a.id, a.slot, s.starts, s.locality, s.specialty FROM appointments a
             JOIN slots s ON s.id = a.slot WHERE a.referral = ?1 AND a.status = 'booked'",
            params![r.referral],
            |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?, x.get(3)?, x.get(4)?)),
        )
        .optional()?;
    // Any answer but silence reaches the patient: stop the retries.
    if !matches!(r.kind, Kind::NoAnswer | Kind::WrongNumber) {
        tx.execute(
            "UPDATE contact_attempts SET outcome = 'answered' WHERE referral = ?1 AND outcome = 'sent'",
            params![r.referral],
        )?;
    }
    let needs_appointment = matches!(r.kind, Kind::Confirm | Kind::Cancel | Kind::Reschedule);
    let applied = if status == "exited" {
        "already_exited"
    } else if needs_appointment && current.is_none() {
        "no_appointment"
    } else if needs_appointment && current.as_ref().is_some_and(|c| c.2 <= at) {
        out.late += 1;
        "late"
    } else {
        match r.kind {
            Kind::Confirm => {
                let (a, ..) = current.as_ref().expect("checked above");
                tx.execute(
                    "UPDATE appointments SET confirmed = 1, offer_expires = NULL WHERE id = ?1",
                    params![a],
                )?;
                log.append(
                    tx,
                    "appointment_confirmed",
                    a,
                    &r.source,
                    &json!({ "response": r.id }),
                )?;
                out.confirmed += 1;
                "confirmed"
            }
            Kind::Cancel | Kind::Reschedule => {
                let (a, slot, starts, ..) = current.clone().expect("checked above");
                give_up(tx, log, &a, &slot, &r.referral, out)?;
                if r.kind == Kind::Reschedule {
                    if let Some(next) = free_slot_after(tx, &r.referral, &slot, &starts, log.at())?
                    {
                        let n = appointment_count(tx)? + 1;
                        insert_appointment(tx, log, n, &r.referral, &next, "reschedule")?;
                        out.rescheduled += 1;
                    }
                    "rescheduled"
                } else {
                    "cancelled"
                }
            }
            Kind::NotNeeded => {
                if let Some((a, slot, ..)) = current.clone() {
                    give_up(tx, log, &a, &slot, &r.referral, out)?;
                }
                let cause = r.cause.unwrap_or(Cause::Declined);
                exits::exit(tx, log, &r.referral, cause, &r.id, &r.source)?;
                out.exited += 1;
                "exited"
            }
            Kind::WrongNumber | Kind::NoAnswer => {
                tx.execute(
                    "UPDATE contact_attempts SET outcome = ?2 WHERE id =
                       (SELECT MAX(id) FROM contact_attempts WHERE referral = ?1 AND outcome = 'sent')",
                    params![r.referral, r.kind.code()],
                )?;
                "recorded"
            }
        }
    };
    tx.execute(
        "INSERT INTO responses (id, referral, kind, cause, source, at, applied) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![r.id, r.referral, r.kind.code(), r.cause.map_or("", Cause::code), r.source, at, applied],
    )?;
    log.append(
        tx,
        "response_recorded",
        &r.id,
        &r.source,
        &json!({ "referral": r.referral, "kind": r.kind.code(), "at": at, "applied": applied }),
    )?;
    out.applied += 1;
    Ok(())
}

/// Cancel appointment `a` at the patient's request and book the freed slot
/// for the next patient of the list.
fn give_up(
    tx: &Connection,
    log: &mut Log,
    a: &str,
    slot: &str,
    referral: &str,
    out: &mut Applied,
) -> rusqlite::Result<()> {
    out.cancelled += 1;
    if release(tx, log, a, slot, referral, "patient")? {
        out.reassigned += 1;
    }
    Ok(())
}

/// The earliest free slot of the referral's list after `starts` (and after
/// `now`), other than the one given up.
fn free_slot_after(
    tx: &Connection,
    referral: &str,
    given_up: &str,
    starts: &str,
    now: &str,
) -> rusqlite::Result<Option<String>> {
    tx.query_row(
        "SELECT s.id FROM slots s JOIN referrals r ON r.id = ?1
         WHERE s.status = 'open' AND s.locality = r.locality AND s.specialty = r.specialty
           AND s.starts > ?3 AND s.starts > ?4 AND s.id <> ?2
           AND substr(s.starts, 1, 10) >= r.referred
           AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.slot = s.id AND a.status = 'booked')
         ORDER BY s.starts, s.id LIMIT 1",
        params![referral, given_up, starts, now],
        |r| r.get(0),
    )
    .optional()
}
