//! `itinera book`: bring the ledger in line with a plan and book the
//! waiting patients into its free slots, in one transaction.
//!
//! Order of booking: priority first (urgent, preferred, routine), then the
//! longest waiting (earliest referral), each patient given the earliest free
//! slot of their specialty at their own locality (or, when asked, at a
//! locality within a driving time) on or after the referral date and after
//! the booking time. Run again with a replanned plan, it cancels the
//! appointments of days the plan dropped (the patients go back to the list
//! and are booked again at once), marks the appointments of moved days as
//! changed (their patients must be told), and books the slots it adds.
//! Run again with the same plan and patients, it changes nothing.

use super::AppointmentError;
use super::ledger::{self, Ledger, Log};
use super::slots::{self, Slot, TIME_FORMAT};
use crate::model::{Patient, Scenario};
use crate::network::RoadNetwork;
use crate::plan::format::Plan;
use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// How to book.
pub struct Options<'a> {
    /// The local time of booking: only later slots are booked, and every
    /// event is stamped with it.
    pub at: NaiveDateTime,
    /// Also book at another locality within this many hours' drive (with
    /// the road network), when its slot is earlier.
    pub nearby: Option<(f64, &'a RoadNetwork)>,
}

/// What a run changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Patients new to the ledger.
    pub patients_added: usize,
    /// Patients whose contact data changed.
    pub patients_updated: usize,
    /// Referrals new to the ledger (places on a waiting list).
    pub referrals_added: usize,
    /// Slots new to the ledger (or back after a replan).
    pub slots_opened: usize,
    /// Slots whose day or place changed.
    pub slots_moved: usize,
    /// Slots of days the plan no longer makes.
    pub slots_cancelled: usize,
    /// Appointments cancelled because their day was dropped.
    pub appointments_cancelled: usize,
    /// Appointments whose day or place changed.
    pub appointments_changed: usize,
    /// Appointments booked.
    pub booked: usize,
    /// Referrals still waiting after the run (no free slot fits them).
    pub waiting: usize,
    /// Events recorded.
    pub events: i64,
}

/// Book `patients` into the slots of `plan` in the ledger at `path`.
pub fn book(
    ledger: &mut Ledger,
    path: &Path,
    s: &Scenario,
    plan: &Plan,
    patients: &[Patient],
    opts: &Options<'_>,
) -> Result<Report, AppointmentError> {
    let sql = |e: rusqlite::Error| AppointmentError::sql(path, &e);
    let tx = ledger.write().map_err(sql)?;
    match ledger::scenario_of(&tx).map_err(sql)? {
        Some(name) if name != s.name => {
            return Err(AppointmentError::OtherScenario {
                ledger: name,
                given: s.name.clone(),
            });
        }
        Some(_) => {}
        None => ledger::set_scenario(&tx, &s.name).map_err(sql)?,
    }
    super::templates::Names::of(s).store(&tx).map_err(sql)?;
    tx.execute(
        "INSERT INTO ledger_meta (key, value) VALUES ('time_zone', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![s.horizon.time_zone.name()],
    )
    .map_err(sql)?;
    let at = opts.at.format(TIME_FORMAT).to_string();
    let mut log = Log::continue_in(&tx, &at).map_err(sql)?;
    let before = log.len();
    let mut report = Report::default();
    import(&tx, s, patients, &mut log, &mut report).map_err(sql)?;
    align_slots(&tx, &slots::of_plan(s, plan), &mut log, &mut report).map_err(sql)?;
    assign(&tx, s, &at, opts, &mut log, &mut report).map_err(sql)?;
    report.events = log.len() - before;
    tx.commit().map_err(sql)?;
    Ok(report)
}

/// The ledger's key of a referral: the patient and the specialty.
pub fn referral_id(patient: &str, specialty: &str) -> String {
    format!("{patient}/{specialty}")
}

