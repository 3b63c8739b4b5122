//! Contacting patients and applying their responses: the outbox holds what
//! is due and nothing twice, unanswered checks fall back channel by channel
//! and end with the patient leaving the list, responses are applied once
//! (a repeated file changes nothing), a cancellation gives the slot to the
//! next patient in priority order, late answers change nothing, and the
//! ledger keeps its invariants and verifies through random response streams.

mod common;

use chrono::{Duration, NaiveDateTime};
use itinera::appointments::respond::{self, Kind, Response};
use itinera::appointments::{Ledger, book, contact, verify};
use itinera::model::{Channel, Patient, Priority, Scenario};
use itinera::plan::format::Plan;
use proptest::prelude::*;
use rusqlite::Connection;
use std::path::Path;

fn tiny() -> &'static (Scenario, Plan) {
    common::tiny_solved()
}

fn at(s: &Scenario, days: i64, hour: u32) -> NaiveDateTime {
    (s.horizon.start + Duration::days(days))
        .and_hms_opt(hour, 0, 0)
        .unwrap()
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Patients of the first list (beta cardiology): more than its slots, so
/// some wait; `channels` for all.
fn crowd(s: &Scenario, n: usize, channels: &[Channel]) -> Vec<Patient> {
    let d = &s.demand[0];
    (0..n)
        .map(|k| Patient {
            id: format!("Q-{k:04}"),
            locality: d.locality,
            specialty: d.specialty,
            referred: s.horizon.start - Duration::days(500 - k as i64),
            priority: Priority::ALL[k % 3],
            channels: channels.to_vec(),
            phone: Some(format!("+54 9 000 {k:07}")),
            email: Some(format!("q{k}@example.org")),
            language: itinera::lang::Lang::Es,
        })
        .collect()
}

fn booked(dir: &Path, patients: &[Patient]) -> (Ledger, std::path::PathBuf) {
    let (s, p) = tiny();
    let db = dir.join("t.db");
    let mut l = Ledger::open(&db, true).unwrap();
    book::book(
        &mut l,
        &db,
        s,
        p,
        patients,
        &book::Options {
            at: at(s, -10, 9),
            nearby: None,
        },
    )
    .unwrap();
    (l, db)
}

fn response(
    id: &str,
    patient: &Patient,
    s: &Scenario,
    kind: Kind,
    when: NaiveDateTime,
) -> Response {
    Response {
        id: id.to_string(),
        referral: book::referral_id(&patient.id, &s.specialty(patient.specialty).code),
        kind,
        cause: (kind == Kind::NotNeeded).then_some(itinera::appointments::exits::Cause::Recovered),
        source: "test".into(),
        at: when,
        line: 2,
    }
}

#[test]
fn notices_are_due_once_and_retried_on_the_next_channel() {
    let (s, _) = tiny();
    let dir = tempfile::tempdir().unwrap();
    let patients = crowd(s, 400, &[Channel::WhatsApp, Channel::Sms]);
    let (mut l, db) = booked(dir.path(), &patients);
    let booked = count(
        l.conn(),
        "SELECT COUNT(*) FROM appointments WHERE status = 'booked'",
    );
    let waiting = count(
        l.conn(),
        "SELECT COUNT(*) FROM referrals WHERE status = 'waiting'",
    );
    assert!(
        booked > 0 && waiting > 0,
        "{booked} booked, {waiting} waiting"
    );
    let opts = |t| contact::Options {
        attempts: 1,
        ..contact::Options::at(t)
    };
    let first = contact::contact(&mut l, &db, &opts(at(s, -9, 9))).unwrap();
    let by = |o: &contact::Outcome, p: &str| {
        o.messages.iter().filter(|m| m.purpose.code() == p).count() as i64
    };
    assert_eq!(by(&first, "booking"), booked);
    assert_eq!(by(&first, "list_check"), waiting);
    assert!(
        first
            .messages
            .iter()
            .all(|m| m.channel == Channel::WhatsApp)
    );
    // An hour later nothing is due; a day later the unanswered go by SMS.
    let again = contact::contact(&mut l, &db, &opts(at(s, -9, 10))).unwrap();
    assert!(again.messages.is_empty(), "{:?}", again.messages);
    let later = contact::contact(&mut l, &db, &opts(at(s, -8, 10))).unwrap();
    assert_eq!(by(&later, "booking"), booked);
    assert!(later.messages.iter().all(|m| m.channel == Channel::Sms));
    // A day more: every channel tried once; waiting patients leave the list.
    let last = contact::contact(&mut l, &db, &opts(at(s, -7, 11))).unwrap();
    assert_eq!(last.exits as i64, waiting);
    assert_eq!(
        count(
            l.conn(),
            "SELECT COUNT(*) FROM exits WHERE cause = 'not_contactable'"
        ),
        waiting
    );
    assert!(verify::verify(l.conn()).unwrap().problems.is_empty());
}

#[test]
fn reminders_go_out_the_hours_before() {
    let (s, _) = tiny();
    let dir = tempfile::tempdir().unwrap();
    let patients = crowd(s, 10, &[Channel::Phone]);
    let (mut l, db) = booked(dir.path(), &patients);
    let first: String = l
        .conn()
        .query_row(
            "SELECT MIN(s.starts) FROM appointments a JOIN slots s ON s.id = a.slot WHERE a.status = 'booked'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let first = NaiveDateTime::parse_from_str(&first, "%Y-%m-%dT%H:%M").unwrap();
    let o = contact::contact(
        &mut l,
        &db,
        &contact::Options::at(first - Duration::hours(14)),
    )
    .unwrap();
    assert!(o.messages.iter().any(|m| m.purpose.code() == "reminder"));
    contact::contact(
        &mut l,
        &db,
        &contact::Options::at(first - Duration::hours(13)),
    )
    .unwrap();
    assert_eq!(
        count(
            l.conn(),
            "SELECT COUNT(*) FROM (SELECT appointment FROM contact_attempts WHERE purpose = 'reminder'
             GROUP BY appointment HAVING COUNT(*) > 1)"
        ),
        0,
        "one reminder per appointment"
    );
    // Nothing is reminded more than 15 hours ahead.
    assert_eq!(
        count(
            l.conn(),
            "SELECT COUNT(*) FROM contact_attempts c JOIN appointments a ON a.id = c.appointment
             JOIN slots s ON s.id = a.slot WHERE c.purpose = 'reminder'
               AND s.starts > strftime('%Y-%m-%dT%H:%M', c.at, '+15 hours')"
        ),
        0
    );
}

#[test]
fn a_cancellation_gives_the_slot_to_the_next_patient_and_a_repeated_file_changes_nothing() {
    let (s, _) = tiny();
    let dir = tempfile::tempdir().unwrap();
    let patients = crowd(s, 400, &[Channel::WhatsApp]);
    let (mut l, db) = booked(dir.path(), &patients);
    // The first booked patient cancels.
    let (referral, slot): (String, String) = l
        .conn()
        .query_row(
            "SELECT a.referral, a.slot FROM appointments a JOIN slots s ON s.id = a.slot
             WHERE a.status = 'booked' ORDER BY s.starts LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let who = patients
        .iter()
        .find(|p| referral.starts_with(&p.id))
        .unwrap();
    // The patient the slot should go to: first waiting in priority order.
    let next: String = l
        .conn()
        .query_row(
            "SELECT id FROM referrals WHERE status = 'waiting' ORDER BY priority, referred, id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let rs = vec![
        response("r1", who, s, Kind::Cancel, at(s, -9, 9)),
        response("r1", who, s, Kind::Cancel, at(s, -9, 9)),
    ];
    let done = respond::apply(&mut l, &db, &rs, at(s, -9, 12)).unwrap();
    assert_eq!(
        (done.applied, done.repeated, done.cancelled, done.reassigned),
        (1, 1, 1, 1)
    );
    let holder: String = l
        .conn()
        .query_row(
            "SELECT referral FROM appointments WHERE slot = ?1 AND status = 'booked'",
            [&slot],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(holder, next);
    let again = respond::apply(&mut l, &db, &rs, at(s, -9, 13)).unwrap();
    assert_eq!((again.applied, again.events), (0, 0));
    // A confirmation after the appointment is late and changes nothing.
    let (referral, starts): (String, String) = l
        .conn()
        .query_row(
            "SELECT a.referral, s.starts FROM appointments a JOIN slots s ON s.id = a.slot
             WHERE a.status = 'booked' ORDER BY s.starts LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let who = patients
        .iter()
        .find(|p| referral.starts_with(&format!("{}/", p.id)))
        .unwrap();
    let after =
        NaiveDateTime::parse_from_str(&starts, "%Y-%m-%dT%H:%M").unwrap() + Duration::hours(1);
    let late = respond::apply(
        &mut l,
        &db,
        &[response("r2", who, s, Kind::Confirm, after)],
        after,
    )
    .unwrap();
    assert_eq!((late.late, late.confirmed), (1, 0));
    assert!(verify::verify(l.conn()).unwrap().problems.is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20, ..ProptestConfig::default() })]

    /// Random contact runs and response streams (repeats included, some
    /// after their appointment): no slot is ever booked twice, no patient
    /// twice for one specialty, every exit has its cause, and the record
    /// verifies.
    #[test]
    fn random_responses_keep_the_ledger_sound(
        n in 5usize..70,
        answers in prop::collection::vec((0usize..70, 0usize..6, 0i64..120, any::<bool>()), 0..60),
    ) {
        let (s, _) = tiny();
        let dir = tempfile::tempdir().unwrap();
        let patients = crowd(s, n, &[Channel::WhatsApp, Channel::Phone]);
        let (mut l, db) = booked(dir.path(), &patients);
        contact::contact(&mut l, &db, &contact::Options::at(at(s, -9, 9))).unwrap();
        let kinds = [Kind::Confirm, Kind::Cancel, Kind::Reschedule, Kind::NotNeeded, Kind::WrongNumber, Kind::NoAnswer];
        let rs: Vec<Response> = answers
            .iter()
            .enumerate()
            .map(|(i, &(who, kind, day, repeat))| {
                let id = if repeat && i > 0 { format!("r{}", i - 1) } else { format!("r{i}") };
                response(&id, &patients[who % n], s, kinds[kind], at(s, day - 9, 10))
            })
            .collect();
        respond::apply(&mut l, &db, &rs, at(s, 2, 9)).unwrap();
        contact::contact(&mut l, &db, &contact::Options::at(at(s, 3, 9))).unwrap();
        let c = l.conn();
        prop_assert_eq!(count(c, "SELECT COUNT(*) FROM (SELECT slot FROM appointments WHERE status = 'booked' GROUP BY slot HAVING COUNT(*) > 1)"), 0);
        prop_assert_eq!(count(c, "SELECT COUNT(*) FROM (SELECT referral FROM appointments WHERE status = 'booked' GROUP BY referral HAVING COUNT(*) > 1)"), 0);
        prop_assert_eq!(count(c, "SELECT COUNT(*) FROM referrals r WHERE r.status = 'exited' AND NOT EXISTS (SELECT 1 FROM exits e WHERE e.referral = r.id)"), 0);
        prop_assert_eq!(count(c, "SELECT COUNT(*) FROM appointments a JOIN referrals r ON r.id = a.referral WHERE a.status = 'booked' AND r.status <> 'booked'"), 0);
        let v = verify::verify(c).unwrap();
        prop_assert!(v.problems.is_empty(), "{:?}", v.problems);
    }
}

fn request(
    id: &str,
    patient: &str,
    when: NaiveDateTime,
) -> itinera::appointments::request::Request {
    itinera::appointments::request::Request {
        id: id.into(),
        patient: patient.into(),
        locality: "beta".into(),
        specialty: "cardiology".into(),
        priority: Priority::Routine,
        channels: vec![Channel::WhatsApp],
        phone: Some("+54 9 000 1234567".into()),
        email: None,
        language: "es".into(),
        at: when,
    }
}

#[test]
fn a_request_is_offered_a_free_slot_held_until_confirmed_or_expired() {
    use itinera::appointments::request;
    let (s, _) = tiny();
    let dir = tempfile::tempdir().unwrap();
    let (mut l, db) = booked(dir.path(), &crowd(s, 5, &[Channel::WhatsApp]));
    let t = at(s, -9, 9);
    let rs = vec![
        request("q1", "NEW-1", t),
        request("q2", "NEW-2", t),
        request("q3", "NEW-1", t + Duration::minutes(5)),
        request("q1", "NEW-1", t),
    ];
    let got = request::take(&mut l, &db, &rs, t, 48.0).unwrap();
    assert_eq!(
        (
            got.received,
            got.repeated,
            got.merged,
            got.new_patients,
            got.offered
        ),
        (3, 1, 1, 2, 2)
    );
    // NEW-1 confirms; NEW-2 does not answer.
    let who = |id: &str| Patient {
        id: id.into(),
        ..crowd(s, 1, &[Channel::WhatsApp])[0].clone()
    };
    respond::apply(
        &mut l,
        &db,
        &[response(
            "a1",
            &who("NEW-1"),
            s,
            Kind::Confirm,
            t + Duration::hours(1),
        )],
        t + Duration::hours(1),
    )
    .unwrap();
    let o = contact::contact(&mut l, &db, &contact::Options::at(t + Duration::hours(2))).unwrap();
    assert_eq!(
        o.messages
            .iter()
            .filter(|m| m.purpose.code() == "offer")
            .count(),
        1,
        "NEW-2's offer"
    );
    assert_eq!(o.expired, 0);
    let o = contact::contact(&mut l, &db, &contact::Options::at(t + Duration::hours(49))).unwrap();
    assert_eq!(o.expired, 1);
    let status = |id: &str| -> String {
        l.conn()
            .query_row(
                "SELECT status FROM referrals WHERE id = ?1",
                [format!("{id}/cardiology")],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(status("NEW-1"), "booked");
    assert_eq!(status("NEW-2"), "waiting");
    let v = verify::verify(l.conn()).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
}
