//! Programmed against delivered: sums checked by hand on tiny's plan, the
//! unreported visits kept apart, and a bad attendance file refused with
//! every problem placed.

mod common;

use assert_cmd::Command;
use itinera::plan::actuals::{self, Attendance};
use predicates::prelude::*;

#[test]
fn tallies_add_up_by_hand() {
    let (_, p) = common::tiny_solved();
    let made: Vec<_> = p.made_visits().collect();
    assert!(made.len() >= 3);
    let (a, b) = (&made[0], &made[1]);
    let attendance = vec![
        Attendance {
            visit: a.id.clone(),
            held: true,
            seen: a.capacity - 1,
            no_shows: 2,
        },
        Attendance {
            visit: b.id.clone(),
            held: false,
            seen: 0,
            no_shows: 0,
        },
    ];
    let c = actuals::compare(p, &attendance);
    assert_eq!(c.total.visits as usize, made.len());
    assert_eq!(c.total.reported, 2);
    assert_eq!(c.total.held, 1);
    assert_eq!(c.total.programmed, a.capacity + b.capacity);
    assert_eq!(c.total.delivered, a.capacity - 1);
    assert_eq!(c.total.no_shows, 2);
    let by: u32 = c.by_specialty.values().map(|t| t.programmed).sum();
    assert_eq!(
        by, c.total.programmed,
        "the specialties add up to the total"
    );
    let months: u32 = c.by_month.values().map(|t| t.visits).sum();
    assert_eq!(months as usize, made.len());
    assert!(c.by_facility[&a.facility].reported >= 1);
}

#[test]
fn actuals_from_the_command_line_and_a_bad_file() {
    let (_, p) = common::tiny_solved();
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    std::fs::write(&plan, serde_json::to_vec(p).unwrap()).unwrap();
    let made: Vec<_> = p.made_visits().collect();
    let good = dir.path().join("attendance.csv");
    std::fs::write(
        &good,
        format!(
            "visit,held,seen,no_shows\n{},sí,{},1\n{},no,0,0\n",
            made[0].id, made[0].capacity, made[1].id
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("itinera")
        .unwrap()
        .args(["actuals", "scenarios/tiny"])
        .arg(&plan)
        .arg(&good)
        .arg("-o")
        .arg(&out)
        .current_dir(common::repo(""))
        .assert()
        .success()
        .stdout(predicate::str::contains("Por especialidad"))
        .stdout(predicate::str::contains(format!(
            "2 de {} visitas informadas",
            made.len()
        )));
    assert!(
        std::fs::read_to_string(out.join("actuals.html"))
            .unwrap()
            .contains("<svg")
    );
    assert!(
        std::fs::read_to_string(out.join("actuals.csv"))
            .unwrap()
            .starts_with("group,name,visits")
    );
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!(
            "visit,held,seen,no_shows\nP9999,sí,1,0\n{},quizás,1,0\n{},no,4,0\n{},sí,1,0\n",
            made[0].id, made[1].id, made[1].id
        ),
    )
    .unwrap();
    Command::cargo_bin("itinera")
        .unwrap()
        .args(["actuals", "scenarios/tiny"])
        .arg(&plan)
        .arg(&bad)
        .current_dir(common::repo(""))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.csv:2:1: E1602"))
        .stderr(predicate::str::contains("bad.csv:3:2: E1004 held"))
        .stderr(predicate::str::contains("bad.csv:4:3: E1004 seen"))
        .stderr(predicate::str::contains("bad.csv:5:1: E1201"));
}

#[test]
fn unseen_patients_go_back_on_their_lists_for_the_replan() {
    let (s, p) = common::tiny_solved();
    let week = 4;
    let monday = s.horizon.week_start(week);
    // Every visit before week 4 fell through.
    let attendance: Vec<Attendance> = p
        .made_visits()
        .filter(|v| s.horizon.week_of(v.start).is_some_and(|w| w < week))
        .map(|v| Attendance {
            visit: v.id.clone(),
            held: false,
            seen: 0,
            no_shows: 0,
        })
        .collect();
    assert!(!attendance.is_empty());
    let unseen = actuals::unseen_before(s, p, &attendance, week);
    assert!(!unseen.is_empty());
    let total: f64 = unseen.iter().map(|x| x.2).sum();
    let programmed: u32 = p
        .made_visits()
        .filter(|v| s.horizon.week_of(v.start).is_some_and(|w| w < week))
        .map(|v| v.capacity)
        .sum();
    assert!(
        total > 0.0 && total <= f64::from(programmed) + 1e-6,
        "{total} of {programmed}"
    );
    // Nothing unseen when everything was held as planned.
    let as_planned: Vec<Attendance> = attendance
        .iter()
        .map(|a| {
            let cap = p.visits.iter().find(|v| v.id == a.visit).unwrap().capacity;
            Attendance {
                held: true,
                seen: cap,
                ..a.clone()
            }
        })
        .collect();
    assert!(actuals::unseen_before(s, p, &as_planned, week).is_empty());
    // The overlay applies, and a replan under it passes the checker.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("actual-waiting.yaml");
    std::fs::write(&path, actuals::overlay(&unseen, monday)).unwrap();
    let adjusted = itinera::scenario::apply_what_if(s.clone(), &path).expect("the overlay applies");
    let (_, _) = common::replan_and_check(&adjusted, p, monday);
}
