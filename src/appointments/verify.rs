//! `itinera ledger verify`: is the record intact?
//!
//! Two checks. The chain: every event's hash is recomputed from its fields
//! and the previous hash, so an edited, removed or inserted event breaks it
//! at that event. The state: the events are replayed from the first, and
//! the referrals, slots and appointments they give must be the tables' rows,
//! so a row changed by hand without an event is found too. Findings name
//! the event's number or the table, never a patient.

use super::ledger::{self, GENESIS};
use rusqlite::Connection;
use serde_json::Value;
use std::collections::BTreeMap;

/// What verification found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Events read.
    pub events: usize,
    /// The last event's hash: write it down (or publish it) to detect a
    /// ledger rewritten from the start later.
    pub head: String,
    /// Every problem, in order.
    pub problems: Vec<Problem>,
}

/// One problem; `seq` is the event's number in the log.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Problem {
    /// The event does not follow its predecessor (a gap or a reordering).
    Sequence { seq: i64 },
    /// The event's stored previous hash is not its predecessor's hash.
    Link { seq: i64 },
    /// The event's hash does not match its fields.
    Hash { seq: i64 },
    /// The event cannot be replayed (unknown kind, bad data).
    Replay { seq: i64 },
    /// `rows` rows of `table` differ from what the events give.
    State { table: &'static str, rows: usize },
}

/// Rows of the replayed state: id → fields.
type Rows = BTreeMap<String, Vec<String>>;

/// Verify the ledger open on `conn`.
pub fn verify(conn: &Connection) -> rusqlite::Result<Verdict> {
    let mut problems = Vec::new();
    let mut prev = GENESIS.to_string();
    let mut count = 0usize;
    let mut state = State::default();
    ledger::each_event(conn, |e| {
        count += 1;
        if e.seq != count as i64 {
            problems.push(Problem::Sequence { seq: e.seq });
        }
        if e.prev_hash != prev {
            problems.push(Problem::Link { seq: e.seq });
        }
        let h = ledger::hash(
            &e.prev_hash,
            e.seq,
            &e.at,
            &e.kind,
            &e.subject,
            &e.cause,
            &e.data,
        );
        if h != e.hash {
            problems.push(Problem::Hash { seq: e.seq });
        }
        prev = e.hash.clone();
        replay(&e, &mut state, &mut problems);
    })?;
    let State {
        referrals,
        slots,
        appointments,
    } = state;
    compare(
        conn,
        "referrals",
        "SELECT id, patient, specialty, locality, referred, priority, status FROM referrals",
        &referrals,
        &mut problems,
    )?;
    compare(
        conn,
        "slots",
        "SELECT id, event_uid, visit, facility, locality, specialty, professional, starts, ends, status FROM slots",
        &slots,
        &mut problems,
    )?;
    compare(
        conn,
        "appointments",
        "SELECT id, referral, slot, status, changed, booked_at, confirmed, offer_expires FROM appointments",
        &appointments,
        &mut problems,
    )?;
    Ok(Verdict {
        events: count,
        head: prev,
        problems,
    })
}

/// The referrals, slots and appointments the events give.
#[derive(Default)]
struct State {
    referrals: Rows,
    slots: Rows,
    appointments: Rows,
}

