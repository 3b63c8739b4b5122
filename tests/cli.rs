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
        .stdout(predicate::str::contains("Tiny: correcto"))
        .stdout(predicate::str::contains("3 personas (4 legajos)"));
    itinera()
        .args(["validate", "scenarios/tiny", "--lang", "en"])
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
            "roads.csv:3:2: E1202 to: no existe la localidad `gama`",
        ))
        .stderr(predicate::str::contains("docs/errors.md"));
    itinera()
        .args(["--lang", "en", "conflicts"])
        .arg(fx.dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "roads.csv:3:2: E1202 to: unknown locality `gama`",
        ));
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
        .stdout(predicate::str::contains("8 conflicto(s)"))
        .stdout(predicate::str::contains("persona con doble reserva"));
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
    // Messages stay strings, in the chosen language.
    let message = v["conflicts"][1]["message"].as_str().unwrap();
    assert!(message.contains("doble reserva"), "{message}");
}

#[test]
fn evaluate_table_and_json() {
    itinera()
        .args(["evaluate", "scenarios/tiny"])
        .current_dir(common::repo(""))
        .assert()
        .success()
        .stdout(predicate::str::contains("pacientes-semana de espera"))
        .stdout(predicate::str::contains("2.200"));
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

/// Plan tiny into a temp folder; returns the folder.
fn plan_tiny() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    itinera()
        .args(["plan", "scenarios/tiny", "--gap", "0", "--quiet", "-o"])
        .arg(out.path())
        .current_dir(common::repo(""))
        .assert()
        .success()
        .stdout(predicate::str::contains("Tiny: óptimo"))
        .stdout(predicate::str::contains("pacientes-semana de espera"));
    out
}

#[test]
fn plan_writes_a_plan_that_check_accepts() {
    let out = plan_tiny();
    let plan = out.path().join("plan.json");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan).unwrap()).unwrap();
    assert_eq!(v["schema"], "itinera.plan/1");
    assert!(v["solver"]["bound"].as_f64().is_some());
    // It names persons by their ids (national ids in Santa Cruz): owner only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&plan).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "plan.json mode {mode:o}");
        let report = std::fs::metadata(out.path().join("report.html")).unwrap();
        assert_ne!(
            report.permissions().mode() & 0o077,
            0,
            "published files stay readable"
        );
    }
    // The plan and its publication, and no temporary file left anywhere.
    let mut names: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "LEEME.txt",
            "calendars",
            "fhir",
            "index.html",
            "map",
            "plan.json",
            "report.html"
        ]
    );
    fn no_temp(dir: &std::path::Path) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            assert!(
                !name.starts_with('.'),
                "temporary file left: {}",
                p.display()
            );
            if p.is_dir() {
                no_temp(&p);
            }
        }
    }
    no_temp(out.path());
    itinera()
        .args(["check", "scenarios/tiny"])
        .arg(&plan)
        .current_dir(common::repo(""))
        .assert()
        .success()
        .stdout(predicate::str::contains("plan correcto"));
}

/// Corrupt the plan of tiny with `edit` and expect `check` to name `rule`.
fn corrupted(edit: impl Fn(&mut serde_json::Value), rule: &str) {
    let out = plan_tiny();
    let path = out.path().join("plan.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut v);
    std::fs::write(&path, serde_json::to_string(&v).unwrap()).unwrap();
    itinera()
        .args(["check", "scenarios/tiny"])
        .arg(&path)
        .current_dir(common::repo(""))
        .assert()
        .code(6)
        .stdout(predicate::str::contains(rule))
        .stdout(predicate::str::contains("regla(s) incumplida(s)"));
    // Each violation's message is a string in the chosen language.
    let messages = |lang: &str| -> Vec<String> {
        let out = itinera()
            .args(["check", "scenarios/tiny", "--json", "--lang", lang])
            .arg(&path)
            .current_dir(common::repo(""))
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["message"].as_str().unwrap().to_string())
            .collect()
    };
    let (es, en) = (messages("es"), messages("en"));
    assert_eq!(es.len(), en.len());
    for (es, en) in es.iter().zip(&en) {
        assert_ne!(es, en, "not translated");
    }
}

