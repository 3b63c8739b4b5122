//! `itinera contact`: the messages due at a given time, as an outbox for a
//! messaging gateway (itinera never sends anything itself), each attempt
//! recorded in the ledger.
//!
//! Due messages: the booking notice of a new appointment (asks to confirm),
//! the notice of an appointment whose day moved, the notice of one a replan
//! cancelled, the reminder some hours before, and the "do you still need this
//! care?" check to patients waiting without an appointment. Each goes to the
//! patient's first consented channel; a notice that asks for an answer and
//! gets none is sent again after `retry_hours`, moving to the next channel
//! after `attempts` unanswered tries on one (a wrong number ends every
//! channel that uses it). A waiting patient not reached on any channel
//! leaves the list with cause `not_contactable`, the attempts as evidence.

use super::AppointmentError;
use super::exits::Cause;
use super::ledger::{Ledger, Log};
use super::slots::TIME_FORMAT;
use super::templates::{self, Details, Purpose};
use crate::lang::Lang;
use crate::model::Channel;
use chrono::{Duration, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;

/// When and how insistently to contact.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Local time of the run: messages due by then are written.
    pub at: NaiveDateTime,
    /// Hours before an appointment its reminder goes out.
    pub reminder_hours: f64,
    /// Unanswered attempts on one channel before the next one.
    pub attempts: u32,
    /// Hours to wait for an answer before trying again.
    pub retry_hours: f64,
    /// Days between two checks of a waiting patient who answered.
    pub check_every_days: i64,
}

impl Options {
    /// The defaults at `at`: reminder 15 hours before, two attempts per
    /// channel a day apart, waiting patients checked every 90 days.
    pub fn at(at: NaiveDateTime) -> Options {
        Options {
            at,
            reminder_hours: 15.0,
            attempts: 2,
            retry_hours: 24.0,
            check_every_days: 90,
        }
    }
}

/// One message to send.
#[derive(Clone, PartialEq)]
pub struct Message {
    /// Attempt id (`C0000001`…), the gateway's reference for the answer.
    pub attempt: String,
    /// The patient's pseudonymous id.
    pub patient: String,
    /// Specialty code (with the patient, the referral the answer is about).
    pub specialty: String,
    /// Channel.
    pub channel: Channel,
    /// Why.
    pub purpose: Purpose,
    /// Language of the text.
    pub language: Lang,
    /// Phone number or e-mail address (personal data).
    pub to: String,
    /// The details the template fills in.
    pub details: Details,
}

impl std::fmt::Debug for Message {
    /// Everything but the address.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Message")
            .field("attempt", &self.attempt)
            .field("channel", &self.channel)
            .field("purpose", &self.purpose)
            .finish_non_exhaustive()
    }
}

/// What a run produced.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Messages to send.
    pub messages: Vec<Message>,
    /// Patients with a message due but no consented channel left.
    pub unreachable: usize,
    /// Waiting patients who left the list, not contactable.
    pub exits: usize,
    /// Offers released because they were not confirmed in time.
    pub expired: usize,
    /// Events recorded.
    pub events: i64,
}

/// A row that may need a message: referral, appointment (if any), purpose.
struct Due {
    referral: String,
    appointment: Option<String>,
    purpose: Purpose,
}

