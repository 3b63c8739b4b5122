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

/// The header of the waits-by-priority table.
pub fn priority_header(lang: crate::lang::Lang) -> [&'static str; 5] {
    [
        lang.pick("prioridad", "priority"),
        lang.pick("con turno", "booked"),
        lang.pick("en espera", "waiting"),
        lang.pick("días de espera (media)", "days waited (mean)"),
        lang.pick("máximo", "longest"),
    ]
}

impl Stats {
    /// The waits-by-priority table's rows, as `ledger stats` and the
    /// report show them.
    pub fn priority_rows(&self, lang: crate::lang::Lang) -> Vec<Vec<String>> {
        self.by_priority
            .iter()
            .map(|p| {
                let label = Priority::parse(p.priority).map_or(p.priority, |x| x.label(lang));
                vec![
                    label.to_string(),
                    lang.int(p.booked as f64),
                    lang.int(p.waiting as f64),
                    p.mean_days
                        .map_or_else(|| "-".to_string(), |d| lang.decimal(d, 1)),
                    p.max_days
                        .map_or_else(|| "-".to_string(), |d| lang.int(d as f64)),
                ]
            })
            .collect()
    }

    /// Exits from the lists: (cause in words, patients).
    pub fn exit_rows(&self, lang: crate::lang::Lang) -> Vec<(String, String)> {
        self.exits
            .iter()
            .map(|(cause, n)| {
                let label =
                    super::exits::Cause::parse(cause).map_or(cause.as_str(), |c| c.label(lang));
                (label.to_string(), lang.int(*n as f64))
            })
            .collect()
    }
}

/// The ledger's section of report.html: slots filled, contact, exits by
/// cause and waits by priority (counts only, no patient).
pub fn report_section(st: &Stats, lang: crate::lang::Lang) -> String {
    use crate::export::report::esc;
    let row = |label: &str, value: String| {
        format!(
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>\n",
            esc(label),
            esc(&value)
        )
    };
    let mut h = format!(
        "<section>\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n<table>\n",
        lang.pick("Turnos y listas de espera", "Appointments and waiting lists"),
        esc(&lang.fill(
            "Del registro de turnos (itinera book, contact, respond, request): {} eventos encadenados.",
            "From the appointment ledger (itinera book, contact, respond, request): {} chained events.",
            &[&st.events]
        ))
    );
    h += &row(
        lang.pick("cupos del plan", "slots of the plan"),
        lang.int(st.slots_open as f64),
    );
    h += &row(
        lang.pick("cupos reservados", "slots booked"),
        lang.int(st.slots_booked as f64),
    );
    h += &row(
        lang.pick("ocupación", "fill rate"),
        lang.percent(st.fill_rate),
    );
    h += &row(
        lang.pick("pacientes con turno", "patients booked"),
        lang.int(st.referrals_booked as f64),
    );
    h += &row(
        lang.pick(
            "pacientes en espera sin turno",
            "patients waiting without one",
        ),
        lang.int(st.referrals_waiting as f64),
    );
    h += &row(
        lang.pick("contactabilidad", "contactability"),
        lang.percent(st.contactability),
    );
    h += &row(
        lang.pick("turnos confirmados", "appointments confirmed"),
        lang.int(st.confirmed as f64),
    );
    h += &row(
        lang.pick("cancelados por el paciente", "cancelled by the patient"),
        lang.int(st.cancelled_by_patient as f64),
    );
    h += &row(
        lang.pick("cupos reasignados", "slots reassigned"),
        lang.int(st.reassigned as f64),
    );
    for (label, n) in st.exit_rows(lang) {
        h += &row(&format!("{}: {label}", lang.pick("egreso", "exit")), n);
    }
    h += "</table>\n<table>\n<tr>";
    for head in priority_header(lang) {
        h += &format!("<th>{}</th>", esc(head));
    }
    h += "</tr>\n";
    for r in st.priority_rows(lang) {
        h += "<tr>";
        for (i, cell) in r.iter().enumerate() {
            let class = if i == 0 { "" } else { " class=\"n\"" };
            h += &format!("<td{class}>{}</td>", esc(cell));
        }
        h += "</tr>\n";
    }
    h += "</table>\n</section>\n";
    h
}

/// Patients on each waiting list (locality, specialty) on `date` as the
/// ledger records them: referred by then, not gone from the list, and not
/// yet seen (waiting, or booked for that day or later). What a new
/// `demand.csv` should say, so that the next plan works on the real lists
/// (patients who left them are not counted).
pub fn waiting_on(
    conn: &Connection,
    date: NaiveDate,
) -> rusqlite::Result<std::collections::BTreeMap<(String, String), i64>> {
    let day = date.to_string();
    let mut st = conn.prepare(
        "SELECT r.locality, r.specialty, COUNT(*) FROM referrals r
         WHERE r.referred <= ?1 AND (r.status = 'waiting' OR (r.status = 'booked' AND EXISTS
           (SELECT 1 FROM appointments a JOIN slots s ON s.id = a.slot
            WHERE a.referral = r.id AND a.status = 'booked' AND substr(s.starts, 1, 10) >= ?1)))
         GROUP BY r.locality, r.specialty",
    )?;
    let rows = st.query_map([&day], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
    rows.collect()
}