fn import(
    tx: &Connection,
    s: &Scenario,
    patients: &[Patient],
    log: &mut Log,
    report: &mut Report,
) -> rusqlite::Result<()> {
    type Contact = (String, String, Option<String>, Option<String>, String);
    let mut known: HashMap<String, Contact> = HashMap::new();
    {
        let mut st =
            tx.prepare("SELECT id, locality, language, phone, email, channels FROM patients")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?),
            ))
        })?;
        for row in rows {
            let (id, c) = row?;
            known.insert(id, c);
        }
    }
    let referrals: BTreeSet<String> = {
        let mut st = tx.prepare("SELECT id FROM referrals")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for p in patients {
        let channels: Vec<&str> = p.channels.iter().map(|c| c.code()).collect();
        let contact: Contact = (
            s.locality(p.locality).code.clone(),
            p.language.tag().to_string(),
            p.phone.clone(),
            p.email.clone(),
            channels.join(";"),
        );
        match known.get(&p.id) {
            None => {
                tx.prepare_cached(
                    "INSERT INTO patients (id, locality, language, phone, email, channels)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![
                    p.id, contact.0, contact.1, contact.2, contact.3, contact.4
                ])?;
                // The event names the patient only: contact values stay in
                // the patients table.
                log.append(tx, "patient_added", &p.id, "patients", &json!({}))?;
                known.insert(p.id.clone(), contact);
                report.patients_added += 1;
            }
            Some(old) if *old != contact => {
                tx.prepare_cached(
                    "UPDATE patients SET locality = ?2, language = ?3, phone = ?4, email = ?5,
                     channels = ?6 WHERE id = ?1",
                )?
                .execute(params![
                    p.id, contact.0, contact.1, contact.2, contact.3, contact.4
                ])?;
                log.append(tx, "patient_updated", &p.id, "patients", &json!({}))?;
                known.insert(p.id.clone(), contact);
                report.patients_updated += 1;
            }
            Some(_) => {}
        }
        let specialty = &s.specialty(p.specialty).code;
        let id = referral_id(&p.id, specialty);
        if referrals.contains(&id) {
            continue;
        }
        let locality = &s.locality(p.locality).code;
        let referred = p.referred.to_string();
        tx.prepare_cached(
            "INSERT INTO referrals (id, patient, specialty, locality, referred, priority, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'waiting')",
        )?
        .execute(params![
            id,
            p.id,
            specialty,
            locality,
            referred,
            p.priority.rank()
        ])?;
        log.append(
            tx,
            "referral_added",
            &id,
            "patients",
            &json!({
                "patient": p.id, "specialty": specialty, "locality": locality,
                "referred": referred, "priority": p.priority.rank(),
            }),
        )?;
        report.referrals_added += 1;
    }
    Ok(())
}

/// A slot's stored fields, as the events carry them.
pub fn slot_data(x: &Slot) -> serde_json::Value {
    json!({
        "event_uid": x.event_uid, "visit": x.visit, "facility": x.facility,
        "locality": x.locality, "specialty": x.specialty, "professional": x.professional,
        "starts": x.starts.format(TIME_FORMAT).to_string(),
        "ends": x.ends.format(TIME_FORMAT).to_string(),
    })
}

fn align_slots(
    tx: &Connection,
    planned: &[Slot],
    log: &mut Log,
    report: &mut Report,
) -> rusqlite::Result<()> {
    // id → (data as stored, status).
    let mut stored: HashMap<String, (serde_json::Value, String)> = HashMap::new();
    {
        let mut st = tx.prepare(
            "SELECT id, event_uid, visit, facility, locality, specialty, professional, starts, ends, status FROM slots",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                json!({
                    "event_uid": r.get::<_, String>(1)?, "visit": r.get::<_, String>(2)?,
                    "facility": r.get::<_, String>(3)?, "locality": r.get::<_, String>(4)?,
                    "specialty": r.get::<_, String>(5)?, "professional": r.get::<_, String>(6)?,
                    "starts": r.get::<_, String>(7)?, "ends": r.get::<_, String>(8)?,
                }),
                r.get::<_, String>(9)?,
            ))
        })?;
        for row in rows {
            let (id, data, status) = row?;
            stored.insert(id, (data, status));
        }
    }
    let mut planned_ids = BTreeSet::new();
    for x in planned {
        planned_ids.insert(x.id.clone());
        let data = slot_data(x);
        let write = |tx: &Connection, sql: &str| -> rusqlite::Result<()> {
            tx.prepare_cached(sql)?.execute(params![
                x.id,
                x.event_uid,
                x.visit,
                x.facility,
                x.locality,
                x.specialty,
                x.professional,
                data["starts"].as_str(),
                data["ends"].as_str(),
            ])?;
            Ok(())
        };
        match stored.get(&x.id) {
            None => {
                write(
                    tx,
                    "INSERT INTO slots (id, event_uid, visit, facility, locality, specialty,
                     professional, starts, ends, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'open')",
                )?;
                log.append(tx, "slot_opened", &x.id, "plan", &data)?;
                report.slots_opened += 1;
            }
            Some((old, status)) if *old != data || status != "open" => {
                write(
                    tx,
                    "UPDATE slots SET event_uid = ?2, visit = ?3, facility = ?4, locality = ?5,
                     specialty = ?6, professional = ?7, starts = ?8, ends = ?9, status = 'open'
                     WHERE id = ?1",
                )?;
                if status == "open" {
                    log.append(tx, "slot_moved", &x.id, "replan", &data)?;
                    report.slots_moved += 1;
                    report.appointments_changed += tx
                        .prepare_cached(
                            "UPDATE appointments SET changed = 1 WHERE slot = ?1 AND status = 'booked'",
                        )?
                        .execute(params![x.id])?;
                } else {
                    log.append(tx, "slot_opened", &x.id, "replan", &data)?;
                    report.slots_opened += 1;
                }
            }
            Some(_) => {}
        }
    }
    let mut dropped: Vec<&String> = stored
        .iter()
        .filter(|(id, (_, status))| status == "open" && !planned_ids.contains(*id))
        .map(|(id, _)| id)
        .collect();
    dropped.sort();
    for id in dropped {
        let booked: Option<(String, String)> = tx
            .prepare_cached(
                "SELECT id, referral FROM appointments WHERE slot = ?1 AND status = 'booked'",
            )?
            .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))
            .ok();
        if let Some((appointment, referral)) = booked {
            tx.prepare_cached("UPDATE appointments SET status = 'cancelled' WHERE id = ?1")?
                .execute(params![appointment])?;
            tx.prepare_cached("UPDATE referrals SET status = 'waiting' WHERE id = ?1")?
                .execute(params![referral])?;
            log.append(
                tx,
                "appointment_cancelled",
                &appointment,
                "replan",
                &json!({}),
            )?;
            report.appointments_cancelled += 1;
        }
        tx.prepare_cached("UPDATE slots SET status = 'cancelled' WHERE id = ?1")?
            .execute(params![id])?;
        log.append(tx, "slot_cancelled", id, "replan", &json!({}))?;
        report.slots_cancelled += 1;
    }
    Ok(())
}