/// Write the messages due at `opts.at` and record their attempts.
pub fn contact(
    ledger: &mut Ledger,
    path: &Path,
    opts: &Options,
) -> Result<Outcome, AppointmentError> {
    let sql = |e: rusqlite::Error| AppointmentError::sql(path, &e);
    let tx = ledger.write().map_err(sql)?;
    let at = opts.at.format(TIME_FORMAT).to_string();
    let mut log = Log::continue_in(&tx, &at).map_err(sql)?;
    let before = log.len();
    let mut out = Outcome::default();
    let names = templates::Names::load(&tx).map_err(sql)?;
    // Offers not confirmed in time go to the next patient before anything
    // is sent about them.
    out.expired = super::book::expire_offers(&tx, &mut log).map_err(sql)?;
    let due = due(&tx, opts, &at).map_err(sql)?;
    let mut next: i64 = tx
        .query_row("SELECT COUNT(*) FROM contact_attempts", [], |r| r.get(0))
        .map_err(sql)?;
    for d in due {
        let Some(patient) = patient(&tx, &d.referral).map_err(sql)? else {
            continue;
        };
        let tried = attempts(&tx, &d.referral, d.appointment.as_deref(), d.purpose).map_err(sql)?;
        let Some(channel) = channel(&patient.channels, &tried, opts.attempts) else {
            if d.purpose == Purpose::ListCheck {
                let evidence: Vec<&str> = tried.iter().map(|t| t.0.as_str()).collect();
                super::exits::exit(
                    &tx,
                    &mut log,
                    &d.referral,
                    Cause::NotContactable,
                    &evidence.join(";"),
                    "contact",
                )
                .map_err(sql)?;
                out.exits += 1;
            } else {
                out.unreachable += 1;
            }
            continue;
        };
        let to = if channel.uses_phone() {
            patient.phone.clone()
        } else {
            patient.email.clone()
        };
        let Some(to) = to else {
            out.unreachable += 1;
            continue;
        };
        let details =
            templates::details(&tx, &names, &d.referral, d.appointment.as_deref()).map_err(sql)?;
        next += 1;
        let attempt = format!("C{next:07}");
        tx.execute(
            "INSERT INTO contact_attempts (id, referral, appointment, purpose, channel, at, outcome)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'sent')",
            params![attempt, d.referral, d.appointment, d.purpose.code(), channel.code(), at],
        )
        .map_err(sql)?;
        log.append(
            &tx,
            "contact_attempted",
            &attempt,
            d.purpose.code(),
            &json!({ "referral": d.referral, "appointment": d.appointment, "channel": channel.code() }),
        )
        .map_err(sql)?;
        if d.purpose == Purpose::Change
            && let Some(a) = &d.appointment
        {
            tx.execute(
                "UPDATE appointments SET changed = 0 WHERE id = ?1",
                params![a],
            )
            .map_err(sql)?;
            log.append(&tx, "appointment_notified", a, "contact", &json!({}))
                .map_err(sql)?;
        }
        out.messages.push(Message {
            attempt,
            patient: patient.id.clone(),
            specialty: details.specialty_code.clone(),
            channel,
            purpose: d.purpose,
            language: patient.language,
            to,
            details,
        });
    }
    out.events = log.len() - before;
    tx.commit().map_err(sql)?;
    Ok(out)
}

/// What the ledger knows of a patient.
struct Known {
    id: String,
    channels: Vec<Channel>,
    phone: Option<String>,
    email: Option<String>,
    language: Lang,
}

fn patient(tx: &Connection, referral: &str) -> rusqlite::Result<Option<Known>> {
    tx.query_row(
        "SELECT p.id, p.channels, p.phone, p.email, p.language FROM referrals r
         JOIN patients p ON p.id = r.patient WHERE r.id = ?1",
        params![referral],
        |r| {
            let channels: String = r.get(1)?;
            let language: String = r.get(4)?;
            Ok(Known {
                id: r.get(0)?,
                channels: channels.split(';').filter_map(Channel::parse).collect(),
                phone: r.get(2)?,
                email: r.get(3)?,
                language: if language == "en" { Lang::En } else { Lang::Es },
            })
        },
    )
    .optional()
}

