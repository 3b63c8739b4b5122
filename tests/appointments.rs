//! From plan to patients: booking into the ledger keeps its invariants
//! (one patient a slot, one appointment a referral, priority order, no free
//! slot left to a waiting patient who fits it), re-booking after a replan
//! moves what changed, the record verifies and fails after a hand edit, and
//! `patients.csv` is validated like the scenario's tables without ever
//! repeating a contact value.

mod common;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use itinera::appointments::{Ledger, book, verify};
use itinera::model::{Channel, Patient, Priority, Scenario};
use itinera::network::RoadNetwork;
use itinera::plan::format::Plan;
use itinera::scenario;
use proptest::prelude::*;
use rusqlite::Connection;

fn tiny() -> &'static (Scenario, Plan) {
    common::tiny_solved()
}

fn at(s: &Scenario, days: i64) -> NaiveDateTime {
    (s.horizon.start + Duration::days(days))
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Every invariant of a ledger after a booking run at `at` (no nearby
/// option): fails the test with what broke.
fn assert_invariants(conn: &Connection, at: NaiveDateTime) {
    assert_eq!(
        count(
            conn,
            "SELECT COUNT(*) FROM (SELECT slot FROM appointments WHERE status = 'booked' GROUP BY slot HAVING COUNT(*) > 1)"
        ),
        0,
        "a slot booked twice"
    );
    assert_eq!(
        count(
            conn,
            "SELECT COUNT(*) FROM (SELECT referral FROM appointments WHERE status = 'booked' GROUP BY referral HAVING COUNT(*) > 1)"
        ),
        0,
        "a patient booked twice for one specialty"
    );
    assert_eq!(
        count(
            conn,
            "SELECT COUNT(*) FROM appointments a JOIN slots s ON s.id = a.slot JOIN referrals r ON r.id = a.referral
             WHERE a.status = 'booked' AND (s.status <> 'open' OR s.locality <> r.locality
               OR s.specialty <> r.specialty OR substr(s.starts, 1, 10) < r.referred)"
        ),
        0,
        "an appointment in a cancelled slot, another list's slot, or before its referral"
    );
    assert_eq!(
        count(
            conn,
            "SELECT COUNT(*) FROM referrals r WHERE (r.status = 'booked') <>
               EXISTS (SELECT 1 FROM appointments a WHERE a.referral = r.id AND a.status = 'booked')"
        ),
        0,
        "a referral's status disagrees with its appointments"
    );
    // Priority, then referral date: within one run, a patient booked before
    // another who could have taken the other's slot got one no later.
    assert_eq!(
        count(
            conn,
            "SELECT COUNT(*) FROM appointments a JOIN referrals ra ON ra.id = a.referral JOIN slots sa ON sa.id = a.slot,
                  appointments b JOIN referrals rb ON rb.id = b.referral JOIN slots sb ON sb.id = b.slot
             WHERE a.status = 'booked' AND b.status = 'booked' AND a.booked_at = b.booked_at
               AND a.changed = 0 AND b.changed = 0
               AND ra.locality = rb.locality AND ra.specialty = rb.specialty
               AND (ra.priority < rb.priority OR (ra.priority = rb.priority AND ra.referred < rb.referred))
               AND substr(sb.starts, 1, 10) >= ra.referred AND sa.starts > sb.starts"
        ),
        0,
        "a lower-priority or later referral got an earlier slot the other could take"
    );
    // Nobody waits while a slot they fit is free.
    let at = at.format("%Y-%m-%dT%H:%M").to_string();
    let mut st = conn
        .prepare(
            "SELECT COUNT(*) FROM referrals r JOIN slots s ON s.locality = r.locality AND s.specialty = r.specialty
             WHERE r.status = 'waiting' AND s.status = 'open' AND s.starts > ?1 AND substr(s.starts, 1, 10) >= r.referred
               AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.slot = s.id AND a.status = 'booked')",
        )
        .unwrap();
    let left: i64 = st.query_row([&at], |r| r.get(0)).unwrap();
    assert_eq!(left, 0, "a waiting patient fits a free slot");
}

fn patient(
    s: &Scenario,
    n: usize,
    list: usize,
    referred: NaiveDate,
    priority: Priority,
) -> Patient {
    let d = &s.demand[list % s.demand.len()];
    Patient {
        id: format!("T-{n:05}"),
        locality: d.locality,
        specialty: d.specialty,
        referred,
        priority,
        channels: vec![Channel::Phone],
        phone: Some(format!("+54 9 000 {n:07}")),
        email: None,
        language: itinera::lang::Lang::Es,
    }
}

/// The plan with `drop` visits removed and `shift` visits a week later
/// (as a replan could leave it), by index among the made visits.
fn replanned(p: &Plan, drop: &[usize], shift: &[usize]) -> Plan {
    let mut q = p.clone();
    let made: Vec<usize> = (0..q.visits.len())
        .filter(|i| q.visits[*i].is_made())
        .collect();
    for &k in shift {
        let v = &mut q.visits[made[k % made.len()]];
        v.start += Duration::days(7);
        for d in &mut v.dates {
            *d += Duration::days(7);
        }
    }
    let gone: Vec<usize> = drop.iter().map(|k| made[k % made.len()]).collect();
    let mut i = 0;
    q.visits.retain(|_| {
        i += 1;
        !gone.contains(&(i - 1))
    });
    q
}

#[test]
fn booking_tiny_fills_slots_in_priority_order_and_a_second_run_changes_nothing() {
    let (s, p) = tiny();
    let patients =
        scenario::load_patients(s, &common::repo("scenarios/tiny/patients.csv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("turnos.db");
    let mut l = Ledger::open(&db, true).unwrap();
    let opts = book::Options {
        at: at(s, -10),
        nearby: None,
    };
    let r = book::book(&mut l, &db, s, p, &patients, &opts).unwrap();
    assert_eq!(r.referrals_added, patients.len());
    assert!(r.booked > 100, "{r:?}");
    assert_eq!(r.booked + r.waiting, patients.len());
    assert_invariants(l.conn(), opts.at);
    let v = verify::verify(l.conn()).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    let again = book::book(&mut l, &db, s, p, &patients, &opts).unwrap();
    assert_eq!(again.events, 0, "{again:?}");
    assert_eq!(again.booked, 0);
}

#[test]
fn a_replan_cancels_and_rebooks_and_flags_moved_appointments() {
    let (s, p) = tiny();
    let patients =
        scenario::load_patients(s, &common::repo("scenarios/tiny/patients.csv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("turnos.db");
    let mut l = Ledger::open(&db, true).unwrap();
    let first = book::Options {
        at: at(s, -10),
        nearby: None,
    };
    book::book(&mut l, &db, s, p, &patients, &first).unwrap();
    let q = replanned(p, &[0, 3], &[1]);
    let second = book::Options {
        at: at(s, -5),
        nearby: None,
    };
    let r = book::book(&mut l, &db, s, &q, &patients, &second).unwrap();
    assert!(
        r.slots_cancelled > 0 && r.appointments_cancelled > 0,
        "{r:?}"
    );
    assert!(r.slots_moved > 0 && r.appointments_changed > 0, "{r:?}");
    assert!(r.booked > 0, "cancelled patients are booked again: {r:?}");
    assert_invariants(l.conn(), second.at);
    assert!(verify::verify(l.conn()).unwrap().problems.is_empty());
    // Back to the first plan: the dropped days' slots open again (patients
    // booked before keep their appointments; the order holds within a run).
    let third = book::Options {
        at: at(s, -4),
        nearby: None,
    };
    let r = book::book(&mut l, &db, s, p, &patients, &third).unwrap();
    assert!(r.slots_opened > 0, "{r:?}");
    assert_invariants(l.conn(), third.at);
    assert!(verify::verify(l.conn()).unwrap().problems.is_empty());
}

#[test]
fn verify_finds_an_edited_event_a_removed_event_and_a_row_changed_without_an_event() {
    let (s, p) = tiny();
    let patients =
        scenario::load_patients(s, &common::repo("scenarios/tiny/patients.csv")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("turnos.db");
    {
        let mut l = Ledger::open(&db, true).unwrap();
        book::book(
            &mut l,
            &db,
            s,
            p,
            &patients,
            &book::Options {
                at: at(s, -10),
                nearby: None,
            },
        )
        .unwrap();
    }
    let fresh = || {
        let copy = dir.path().join("copy.db");
        let _ = std::fs::remove_file(&copy);
        let c = Connection::open(&db).unwrap();
        c.execute("VACUUM INTO ?1", [copy.to_str().unwrap()])
            .unwrap();
        Connection::open(copy).unwrap()
    };
    let problems = |c: &Connection| verify::verify(c).unwrap().problems;
    assert!(problems(&fresh()).is_empty());
    // An event's data edited.
    let c = fresh();
    c.execute(
        "UPDATE events SET data = '{\"referral\":\"x\"}' WHERE seq = 7",
        [],
    )
    .unwrap();
    assert!(
        problems(&c)
            .iter()
            .any(|x| matches!(x, verify::Problem::Hash { seq: 7 })),
        "{:?}",
        problems(&c)
    );
    // An event removed.
    let c = fresh();
    c.execute("DELETE FROM events WHERE seq = 3", []).unwrap();
    assert!(problems(&c).iter().any(|x| matches!(
        x,
        verify::Problem::Sequence { .. } | verify::Problem::Link { .. }
    )));
    // An appointment moved to another slot by hand: the chain holds, the
    // state does not.
    let c = fresh();
    c.execute(
        "UPDATE appointments SET slot = (SELECT id FROM slots WHERE id NOT IN
           (SELECT slot FROM appointments) LIMIT 1) WHERE id = 'A0000001'",
        [],
    )
    .unwrap();
    assert_eq!(
        problems(&c),
        vec![verify::Problem::State {
            table: "appointments",
            rows: 1
        }]
    );
    // A referral's priority raised by hand.
    let c = fresh();
    c.execute("UPDATE referrals SET priority = 0 WHERE priority = 2 AND rowid = (SELECT MIN(rowid) FROM referrals WHERE priority = 2)", [])
        .unwrap();
    assert_eq!(
        problems(&c),
        vec![verify::Problem::State {
            table: "referrals",
            rows: 1
        }]
    );
}

#[test]
fn a_ledger_refuses_another_scenarios_plan() {
    let (s, p) = tiny();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("turnos.db");
    let mut l = Ledger::open(&db, true).unwrap();
    let opts = book::Options {
        at: at(s, -10),
        nearby: None,
    };
    book::book(&mut l, &db, s, p, &[], &opts).unwrap();
    let mut other = s.clone();
    other.name = "Otra provincia".into();
    let err = book::book(&mut l, &db, &other, p, &[], &opts).unwrap_err();
    assert!(err.text().es.contains("Otra provincia"), "{}", err.text());
}

#[test]
fn nearby_booking_takes_an_earlier_slot_within_the_drive() {
    let (s, p) = tiny();
    let net = RoadNetwork::new(s);
    // Patients at every list, all urgent and referred long before.
    let patients: Vec<Patient> = (0..400)
        .map(|n| {
            patient(
                s,
                n,
                n,
                s.horizon.start - Duration::days(30),
                Priority::Urgent,
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let (own, near) = (dir.path().join("own.db"), dir.path().join("near.db"));
    let mut a = Ledger::open(&own, true).unwrap();
    let mut b = Ledger::open(&near, true).unwrap();
    let t = at(s, -10);
    let ra = book::book(
        &mut a,
        &own,
        s,
        p,
        &patients,
        &book::Options {
            at: t,
            nearby: None,
        },
    )
    .unwrap();
    let rb = book::book(
        &mut b,
        &near,
        s,
        p,
        &patients,
        &book::Options {
            at: t,
            nearby: Some((1000.0, &net)),
        },
    )
    .unwrap();
    assert_eq!(ra.booked + ra.waiting, 400);
    let elsewhere = count(
        b.conn(),
        "SELECT COUNT(*) FROM appointments a JOIN slots s ON s.id = a.slot JOIN referrals r ON r.id = a.referral WHERE s.locality <> r.locality",
    );
    // Two cardiology lists (beta and gamma) share their slots when the drive allows.
    assert!(elsewhere > 0, "{rb:?}");
    assert!(verify::verify(b.conn()).unwrap().problems.is_empty());
}

#[test]
fn broken_patients_files_report_every_problem_and_never_a_contact_value() {
    let mut paths: Vec<_> = std::fs::read_dir(common::repo("tests/broken/patients"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(paths.len() >= 4);
    let mut named = Vec::new();
    for path in paths {
        let fx = common::fixture(&path);
        let s = scenario::load(fx.dir.path()).expect("the scenario itself is valid");
        let file = fx.dir.path().join("patients.csv");
        let text = std::fs::read_to_string(&file).unwrap();
        let diags = match scenario::load_patients(&s, &file) {
            Ok(_) => panic!("{}: loaded without error", fx.name),
            Err(scenario::ScenarioError::Invalid(d)) => d,
        };
        let mut got: Vec<(String, String, Option<u64>)> = diags
            .iter()
            .map(|d| (d.code.to_string(), "patients.csv".to_string(), d.line))
            .collect();
        got.sort();
        assert_eq!(got, fx.expected, "{}: {diags:#?}", fx.name);
        named.push(fx.name.split('-').next().unwrap().to_string());
        // No phone, e-mail or patient id of the file in any message.
        let mut secrets: Vec<String> = Vec::new();
        for line in text.lines().skip(1) {
            let cells: Vec<&str> = line.split(',').collect();
            secrets.push(cells[0].to_string());
            secrets.extend(
                cells[6..8]
                    .iter()
                    .filter(|c| c.len() > 4)
                    .map(|c| c.to_string()),
            );
        }
        for d in &diags {
            assert!(
                common::spanish(&d.message) && common::spanish(&d.fix),
                "{d}"
            );
            for lang in [itinera::lang::Lang::Es, itinera::lang::Lang::En] {
                let shown = d.render(lang);
                for secret in secrets.iter().filter(|x| !x.is_empty()) {
                    assert!(
                        !shown.contains(secret.as_str()),
                        "{}: personal data in {shown}",
                        fx.name
                    );
                }
            }
        }
    }
    for code in scenario::Code::ALL
        .iter()
        .filter(|c| ("E1800".."E1805").contains(&c.as_str()))
    {
        assert!(named.contains(&code.to_string()), "no fixture for {code}");
    }
}

#[test]
fn synthetic_patients_match_the_waiting_lists_and_load_back() {
    let (s, _) = tiny();
    let list = itinera::generate::patients::synthesize(s, 7);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("patients.csv");
    std::fs::write(&file, scenario::patients_csv(s, &list)).unwrap();
    let back = scenario::load_patients(s, &file).unwrap();
    assert_eq!(back, list);
    for d in &s.demand {
        let before = list
            .iter()
            .filter(|p| {
                p.locality == d.locality
                    && p.specialty == d.specialty
                    && p.referred < s.horizon.start
            })
            .count();
        assert_eq!(before as f64, d.waiting.round());
        let during = list
            .iter()
            .filter(|p| {
                p.locality == d.locality
                    && p.specialty == d.specialty
                    && p.referred >= s.horizon.start
            })
            .count() as f64;
        let expected = d.weekly_referrals * f64::from(s.horizon.weeks);
        assert!(
            (during - expected).abs() <= 1.0,
            "{during} against {expected}"
        );
    }
    assert_eq!(
        list,
        itinera::generate::patients::synthesize(s, 7),
        "same seed, same patients"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Random patients, booking times and replans (days dropped and moved,
    /// duplicates in the patients file across runs): the invariants hold
    /// after every run and the record verifies.
    #[test]
    fn random_bookings_and_replans_keep_every_invariant(
        people in prop::collection::vec((0usize..8, -200i64..300, 0usize..3), 1..80),
        t1 in -30i64..120,
        dt in 1i64..100,
        drop in prop::collection::vec(0usize..100, 0..4),
        shift in prop::collection::vec(0usize..100, 0..4),
    ) {
        let (s, p) = tiny();
        let patients: Vec<Patient> = people
            .iter()
            .enumerate()
            .map(|(n, &(list, day, pr))| patient(s, n, list, s.horizon.start + Duration::days(day), Priority::ALL[pr]))
            .filter(|x| x.referred <= s.horizon.end())
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        let mut l = Ledger::open(&db, true).unwrap();
        let first = book::Options { at: at(s, t1), nearby: None };
        book::book(&mut l, &db, s, p, &patients[..patients.len() / 2], &first).unwrap();
        assert_invariants(l.conn(), first.at);
        let q = replanned(p, &drop, &shift);
        let second = book::Options { at: at(s, t1 + dt), nearby: None };
        book::book(&mut l, &db, s, &q, &patients, &second).unwrap();
        assert_invariants(l.conn(), second.at);
        let v = verify::verify(l.conn()).unwrap();
        prop_assert!(v.problems.is_empty(), "{:?}", v.problems);
    }
}
