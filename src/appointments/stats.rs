//! `itinera ledger stats`: what the ledger says for the planner — slots
//! filled, patients booked and still waiting, and the wait from referral to
//! appointment by priority. Counts only: no patient is named.

use crate::model::Priority;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

/// The ledger in numbers.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stats {
    /// The scenario the ledger belongs to.
    pub scenario: String,
    /// Events in the log.
    pub events: i64,
    /// Slots of the days the current plan makes.
    pub slots_open: i64,
    /// Slots of days a replan dropped.
    pub slots_cancelled: i64,
    /// Open slots with a booked appointment.
    pub slots_booked: i64,
    /// Booked over open slots.
    pub fill_rate: f64,
    /// Appointments cancelled (a dropped day).
    pub appointments_cancelled: i64,
    /// Booked appointments whose day or place changed since booking.
    pub appointments_changed: i64,
    /// Referrals on the lists, by status.
    pub referrals_waiting: i64,
    /// Referrals with a booked appointment.
    pub referrals_booked: i64,
    /// Wait from referral to the appointment, per priority.
    pub by_priority: Vec<PriorityWait>,
    /// Contact attempts written to outboxes.
    pub attempts: i64,
    /// Patients an attempt was made to reach.
    pub attempted: i64,
    /// Of those, patients who answered (anything but silence or a wrong number).
    pub reached: i64,
    /// Reached over attempted.
    pub contactability: f64,
    /// Booked appointments the patient confirmed.
    pub confirmed: i64,
    /// Appointments the patient cancelled or asked to move.
    pub cancelled_by_patient: i64,
    /// Freed slots booked again for the next patient.
    pub reassigned: i64,
    /// Patients who left the list, per cause code.
    pub exits: Vec<(String, i64)>,
}

/// Booked patients of one priority and how long they wait.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PriorityWait {
    /// `urgent`, `preferred` or `routine`.
    pub priority: &'static str,
    /// Booked appointments.
    pub booked: i64,
    /// Still waiting for one.
    pub waiting: i64,
    /// Mean days from referral to appointment.
    pub mean_days: Option<f64>,
    /// Longest.
    pub max_days: Option<i64>,
}

/// The numbers of the ledger on `conn`.
pub fn stats(conn: &Connection) -> rusqlite::Result<Stats> {
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
    let mut st = Stats {
        scenario: super::ledger::scenario_of(conn)?.unwrap_or_default(),
        events: count("SELECT COUNT(*) FROM events")?,
        slots_open: count("SELECT COUNT(*) FROM slots WHERE status = 'open'")?,
        slots_cancelled: count("SELECT COUNT(*) FROM slots WHERE status = 'cancelled'")?,
        slots_booked: count(
            "SELECT COUNT(*) FROM appointments a JOIN slots s ON s.id = a.slot
             WHERE a.status = 'booked' AND s.status = 'open'",
        )?,
        appointments_cancelled: count(
            "SELECT COUNT(*) FROM appointments WHERE status = 'cancelled'",
        )?,
        appointments_changed: count(
            "SELECT COUNT(*) FROM appointments WHERE status = 'booked' AND changed = 1",
        )?,
        referrals_waiting: count("SELECT COUNT(*) FROM referrals WHERE status = 'waiting'")?,
        referrals_booked: count("SELECT COUNT(*) FROM referrals WHERE status = 'booked'")?,
        ..Stats::default()
    };
    st.fill_rate = if st.slots_open > 0 {
        st.slots_booked as f64 / st.slots_open as f64
    } else {
        0.0
    };
    st.attempts = count("SELECT COUNT(*) FROM contact_attempts")?;
    st.attempted = count("SELECT COUNT(DISTINCT referral) FROM contact_attempts")?;
    st.reached = count(
        "SELECT COUNT(DISTINCT referral) FROM responses WHERE kind NOT IN ('no_answer', 'wrong_number')",
    )?;
    st.contactability = if st.attempted > 0 {
        st.reached as f64 / st.attempted as f64
    } else {
        0.0
    };
    st.confirmed =
        count("SELECT COUNT(*) FROM appointments WHERE status = 'booked' AND confirmed = 1")?;
    st.cancelled_by_patient = count(
        "SELECT COUNT(*) FROM events WHERE kind = 'appointment_cancelled' AND cause = 'patient'",
    )?;
    st.reassigned = count(
        "SELECT COUNT(*) FROM events WHERE kind = 'appointment_booked' AND cause = 'reassignment'",
    )?;
    let mut q = conn.prepare("SELECT cause, COUNT(*) FROM exits GROUP BY cause ORDER BY cause")?;
    st.exits = q
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut waits: Vec<Vec<i64>> = vec![Vec::new(); Priority::ALL.len()];
    let mut q = conn.prepare(
        "SELECT r.priority, r.referred, s.starts FROM appointments a
         JOIN referrals r ON r.id = a.referral JOIN slots s ON s.id = a.slot
         WHERE a.status = 'booked'",
    )?;
    let rows = q.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (p, referred, starts) = row?;
        let (Ok(from), Ok(to)) = (
            NaiveDate::parse_from_str(&referred, "%Y-%m-%d"),
            NaiveDate::parse_from_str(starts.get(..10).unwrap_or(""), "%Y-%m-%d"),
        ) else {
            continue;
        };
        if let Some(w) = usize::try_from(p).ok().and_then(|p| waits.get_mut(p)) {
            w.push((to - from).num_days());
        }
    }
    for (p, w) in Priority::ALL.iter().zip(waits) {
        let waiting = conn.query_row(
            "SELECT COUNT(*) FROM referrals WHERE status = 'waiting' AND priority = ?1",
            [p.rank()],
            |r| r.get(0),
        )?;
        st.by_priority.push(PriorityWait {
            priority: p.code(),
            booked: w.len() as i64,
            waiting,
            mean_days: (!w.is_empty()).then(|| w.iter().sum::<i64>() as f64 / w.len() as f64),
            max_days: w.iter().max().copied(),
        });
    }
    Ok(st)
}