/// Apply one event to the replayed state.
fn replay(e: &ledger::Event, state: &mut State, problems: &mut Vec<Problem>) {
    let State {
        referrals,
        slots,
        appointments,
    } = state;
    let data: Value = match serde_json::from_str(&e.data) {
        Ok(v) => v,
        Err(_) => {
            problems.push(Problem::Replay { seq: e.seq });
            return;
        }
    };
    let text = |k: &str| data[k].as_str().map(str::to_string);
    let ok = match e.kind.as_str() {
        "patient_added" | "patient_updated" | "contact_attempted" | "response_recorded"
        | "request_received" => true,
        "appointment_confirmed" => {
            set(appointments, &e.subject, 5, "1") && set(appointments, &e.subject, 6, "")
        }
        "appointment_notified" => set(appointments, &e.subject, 3, "0"),
        "referral_exited" => set(referrals, &e.subject, 5, "exited"),
        "referral_added" => {
            let fields = [
                text("patient"),
                text("specialty"),
                text("locality"),
                text("referred"),
                data["priority"].as_i64().map(|p| p.to_string()),
                Some("waiting".to_string()),
            ];
            insert(referrals, &e.subject, fields)
        }
        "slot_opened" | "slot_moved" => {
            let fields = [
                text("event_uid"),
                text("visit"),
                text("facility"),
                text("locality"),
                text("specialty"),
                text("professional"),
                text("starts"),
                text("ends"),
                Some("open".to_string()),
            ];
            if e.kind == "slot_moved" {
                for a in appointments.values_mut() {
                    if a[1] == e.subject && a[2] == "booked" {
                        a[3] = "1".to_string();
                    }
                }
            }
            insert(slots, &e.subject, fields)
        }
        "slot_cancelled" => set(slots, &e.subject, 8, "cancelled"),
        "appointment_booked" | "appointment_offered" => {
            // An offer is a booking held until `expires`.
            let expires = if e.kind == "appointment_offered" {
                text("expires")
            } else {
                Some(String::new())
            };
            let (Some(referral), Some(slot), Some(expires)) =
                (text("referral"), text("slot"), expires)
            else {
                problems.push(Problem::Replay { seq: e.seq });
                return;
            };
            let fields = [
                Some(referral.clone()),
                Some(slot),
                Some("booked".to_string()),
                Some("0".to_string()),
                Some(e.at.clone()),
                Some("0".to_string()),
                Some(expires),
            ];
            insert(appointments, &e.subject, fields) && set(referrals, &referral, 5, "booked")
        }
        "appointment_cancelled" => match appointments.get(&e.subject).map(|a| a[0].clone()) {
            Some(referral) => {
                set(appointments, &e.subject, 2, "cancelled")
                    && set(referrals, &referral, 5, "waiting")
            }
            None => false,
        },
        _ => false,
    };
    if !ok {
        problems.push(Problem::Replay { seq: e.seq });
    }
}

fn insert<const N: usize>(rows: &mut Rows, id: &str, fields: [Option<String>; N]) -> bool {
    let fields: Option<Vec<String>> = fields.into_iter().collect();
    match fields {
        Some(f) => {
            rows.insert(id.to_string(), f);
            true
        }
        None => false,
    }
}

fn set(rows: &mut Rows, id: &str, field: usize, value: &str) -> bool {
    match rows.get_mut(id) {
        Some(r) => {
            r[field] = value.to_string();
            true
        }
        None => false,
    }
}

/// Count the rows of `table` that differ from the replayed `expected`.
fn compare(
    conn: &Connection,
    table: &'static str,
    sql: &str,
    expected: &Rows,
    problems: &mut Vec<Problem>,
) -> rusqlite::Result<()> {
    let mut st = conn.prepare(sql)?;
    let n = st.column_count();
    let mut actual = Rows::new();
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let mut fields = Vec::with_capacity(n - 1);
        for i in 1..n {
            let v: rusqlite::types::Value = r.get(i)?;
            fields.push(match v {
                rusqlite::types::Value::Text(t) => t,
                rusqlite::types::Value::Integer(x) => x.to_string(),
                rusqlite::types::Value::Real(x) => x.to_string(),
                rusqlite::types::Value::Null => String::new(),
                rusqlite::types::Value::Blob(_) => "<blob>".to_string(),
            });
        }
        actual.insert(r.get(0)?, fields);
    }
    let differ = expected
        .iter()
        .filter(|(id, f)| actual.get(*id) != Some(f))
        .count()
        + actual
            .keys()
            .filter(|id| !expected.contains_key(*id))
            .count();
    if differ > 0 {
        problems.push(Problem::State {
            table,
            rows: differ,
        });
    }
    Ok(())
}