fn visits(v: &mut serde_json::Value) -> &mut Vec<serde_json::Value> {
    v["visits"].as_array_mut().unwrap()
}

#[test]
fn check_catches_a_person_in_two_places() {
    corrupted(
        |v| {
            // Ana Ruiz's first visit copied to gamma under her CSS record, same days.
            let mut twin = visits(v)[0].clone();
            twin["id"] = "X1".into();
            twin["specialist"] = "card-c".into();
            twin["institution"] = "css".into();
            twin["locality"] = "gamma".into();
            twin["facility"] = "gamma-css".into();
            twin["origin"] = "new".into();
            twin["existing"] = serde_json::Value::Null;
            visits(v).push(twin);
        },
        "person_double_booked",
    );
}

#[test]
fn check_catches_two_cardiology_visits_in_one_week() {
    corrupted(
        |v| {
            let first = visits(v)[0].clone();
            let mut twin = first.clone();
            twin["id"] = "X2".into();
            twin["specialist"] = "card-c".into();
            twin["institution"] = "css".into();
            twin["origin"] = "new".into();
            twin["existing"] = serde_json::Value::Null;
            visits(v).push(twin);
        },
        "spacing",
    );
}

#[test]
fn check_catches_a_visit_on_a_holiday() {
    corrupted(
        |v| {
            let x = &mut visits(v)[0];
            x["dates"] = serde_json::json!(["2027-03-24"]);
            x["start"] = "2027-03-24".into();
            x["days"] = 1.into();
        },
        "holiday",
    );
}

#[test]
fn check_rejects_a_file_that_is_not_a_plan() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("plan.json");
    std::fs::write(&p, "{\n  \"schema\": 3\n}\n").unwrap();
    itinera()
        .args(["check", "scenarios/tiny"])
        .arg(&p)
        .current_dir(common::repo(""))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("E1601"));
}

#[test]
fn pinned_infeasible_plan_exits_5_with_the_conflicting_rules() {
    let out = tempfile::tempdir().unwrap();
    itinera()
        .args(["plan", "scenarios/tiny", "--pin-confirmed", "--quiet", "-o"])
        .arg(out.path())
        .current_dir(common::repo(""))
        .assert()
        .code(5)
        .stderr(predicate::str::contains(
            "visitas confirmadas fijas en su semana",
        ));
    assert!(!out.path().join("plan.json").exists());
}

#[test]
fn status_quo_export_and_compare_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let sq = dir.path().join("sq/plan.json");
    itinera()
        .args(["evaluate", "scenarios/tiny", "--as-plan"])
        .arg(&sq)
        .current_dir(common::repo(""))
        .assert()
        .success();
    let out = dir.path().join("pub");
    // The status quo breaks rules (that is why itinera exists): export
    // refuses it, publishes nothing, and says how to publish it anyway.
    itinera()
        .args(["export", "scenarios/tiny"])
        .arg(&sq)
        .arg("-o")
        .arg(&out)
        .current_dir(common::repo(""))
        .assert()
        .code(6)
        .stderr(predicate::str::contains("--force"))
        .stderr(predicate::str::contains("person_double_booked"));
    assert!(!out.join("calendars").exists(), "nothing published");
    itinera()
        .args(["export", "scenarios/tiny", "--force"])
        .arg(&sq)
        .arg("-o")
        .arg(&out)
        .current_dir(common::repo(""))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "aviso: se publica un plan que incumple",
        ))
        .stdout(predicate::str::contains("eventos de calendario: 12 nuevos"));
    for f in [
        "report.html",
        "calendars/csv/tiny.csv",
        "calendars/published.json",
        "map/localities.geojson",
    ] {
        assert!(out.join(f).is_file(), "{f} written");
    }
    // Publishing again into the same folder updates nothing.
    itinera()
        .args(["export", "scenarios/tiny", "--force"])
        .arg(&sq)
        .arg("-o")
        .arg(&out)
        .current_dir(common::repo(""))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "0 nuevos, 0 actualizados, 12 sin cambios, 0 cancelados",
        ));
    let html = dir.path().join("cmp.html");
    itinera()
        .args([
            "compare",
            "--lang",
            "en",
            "--scenario",
            "scenarios/tiny",
            "--html",
        ])
        .arg(&html)
        .arg(format!("before={}", sq.display()))
        .arg(format!("again={}", sq.display()))
        .current_dir(common::repo(""))
        .assert()
        .success()
        .stdout(predicate::str::contains("before"))
        .stdout(predicate::str::contains("visits changed vs the first"));
    assert!(std::fs::read_to_string(&html).unwrap().contains("<svg"));
}

