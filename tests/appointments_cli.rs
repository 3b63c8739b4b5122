//! `itinera book`, `itinera ledger` and `itinera patients` as a clerk runs
//! them: Spanish by default, private files, bad input refused before the
//! ledger is touched, a hand edit found by `verify` (exit 6), and a booking
//! killed at any moment leaving a ledger that verifies with the old or the
//! new state.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

fn itinera() -> Command {
    Command::cargo_bin("itinera").unwrap()
}

/// A plan of tiny, made once by the binary.
fn tiny_plan() -> &'static Path {
    static PLAN: OnceLock<tempfile::TempDir> = OnceLock::new();
    PLAN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        itinera()
            .args([
                "plan",
                "scenarios/tiny",
                "--no-export",
                "--threads",
                "1",
                "--time-limit",
                "20",
                "-o",
            ])
            .arg(dir.path())
            .current_dir(common::repo(""))
            .assert()
            .success();
        dir
    })
    .path()
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn book_then_stats_and_verify_in_spanish_with_private_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("turnos.db");
    itinera()
        .args(["book", "scenarios/tiny"])
        .arg(tiny_plan())
        .arg("--db")
        .arg(&db)
        .args(["--at", "2027-02-20T09:00"])
        .current_dir(common::repo(""))
        .assert()
        .success()
        .stdout(predicate::str::contains("reservados"))
        .stdout(predicate::str::contains("+54").not());
    let turnos = dir.path().join("turnos");
    let list = std::fs::read_dir(&turnos)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "csv"))
        .expect("a front-desk list");
    let text = std::fs::read_to_string(&list).unwrap();
    assert!(
        text.starts_with("fecha,hora,fin,especialidad,profesional,paciente,prioridad"),
        "{text}"
    );
    assert!(
        !text.contains("+54"),
        "no phone numbers in the front-desk list"
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&db), 0o600);
        assert_eq!(mode(&list), 0o600);
        for f in std::fs::read_dir(turnos.join("fhir")).unwrap() {
            assert_eq!(mode(&f.unwrap().path()), 0o600);
        }
    }
    itinera()
        .args(["ledger", "stats", "--db"])
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains("ocupación"))
        .stdout(predicate::str::contains("urgente"));
    itinera()
        .args(["ledger", "verify", "--db"])
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains("registro íntegro"));
    // A hand edit of an appointment: exit 6, the table named, no patient.
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute(
        "UPDATE appointments SET status = 'cancelled' WHERE id = 'A0000002'",
        [],
    )
    .unwrap();
    drop(c);
    itinera()
        .args(["ledger", "verify", "--db"])
        .arg(&db)
        .args(["--lang", "en"])
        .assert()
        .code(6)
        .stdout(predicate::str::contains(
            "table appointments: 1 row(s) differ",
        ))
        .stdout(predicate::str::contains("HC-").not());
}

#[test]
fn bad_patients_are_refused_before_the_ledger_is_touched() {
    let fx = common::fixture(&common::repo(
        "tests/broken/patients/E1004-phone-not-a-number.txt",
    ));
    let db = fx.dir.path().join("turnos.db");
    itinera()
        .arg("book")
        .arg(fx.dir.path())
        .arg(tiny_plan())
        .arg("--db")
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("patients.csv:2:7: E1004 phone"))
        .stderr(predicate::str::contains("5550199").not());
    assert!(!db.exists(), "nothing created");
    itinera()
        .args(["ledger", "stats", "--db"])
        .arg(&db)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no existe el registro de turnos"));
}

#[test]
fn a_plan_of_another_scenario_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    itinera()
        .args(["book", "scenarios/golden-one-town"])
        .arg(tiny_plan())
        .arg("--db")
        .arg(dir.path().join("t.db"))
        .current_dir(common::repo(""))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("E1602"));
}