/// Earlier attempts of one purpose: (id, channel, outcome, at).
fn attempts(
    tx: &Connection,
    referral: &str,
    appointment: Option<&str>,
    purpose: Purpose,
) -> rusqlite::Result<Vec<(String, String, String, String)>> {
    let mut st = tx.prepare_cached(
        "SELECT id, channel, outcome, at FROM contact_attempts
         WHERE referral = ?1 AND purpose = ?2 AND (appointment IS ?3) ORDER BY id",
    )?;
    let rows = st.query_map(params![referral, purpose.code(), appointment], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    rows.collect()
}

/// The first channel not yet exhausted: fewer than `per_channel` attempts
/// on it, and no wrong number on the address it uses.
fn channel(
    channels: &[Channel],
    tried: &[(String, String, String, String)],
    per_channel: u32,
) -> Option<Channel> {
    let wrong_phone = tried
        .iter()
        .any(|t| t.2 == "wrong_number" && Channel::parse(&t.1).is_some_and(Channel::uses_phone));
    let wrong_email = tried
        .iter()
        .any(|t| t.2 == "wrong_number" && t.1 == Channel::Email.code());
    let mut count: HashMap<&str, u32> = HashMap::new();
    for t in tried {
        *count.entry(t.1.as_str()).or_default() += 1;
    }
    channels.iter().copied().find(|c| {
        let wrong = if c.uses_phone() {
            wrong_phone
        } else {
            wrong_email
        };
        !wrong && count.get(c.code()).copied().unwrap_or(0) < per_channel
    })
}

/// Everything due at `at`, in a stable order.
fn due(tx: &Connection, opts: &Options, at: &str) -> rusqlite::Result<Vec<Due>> {
    let mut out = Vec::new();
    let retry = (opts.at - Duration::minutes((opts.retry_hours * 60.0) as i64))
        .format(TIME_FORMAT)
        .to_string();
    let remind_by = (opts.at + Duration::minutes((opts.reminder_hours * 60.0) as i64))
        .format(TIME_FORMAT)
        .to_string();
    let checked_since = (opts.at - Duration::days(opts.check_every_days))
        .format(TIME_FORMAT)
        .to_string();
    // An appointment notice is due when none was sent, or (booking only)
    // the last one went unanswered for the retry time and the patient has
    // not confirmed.
    let queries: [(Purpose, &str); 6] = [
        (
            Purpose::Offer,
            "SELECT a.referral, a.id FROM appointments a JOIN slots s ON s.id = a.slot
             WHERE a.status = 'booked' AND a.confirmed = 0 AND a.offer_expires IS NOT NULL
               AND s.starts > ?1 AND ?2 = ?2
               AND NOT EXISTS (SELECT 1 FROM contact_attempts c WHERE c.appointment = a.id AND c.purpose = 'offer')
             ORDER BY s.starts, a.id",
        ),
        (
            Purpose::Booking,
            "SELECT a.referral, a.id FROM appointments a JOIN slots s ON s.id = a.slot
             WHERE a.status = 'booked' AND a.confirmed = 0 AND a.offer_expires IS NULL AND s.starts > ?1 AND NOT EXISTS
               (SELECT 1 FROM contact_attempts c WHERE c.appointment = a.id AND c.purpose = 'booking'
                  AND (c.at > ?2 OR c.outcome = 'answered'))
             ORDER BY s.starts, a.id",
        ),
        (
            Purpose::Change,
            "SELECT a.referral, a.id FROM appointments a JOIN slots s ON s.id = a.slot
             WHERE a.status = 'booked' AND a.changed = 1 AND s.starts > ?1 AND ?2 = ?2
             ORDER BY s.starts, a.id",
        ),
        (
            Purpose::Cancellation,
            "SELECT a.referral, a.id FROM appointments a JOIN slots s ON s.id = a.slot
             WHERE a.status = 'cancelled' AND s.starts > ?1 AND ?2 = ?2
               AND EXISTS (SELECT 1 FROM events e WHERE e.kind = 'appointment_cancelled' AND e.subject = a.id AND e.cause = 'replan')
               AND EXISTS (SELECT 1 FROM contact_attempts c WHERE c.appointment = a.id AND c.purpose = 'booking')
               AND NOT EXISTS (SELECT 1 FROM contact_attempts c WHERE c.appointment = a.id AND c.purpose = 'cancellation')
             ORDER BY s.starts, a.id",
        ),
        (
            Purpose::Reminder,
            "SELECT a.referral, a.id FROM appointments a JOIN slots s ON s.id = a.slot
             WHERE a.status = 'booked' AND s.starts > ?1 AND s.starts <= ?2
               AND NOT EXISTS (SELECT 1 FROM contact_attempts c WHERE c.appointment = a.id AND c.purpose = 'reminder')
             ORDER BY s.starts, a.id",
        ),
        (
            Purpose::ListCheck,
            "SELECT r.id, NULL FROM referrals r
             WHERE r.status = 'waiting' AND r.referred <= substr(?1, 1, 10) AND NOT EXISTS
               (SELECT 1 FROM contact_attempts c WHERE c.referral = r.id AND c.purpose = 'list_check'
                  AND ((c.outcome = 'answered' AND c.at > ?3) OR (c.outcome = 'sent' AND c.at > ?2)))
             ORDER BY r.priority, r.referred, r.id",
        ),
    ];
    for (purpose, sql) in queries {
        let mut st = tx.prepare(sql)?;
        let second = match purpose {
            Purpose::Reminder => remind_by.as_str(),
            _ => retry.as_str(),
        };
        let mut rows = if purpose == Purpose::ListCheck {
            st.query(params![at, second, checked_since])?
        } else {
            st.query(params![at, second])?
        };
        while let Some(r) = rows.next()? {
            out.push(Due {
                referral: r.get(0)?,
                appointment: r.get(1)?,
                purpose,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(channel: &str, outcome: &str) -> (String, String, String, String) {
        ("C1".into(), channel.into(), outcome.into(), String::new())
    }

    #[test]
    fn channels_fall_back_after_unanswered_attempts_and_wrong_numbers() {
        let all = [Channel::WhatsApp, Channel::Sms, Channel::Email];
        assert_eq!(channel(&all, &[], 2), Some(Channel::WhatsApp));
        let two = [t("whatsapp", "sent"), t("whatsapp", "no_answer")];
        assert_eq!(channel(&all, &two, 2), Some(Channel::Sms));
        // A wrong number ends every channel that uses the phone.
        assert_eq!(
            channel(&all, &[t("whatsapp", "wrong_number")], 2),
            Some(Channel::Email)
        );
        let done = [
            t("whatsapp", "wrong_number"),
            t("email", "sent"),
            t("email", "sent"),
        ];
        assert_eq!(channel(&all, &done, 2), None);
        assert_eq!(channel(&[], &[], 2), None);
    }
}