#[test]
fn export_of_an_unreadable_plan_exits_2() {
    itinera()
        .args(["export", "scenarios/tiny", "Cargo.toml"])
        .current_dir(common::repo(""))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("E1601"));
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    // More than a pipe holds (88 kB of JSON), read by nobody: the write
    // fails, and the command must end without a panic.
    let bin = assert_cmd::cargo::cargo_bin("itinera");
    let mut child = std::process::Command::new(bin)
        .args(["conflicts", "scenarios/santa-cruz", "--json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// `itinera check` of a tiny plan under one what-if file.
fn check_under(plan: &std::path::Path, overlay: &std::path::Path) -> assert_cmd::assert::Assert {
    itinera()
        .args(["check", "scenarios/tiny"])
        .arg(plan)
        .arg("--what-if")
        .arg(overlay)
        .current_dir(common::repo(""))
        .assert()
}

#[test]
fn a_what_if_plan_is_labelled_and_checked_under_its_overlays() {
    let dir = tempfile::tempdir().unwrap();
    let overlay = common::repo("tests/fixtures/what-if/leave.yaml");
    itinera()
        .args([
            "plan",
            "scenarios/tiny",
            "--no-export",
            "--quiet",
            "--time-limit",
            "30",
            "-o",
        ])
        .arg(dir.path())
        .arg("--what-if")
        .arg(&overlay)
        .current_dir(common::repo(""))
        .assert()
        .success()
        .stdout(predicate::str::contains("Tiny (what-if: leave-card-m): "));
    let plan = dir.path().join("plan.json");
    let text = std::fs::read_to_string(&plan).unwrap();
    assert!(text.contains("\"what_if\""), "{text}");
    check_under(&plan, &overlay).success();
    itinera()
        .args(["check", "scenarios/tiny"])
        .arg(&plan)
        .current_dir(common::repo(""))
        .assert()
        .code(6)
        .stdout(predicate::str::contains("what_if_mismatch"));
    // A broken overlay is an input error with file and line, and no plan.
    let broken = common::repo("tests/broken/what-if/E1205-unknown-record.yaml");
    let out = tempfile::tempdir().unwrap();
    itinera()
        .args(["plan", "scenarios/tiny", "--no-export", "--quiet", "-o"])
        .arg(out.path())
        .arg("--what-if")
        .arg(&broken)
        .current_dir(common::repo(""))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("E1205-unknown-record.yaml:4"));
    assert!(!out.path().join("plan.json").exists());
}

#[test]
fn a_sweep_solves_each_variant_as_plan_would_alone_and_compares_them() {
    let out = tempfile::tempdir().unwrap();
    let overlays =
        ["leave", "closure"].map(|n| common::repo(&format!("tests/fixtures/what-if/{n}.yaml")));
    itinera()
        .args(["sweep", "scenarios/tiny", "--gap", "0", "--jobs", "2", "-o"])
        .arg(out.path())
        .arg("--what-if")
        .args(&overlays)
        .current_dir(common::repo(""))
        .assert()
        .success()
        .stdout(
            predicate::str::contains("leave-card-m").and(predicate::str::contains("closure-r1")),
        );
    for f in ["base", "status-quo", "leave-card-m", "closure-r1"] {
        assert!(out.path().join(f).join("plan.json").exists(), "{f}");
    }
    for f in ["leave-card-m", "closure-r1"] {
        let diff = std::fs::read_to_string(out.path().join(f).join("diff.csv")).unwrap();
        assert!(diff.starts_with("change,facility"), "{f}: {diff}");
        assert!(diff.lines().count() > 1);
    }
    let html = std::fs::read_to_string(out.path().join("compare.html")).unwrap();
    assert!(html.contains("closure-r1") && html.contains("<svg"));
    let csv = std::fs::read_to_string(out.path().join("compare.csv")).unwrap();
    assert_eq!(csv.lines().count(), 5, "a header and four plans:\n{csv}");
    // Each variant equals the same what-if planned on its own.
    let read = |p: &std::path::Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    for (overlay, folder) in overlays.iter().zip(["leave-card-m", "closure-r1"]) {
        let alone = tempfile::tempdir().unwrap();
        itinera()
            .args([
                "plan",
                "scenarios/tiny",
                "--gap",
                "0",
                "--threads",
                "1",
                "--no-export",
                "--quiet",
                "-o",
            ])
            .arg(alone.path())
            .arg("--what-if")
            .arg(overlay)
            .current_dir(common::repo(""))
            .assert()
            .success();
        let (a, b) = (
            read(&alone.path().join("plan.json")),
            read(&out.path().join(folder).join("plan.json")),
        );
        for key in ["what_if", "visits", "trips", "metrics", "routes"] {
            assert_eq!(a[key], b[key], "{folder}: {key}");
        }
    }
}

#[test]
fn a_sweep_with_a_broken_what_if_solves_nothing() {
    let out = tempfile::tempdir().unwrap();
    itinera()
        .args(["sweep", "scenarios/tiny", "-o"])
        .arg(out.path())
        .arg("--what-if")
        .arg(common::repo("tests/fixtures/what-if/leave.yaml"))
        .arg(common::repo(
            "tests/broken/what-if/E1303-range-ends-before-it-starts.yaml",
        ))
        .current_dir(common::repo(""))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("E1303"));
    assert!(!out.path().join("base").exists());
}