/// Kill `book`, then `respond`, at moments spread over their runs: the
/// ledger always verifies and holds the state before or after the run.
#[cfg(unix)]
#[test]
fn a_booking_killed_at_any_moment_leaves_a_ledger_that_verifies() {
    use itinera::appointments::{Ledger, verify};
    let dir = tempfile::tempdir().unwrap();
    let scenario = common::tiny_copy();
    // Enough patients for the run to take a while: tiny's, many times over.
    let text = std::fs::read_to_string(scenario.path().join("patients.csv")).unwrap();
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    let rows: Vec<&str> = lines.collect();
    for k in 0..150 {
        for r in &rows {
            let (id, rest) = r.split_once(',').unwrap();
            out += &format!("{id}-{k},{rest}\n");
        }
    }
    std::fs::write(scenario.path().join("patients.csv"), out).unwrap();
    let run = |db: &Path| {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("itinera"))
            .arg("book")
            .arg(scenario.path())
            .arg(tiny_plan())
            .arg("--db")
            .arg(db)
            .args(["--at", "2027-02-20T09:00", "-o"])
            .arg(dir.path().join("out"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // The whole run, timed, and its events.
    let full_db = dir.path().join("full.db");
    let started = std::time::Instant::now();
    assert!(run(&full_db).wait().unwrap().success());
    let took = started.elapsed();
    let full = verify::verify(Ledger::open(&full_db, false).unwrap().conn()).unwrap();
    assert!(full.problems.is_empty());
    // Responses for every booked patient, applied to copies of the full
    // ledger and killed likewise.
    let responses = dir.path().join("responses.csv");
    {
        let c = rusqlite::Connection::open(&full_db).unwrap();
        let mut st = c
            .prepare("SELECT r.patient, r.specialty FROM appointments a JOIN referrals r ON r.id = a.referral WHERE a.status = 'booked'")
            .unwrap();
        let rows: Vec<(String, String)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut text = String::from("response,patient,specialty,kind,cause,source,at\n");
        let kinds = ["confirm", "cancel", "reschedule", "no_answer"];
        for (i, (p, sp)) in rows.iter().enumerate() {
            text += &format!(
                "r{i},{p},{sp},{},,whatsapp,2027-02-21T10:00\n",
                kinds[i % 4]
            );
        }
        std::fs::write(&responses, text).unwrap();
    }
    let respond = |db: &Path| {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("itinera"))
            .args(["respond", "--at", "2027-02-21T12:00", "--db"])
            .arg(db)
            .arg(&responses)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let copy = |to: &Path| {
        let c = rusqlite::Connection::open(&full_db).unwrap();
        c.execute("VACUUM INTO ?1", [to.to_str().unwrap()]).unwrap();
    };
    let whole = dir.path().join("responded.db");
    copy(&whole);
    let started = std::time::Instant::now();
    assert!(respond(&whole).wait().unwrap().success());
    let took_respond = started.elapsed();
    let after = verify::verify(Ledger::open(&whole, false).unwrap().conn()).unwrap();
    assert!(after.problems.is_empty() && after.events > full.events);
    for k in 1..=4u32 {
        let db = dir.path().join(format!("r{k}.db"));
        copy(&db);
        let mut child = respond(&db);
        std::thread::sleep(took_respond * k / 5);
        let _ = child.kill();
        let _ = child.wait();
        let v = verify::verify(Ledger::open(&db, false).unwrap().conn()).unwrap();
        assert!(
            v.problems.is_empty(),
            "respond killed at {k}/5: {:?}",
            v.problems
        );
        assert!(
            v.events == full.events || v.events == after.events,
            "respond killed at {k}/5: {} events, before {} after {}",
            v.events,
            full.events,
            after.events
        );
    }
    for k in 1..=6u32 {
        let db = dir.path().join(format!("k{k}.db"));
        let mut child = run(&db);
        std::thread::sleep(took * k / 7);
        let _ = child.kill();
        let _ = child.wait();
        if !db.exists() {
            continue;
        }
        let l = Ledger::open(&db, false).unwrap();
        let v = verify::verify(l.conn()).unwrap();
        assert!(v.problems.is_empty(), "killed at {k}/7: {:?}", v.problems);
        assert!(
            v.events == 0 || v.events == full.events,
            "killed at {k}/7: {} events of {}",
            v.events,
            full.events
        );
    }
}

#[test]
fn contact_writes_a_private_outbox_and_respond_applies_answers_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("turnos.db");
    itinera()
        .args(["book", "scenarios/tiny"])
        .arg(tiny_plan())
        .arg("--db")
        .arg(&db)
        .args(["--at", "2027-02-20T09:00"])
        .current_dir(common::repo(""))
        .assert()
        .success();
    let out = dir.path().join("mensajes");
    itinera()
        .args(["contact", "--at", "2027-02-20T10:00", "--db"])
        .arg(&db)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("mensajes:"))
        .stdout(predicate::str::contains("+54").not());
    let outbox = std::fs::read_to_string(out.join("outbox.jsonl")).unwrap();
    let mut whatsapp = 0;
    for line in outbox.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("one JSON object a line");
        assert!(v["attempt"].as_str().unwrap().starts_with('C'));
        match v["channel"].as_str().unwrap() {
            "whatsapp" => {
                whatsapp += 1;
                assert_eq!(v["body"]["messaging_product"], "whatsapp");
                assert_eq!(v["body"]["type"], "template");
                assert!(
                    v["body"]["to"]
                        .as_str()
                        .unwrap()
                        .chars()
                        .all(|c| c.is_ascii_digit())
                );
            }
            "email" => assert!(
                v["message"]
                    .as_str()
                    .unwrap()
                    .contains("\r\nSubject: =?UTF-8?B?")
            ),
            "sms" => assert!(v["text"].as_str().unwrap().contains("turno")),
            other => panic!("unexpected channel {other}"),
        }
    }
    assert!(whatsapp > 0);
    let calls = std::fs::read_to_string(out.join("llamadas.csv")).unwrap();
    assert!(calls.starts_with("intento,paciente,teléfono,motivo,texto"));
    #[cfg(unix)]
    {
        assert_eq!(mode(&out.join("outbox.jsonl")), 0o600);
        assert_eq!(mode(&out.join("llamadas.csv")), 0o600);
    }
    let responses = dir.path().join("responses.csv");
    std::fs::write(
        &responses,
        "response,patient,specialty,kind,cause,source,at\n\
         r1,HC-000001,cardiology,confirm,,whatsapp,2027-02-20T10:30\n\
         r2,HC-000002,cardiology,not_needed,recovered,call,2027-02-20T11:00\n",
    )
    .unwrap();
    let apply = || {
        itinera()
            .args(["respond", "--at", "2027-02-20T12:00", "--db"])
            .arg(&db)
            .arg(&responses)
            .assert()
            .success()
    };
    apply().stdout(predicate::str::contains(
        "2 aplicadas, 0 ya aplicadas antes",
    ));
    apply().stdout(predicate::str::contains(
        "0 aplicadas, 2 ya aplicadas antes",
    ));
    // A bad file: every problem, exit 2, nothing applied.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "response,patient,specialty,kind,cause,source,at\n\
         r3,HC-000003,cardiology,confirm,,whatsapp,2027-02-20T10:30\n\
         r4,HC-999999,cardiology,confirm,,whatsapp,2027-02-20T10:30\n\
         r5,HC-000004,cardiology,not_needed,,whatsapp,2027-02-20T10:30\n",
    )
    .unwrap();
    let events = || {
        rusqlite::Connection::open(&db)
            .unwrap()
            .query_row("SELECT COUNT(*) FROM events", [], |r| r.get::<_, i64>(0))
            .unwrap()
    };
    let before = events();
    itinera()
        .args(["respond", "--db"])
        .arg(&db)
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.csv:3:2: E1805"))
        .stderr(predicate::str::contains("bad.csv:4:5: E1004 cause"))
        .stderr(predicate::str::contains("HC-999999").not());
    assert_eq!(events(), before, "nothing applied");
    itinera()
        .args(["ledger", "stats", "--json", "--db"])
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains("\"confirmed\": 1"))
        .stdout(predicate::str::contains("recovered"));
}

