//! End-to-end: the `itinera` binary on real scenario folders.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;

fn itinera() -> Command {
    Command::cargo_bin("itinera").unwrap()
}

#[test]
fn validate_summarises_a_good_scenario() {
    itinera()
        .args(["validate", "scenarios/tiny"])
        .current_dir(common::repo(""))
        .assert()
        .success()
        .stdout(predicate::str::contains("Tiny: ok"))
        .stdout(predicate::str::contains("3 persons (4 records)"));
}

#[test]
fn invalid_input_exits_2_with_file_line_and_code() {
    let fx = common::fixture(&common::repo("tests/broken/E1202-unknown-locality.txt"));
    itinera()
        .arg("conflicts")
        .arg(fx.dir.path())
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "roads.csv:3:2: E1202 to: unknown locality `gama`",
        ))
        .stderr(predicate::str::contains("docs/errors.md"));
}

#[test]
fn missing_scenario_exits_2() {
    itinera()
        .args(["evaluate", "no/such/folder"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("E1001"));
}

#[test]
fn conflicts_table_and_json() {
    itinera()
        .args(["conflicts", "scenarios/tiny"])
        .current_dir(common::repo(""))
        .assert()
        .success()
        .stdout(predicate::str::contains("8 conflict(s)"))
        .stdout(predicate::str::contains("person double-booked"));
    let out = itinera()
        .args(["conflicts", "scenarios/tiny", "--json"])
        .current_dir(common::repo(""))
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "itinera.conflicts/1");
    assert_eq!(v["conflicts"].as_array().unwrap().len(), 8);
    assert_eq!(v["summary"]["duplicate_specialty"], 2);
    assert_eq!(v["conflicts"][1]["kind"], "person_double_booked");
    assert_eq!(v["conflicts"][1]["visits"], serde_json::json!(["m1", "c1"]));
}

#[test]
fn evaluate_table_and_json() {
    itinera()
        .args(["evaluate", "scenarios/tiny"])
        .current_dir(common::repo(""))
        .assert()
        .success()
        .stdout(predicate::str::contains("patient-weeks waiting"))
        .stdout(predicate::str::contains("2,200"));
    let out = itinera()
        .args(["evaluate", "scenarios/tiny", "--json"])
        .current_dir(common::repo(""))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "itinera.status-quo/1");
    assert_eq!(v["metrics"]["km"], 2200.0);
    assert_eq!(v["metrics"]["patient_weeks_waiting"], 285.0);
}