#[test]
fn a_replan_after_a_leave_writes_the_plan_its_diff_and_updates_the_calendars() {
    let base = plan_tiny();
    let current = base.path().join("plan.json");
    let overlay = common::repo("tests/fixtures/what-if/leave.yaml");
    let out = tempfile::tempdir().unwrap();
    itinera()
        .args(["replan", "scenarios/tiny", "--gap", "0", "--quiet"])
        .arg("--current")
        .arg(&current)
        .args(["--from", "2027-03-15", "-o"])
        .arg(out.path())
        .arg("--what-if")
        .arg(&overlay)
        .current_dir(common::repo(""))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "replanificado desde el 15/03/2027 (pedido: 15/03/2027)",
        ))
        .stdout(predicate::str::contains("establecimiento  mantenidas  reprogramadas"))
        // Events continue the base publication: the leave's days are
        // cancelled, the others unchanged, none published a second time.
        .stdout(
            predicate::str::is_match(
                r"eventos de calendario: 0 nuevos, \d+ actualizados, [1-9]\d* sin cambios, [1-9]\d* cancelados",
            )
            .unwrap(),
        );
    let plan = out.path().join("plan.json");
    let diff = std::fs::read_to_string(out.path().join("diff.csv")).unwrap();
    assert!(diff.starts_with("change,facility"), "{diff}");
    assert!(
        diff.lines()
            .any(|l| l.starts_with("cancelled,") || l.starts_with("moved,"))
    );
    let report = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(report.contains("Cambios respecto del plan publicado"));
    check_under(&plan, &overlay).success();
    // A date after the horizon is an input error, and writes nothing.
    let late = tempfile::tempdir().unwrap();
    itinera()
        .args(["replan", "scenarios/tiny", "--quiet", "--current"])
        .arg(&current)
        .args(["--from", "2027-06-01", "-o"])
        .arg(late.path())
        .current_dir(common::repo(""))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("E1602"))
        .stderr(predicate::str::contains("--from 2027-06-01"));
    assert!(!late.path().join("plan.json").exists());
}

