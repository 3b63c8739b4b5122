//! Plan diffs: a plan against itself keeps everything; each kind of edit
//! is named for what it is; the CLI prints the table and writes the CSV.

mod common;

use itinera::network::RoadNetwork;
use itinera::plan::diff::{ChangeKind, by_facility, diff};
use itinera::plan::format::{Origin, Plan};
use predicates::prelude::*;

fn status_quo() -> Plan {
    let s = itinera::scenario::load(&common::repo("scenarios/tiny")).unwrap();
    let net = RoadNetwork::new(&s);
    itinera::plan::status_quo::as_plan(&s, &net)
}

fn count(changes: &[itinera::plan::diff::Change], kind: ChangeKind) -> usize {
    changes.iter().filter(|c| c.kind == kind).count()
}

#[test]
fn a_plan_against_itself_keeps_every_visit() {
    let p = status_quo();
    let changes = diff(&p, &p);
    assert_eq!(changes.len(), p.made_visits().count());
    assert!(changes.iter().all(|c| c.kind == ChangeKind::Kept));
}

#[test]
fn each_edit_is_named_for_what_it_is() {
    let old = status_quo();
    let mut new = old.clone();
    let n = new.visits.len();
    assert!(n >= 5);
    // Visit 0 a week later: moved.
    let later: Vec<_> = new.visits[0]
        .dates
        .iter()
        .map(|d| *d + chrono::Days::new(7))
        .collect();
    new.visits[0].start = later[0];
    new.visits[0].dates = later;
    // Visit 1 by someone else: reassigned.
    new.visits[1].person = "P99".to_string();
    new.visits[1].specialist = "someone-else".to_string();
    // Visit 2 no longer made: cancelled.
    new.visits[2].origin = Origin::Dropped;
    // A new visit: a copy of visit 3 at another facility and a far date.
    let mut extra = new.visits[3].clone();
    extra.id = "P9999".to_string();
    extra.person = "P77".to_string();
    extra.locality = "nowhere".to_string();
    extra.facility = "nowhere-post".to_string();
    new.visits.push(extra);
    let changes = diff(&old, &new);
    assert_eq!(count(&changes, ChangeKind::Moved), 1);
    assert_eq!(count(&changes, ChangeKind::Reassigned), 1);
    assert_eq!(count(&changes, ChangeKind::Cancelled), 1);
    assert_eq!(count(&changes, ChangeKind::New), 1);
    assert_eq!(
        count(&changes, ChangeKind::Kept),
        old.made_visits().count() - 3
    );
    let moved = changes
        .iter()
        .find(|c| c.kind == ChangeKind::Moved)
        .unwrap();
    assert_eq!(moved.old.as_ref().unwrap().id, old.visits[0].id);
    let per = by_facility(&changes);
    assert_eq!(per["nowhere-post"][&ChangeKind::New], 1);
    let total: usize = per.values().flat_map(|m| m.values()).sum();
    assert_eq!(total, changes.len());
}

#[test]
fn the_cli_prints_the_table_and_writes_one_csv_row_per_visit() {
    let dir = tempfile::tempdir().unwrap();
    let old = status_quo();
    let mut new = old.clone();
    new.visits[0].origin = Origin::Dropped;
    let (a, b) = (dir.path().join("old.json"), dir.path().join("new.json"));
    std::fs::write(&a, serde_json::to_string(&old).unwrap()).unwrap();
    std::fs::write(&b, serde_json::to_string(&new).unwrap()).unwrap();
    let csv = dir.path().join("diff.csv");
    assert_cmd::Command::cargo_bin("itinera")
        .unwrap()
        .arg("diff")
        .args([&a, &b])
        .arg("--csv")
        .arg(&csv)
        .assert()
        .success()
        .stdout(predicate::str::contains("canceladas").and(predicate::str::contains("total")));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count(), 1 + old.made_visits().count());
    assert_eq!(
        text.lines().filter(|l| l.starts_with("cancelled,")).count(),
        1
    );
}