#[test]
fn the_ledger_feeds_demand_csv_and_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("turnos.db");
    itinera()
        .args(["book", "scenarios/tiny"])
        .arg(tiny_plan())
        .arg("--db")
        .arg(&db)
        .args(["--at", "2027-02-20T09:00"])
        .current_dir(common::repo(""))
        .assert()
        .success();
    // The day before the horizon, the ledger's lists are tiny's own.
    let demand = dir.path().join("demand.csv");
    itinera()
        .args([
            "ledger",
            "demand",
            "scenarios/tiny",
            "--on",
            "2027-02-28",
            "-o",
        ])
        .arg(&demand)
        .arg("--db")
        .arg(&db)
        .current_dir(common::repo(""))
        .assert()
        .success();
    let ours = std::fs::read_to_string(&demand).unwrap();
    let theirs = std::fs::read_to_string(common::repo("scenarios/tiny/demand.csv")).unwrap();
    assert_eq!(ours.trim(), theirs.trim());
    // A patient who leaves the list is not counted any more.
    let responses = dir.path().join("r.csv");
    std::fs::write(
        &responses,
        "response,patient,specialty,kind,cause,source,at\nr1,HC-000001,cardiology,not_needed,deceased,call,2027-02-21T10:00\n",
    )
    .unwrap();
    itinera()
        .args(["respond", "--db"])
        .arg(&db)
        .arg(&responses)
        .assert()
        .success();
    itinera()
        .args([
            "ledger",
            "demand",
            "scenarios/tiny",
            "--on",
            "2027-02-28",
            "-o",
        ])
        .arg(&demand)
        .arg("--db")
        .arg(&db)
        .current_dir(common::repo(""))
        .assert()
        .success();
    let after = std::fs::read_to_string(&demand).unwrap();
    assert!(after.contains("beta,cardiology,29,"), "{after}");
    // The report carries the ledger's numbers, and no patient.
    let out = dir.path().join("pub");
    itinera()
        .args(["export", "scenarios/tiny"])
        .arg(tiny_plan().join("plan.json"))
        .arg("-o")
        .arg(&out)
        .arg("--ledger")
        .arg(&db)
        .current_dir(common::repo(""))
        .assert()
        .success();
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("Turnos y listas de espera"));
    assert!(report.contains("fallecimiento"));
    assert!(!report.contains("HC-0"), "no patient id in the report");
}

#[test]
fn synthetic_patients_never_replace_a_file_without_force() {
    let scenario = common::tiny_copy();
    let before = std::fs::read(scenario.path().join("patients.csv")).unwrap();
    itinera()
        .arg("patients")
        .arg(scenario.path())
        .args(["--seed", "9"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--force"));
    assert_eq!(
        std::fs::read(scenario.path().join("patients.csv")).unwrap(),
        before
    );
    itinera()
        .arg("patients")
        .arg(scenario.path())
        .args(["--seed", "9", "--force"])
        .assert()
        .success()
        .stdout(predicate::str::contains("pacientes sintéticos"));
    #[cfg(unix)]
    assert_eq!(mode(&scenario.path().join("patients.csv")), 0o600);
}