#[test]
fn generate_writes_the_same_valid_scenario_for_the_same_seed() {
    let run = |dir: &std::path::Path| {
        itinera()
            .args([
                "generate",
                "--localities",
                "30",
                "--specialists",
                "70",
                "--weeks",
                "12",
                "--seed",
                "9",
                "-o",
            ])
            .arg(dir)
            .assert()
            .success()
            .stdout(predicate::str::contains("30 localidades"))
            .stdout(predicate::str::contains("(70 legajos)"));
    };
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    run(a.path());
    run(b.path());
    for f in [
        "scenario.yaml",
        "localities.csv",
        "roads.csv",
        "specialists.csv",
        "demand.csv",
        "calendar-css.csv",
    ] {
        assert_eq!(
            std::fs::read(a.path().join(f)).unwrap(),
            std::fs::read(b.path().join(f)).unwrap(),
            "{f}"
        );
    }
    itinera()
        .args(["validate"])
        .arg(a.path())
        .assert()
        .success();
    // Fewer records than specialties cannot make a scenario.
    itinera()
        .args(["generate", "--localities", "30", "--specialists", "5", "-o"])
        .arg(a.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--specialists"));
    // More regions than hub cities cannot either (30 localities, 3 hubs).
    itinera()
        .args(["generate", "--localities", "30", "--specialists", "70"])
        .args(["--regions", "4", "-o"])
        .arg(a.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--regions"));
}

/// `itinera plan scenarios/tiny --gap 0 --quiet --no-export -o OUT`, from the repository.
fn quiet_tiny_plan(out: &std::path::Path) -> Command {
    let mut c = itinera();
    c.args([
        "plan",
        "scenarios/tiny",
        "--gap",
        "0",
        "--quiet",
        "--no-export",
        "-o",
    ])
    .arg(out)
    .current_dir(common::repo(""));
    c
}

#[test]
fn plan_exports_the_model_it_solves() {
    let out = tempfile::tempdir().unwrap();
    let model = out.path().join("model").join("tiny.lp");
    quiet_tiny_plan(out.path())
        .arg("--export-model")
        .arg(&model)
        .current_dir(common::repo(""))
        .assert()
        .success()
        .stderr(predicate::str::contains("modelo escrito en"));
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(text.contains("obj"), "an LP file with an objective");
    // Nothing else (no temporary file) beside it.
    assert_eq!(
        std::fs::read_dir(model.parent().unwrap()).unwrap().count(),
        1
    );
    itinera()
        .args(["plan", "scenarios/tiny", "--quiet", "--no-export", "-o"])
        .arg(out.path())
        .args(["--export-model", "model.txt"])
        .current_dir(common::repo(""))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(".mps or .lp"));
}

#[test]
fn plan_takes_the_compact_method_and_refuses_a_zero_bound_share() {
    let out = tempfile::tempdir().unwrap();
    quiet_tiny_plan(out.path())
        .args(["--method", "compact"])
        .assert()
        .success();
    let plan: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("plan.json")).unwrap()).unwrap();
    assert_eq!(plan["solver"]["options"]["method"], "compact");
    assert!(
        plan["solver"]["column_generation"].is_null(),
        "compact runs no column generation"
    );
    assert_eq!(plan["solver"]["bound_kind"], "mip");
    let refused = itinera()
        .args(["plan", "scenarios/tiny", "--bound-share", "0", "-o"])
        .arg(out.path())
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let text = String::from_utf8_lossy(&refused);
    assert!(text.contains("--method compact"), "{text}");
}