/// A waiting referral: (priority, referred, id, locality, specialty).
type Waiting = (i64, String, String, String, String);

fn assign(
    tx: &Connection,
    s: &Scenario,
    at: &str,
    opts: &Options<'_>,
    log: &mut Log,
    report: &mut Report,
) -> rusqlite::Result<()> {
    // Free future slots per (locality, specialty), earliest first.
    let mut free: HashMap<(String, String), BTreeSet<(String, String)>> = HashMap::new();
    {
        let mut st = tx.prepare(
            "SELECT s.id, s.locality, s.specialty, s.starts FROM slots s
             WHERE s.status = 'open' AND s.starts > ?1 AND NOT EXISTS
               (SELECT 1 FROM appointments a WHERE a.slot = s.id AND a.status = 'booked')",
        )?;
        let rows = st.query_map(params![at], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (id, locality, specialty, starts) = row?;
            free.entry((locality, specialty))
                .or_default()
                .insert((starts, id));
        }
    }
    let mut waiting: Vec<Waiting> = {
        let mut st = tx.prepare(
            "SELECT priority, referred, id, locality, specialty FROM referrals WHERE status = 'waiting'",
        )?;
        let rows = st.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    waiting.sort();
    let near = nearby(s, opts);
    let mut next: i64 = tx.query_row("SELECT COUNT(*) FROM appointments", [], |r| r.get(0))?;
    for (_, referred, referral, locality, specialty) in &waiting {
        let from = format!("{referred}T00:00");
        let mut places: Vec<&str> = vec![locality.as_str()];
        if let Some(others) = near.get(locality.as_str()) {
            places.extend(others.iter().map(String::as_str));
        }
        let mut best: Option<(String, String, String)> = None;
        for place in places {
            let key = (place.to_string(), specialty.clone());
            let Some(slots) = free.get(&key) else {
                continue;
            };
            let Some((starts, id)) = slots.range((from.clone(), String::new())..).next() else {
                continue;
            };
            if best.as_ref().is_none_or(|b| *starts < b.0) {
                best = Some((starts.clone(), id.clone(), place.to_string()));
            }
        }
        let Some((starts, slot, place)) = best else {
            report.waiting += 1;
            continue;
        };
        if let Some(set) = free.get_mut(&(place, specialty.clone())) {
            set.remove(&(starts, slot.clone()));
        }
        next += 1;
        insert_appointment(tx, log, next, referral, &slot, "booking")?;
        report.booked += 1;
    }
    Ok(())
}

/// Book `referral` into `slot` as appointment number `n`, with its event.
pub fn insert_appointment(
    tx: &Connection,
    log: &mut Log,
    n: i64,
    referral: &str,
    slot: &str,
    cause: &str,
) -> rusqlite::Result<String> {
    hold(tx, log, n, referral, slot, None, cause)
}

/// Offer `slot` to `referral` until `expires`: held like a booking, released
/// if the patient has not confirmed by then ([`expire_offers`]).
pub fn insert_offer(
    tx: &Connection,
    log: &mut Log,
    n: i64,
    referral: &str,
    slot: &str,
    expires: &str,
) -> rusqlite::Result<String> {
    hold(tx, log, n, referral, slot, Some(expires), "request")
}

/// Give `slot` to `referral` as appointment number `n`, booked or offered
/// until `expires`, with its event.
fn hold(
    tx: &Connection,
    log: &mut Log,
    n: i64,
    referral: &str,
    slot: &str,
    expires: Option<&str>,
    cause: &str,
) -> rusqlite::Result<String> {
    let appointment = format!("A{n:07}");
    tx.prepare_cached(
        "INSERT INTO appointments (id, referral, slot, status, booked_at, changed, offer_expires)
         VALUES (?1, ?2, ?3, 'booked', ?4, 0, ?5)",
    )?
    .execute(params![appointment, referral, slot, log.at(), expires])?;
    tx.prepare_cached("UPDATE referrals SET status = 'booked' WHERE id = ?1")?
        .execute(params![referral])?;
    let (kind, data) = match expires {
        None => (
            "appointment_booked",
            json!({ "referral": referral, "slot": slot }),
        ),
        Some(e) => (
            "appointment_offered",
            json!({ "referral": referral, "slot": slot, "expires": e }),
        ),
    };
    log.append(tx, kind, &appointment, cause, &data)?;
    Ok(appointment)
}

/// Cancel appointment `a` (for `cause`), put its patient back on the list,
/// and book the freed slot for the next waiting patient of that list
/// (priority, then referral date) other than that patient. Whether the slot
/// was booked again.
pub fn release(
    tx: &Connection,
    log: &mut Log,
    a: &str,
    slot: &str,
    referral: &str,
    cause: &str,
) -> rusqlite::Result<bool> {
    tx.execute(
        "UPDATE appointments SET status = 'cancelled' WHERE id = ?1",
        params![a],
    )?;
    tx.execute(
        "UPDATE referrals SET status = 'waiting' WHERE id = ?1",
        params![referral],
    )?;
    log.append(tx, "appointment_cancelled", a, cause, &json!({}))?;
    let next: Option<String> = tx
        .query_row(
            "SELECT r.id FROM referrals r JOIN slots s ON s.id = ?1
             WHERE r.status = 'waiting' AND r.locality = s.locality AND r.specialty = s.specialty
               AND r.referred <= substr(s.starts, 1, 10) AND r.id <> ?2 AND s.starts > ?3
             ORDER BY r.priority, r.referred, r.id LIMIT 1",
            params![slot, referral, log.at()],
            |r| r.get(0),
        )
        .optional()?;
    match next {
        Some(next) => {
            let n = appointment_count(tx)? + 1;
            insert_appointment(tx, log, n, &next, slot, "reassignment")?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Appointments ever made (their numbers are 1 to this).
pub fn appointment_count(tx: &Connection) -> rusqlite::Result<i64> {
    tx.query_row("SELECT COUNT(*) FROM appointments", [], |r| r.get(0))
}

/// Release every offer not confirmed by the run's time; how many.
pub fn expire_offers(tx: &Connection, log: &mut Log) -> rusqlite::Result<usize> {
    let at = log.at().to_string();
    let expired: Vec<(String, String, String)> = {
        let mut st = tx.prepare(
            "SELECT id, slot, referral FROM appointments
             WHERE status = 'booked' AND confirmed = 0 AND offer_expires IS NOT NULL AND offer_expires <= ?1
             ORDER BY id",
        )?;
        let rows = st.query_map(params![at], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (a, slot, referral) in &expired {
        release(tx, log, a, slot, referral, "offer_expired")?;
    }
    Ok(expired.len())
}

/// For each locality, the others within the drive asked for.
fn nearby(s: &Scenario, opts: &Options<'_>) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    let Some((hours, net)) = opts.nearby else {
        return out;
    };
    let m = net.open();
    let ids: Vec<crate::model::LocalityId> = (0..s.localities.len())
        .map(crate::model::LocalityId::from_index)
        .collect();
    for &a in &ids {
        for &b in &ids {
            if a != b && m.hours(a, b).is_some_and(|h| h <= hours) {
                out.entry(s.locality(a).code.clone())
                    .or_default()
                    .push(s.locality(b).code.clone());
            }
        }
    }
    out
}
