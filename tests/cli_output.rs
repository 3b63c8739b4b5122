//! What the `itinera` binary writes: never over anything but a regular file,
//! never half a publication, and a failed write is an error, not a panic.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

fn itinera() -> Command {
    Command::cargo_bin("itinera").unwrap()
}

fn plan_into(dir: &Path, what_if: Option<&str>) {
    let mut cmd = itinera();
    cmd.args(["plan", "scenarios/tiny", "--gap", "0", "--quiet", "-o"])
        .arg(dir)
        .current_dir(common::repo(""));
    if let Some(w) = what_if {
        cmd.args(["--what-if", w]);
    }
    cmd.assert().success();
}

#[test]
fn a_link_or_a_device_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    plan_into(dir.path(), None);
    let plan = dir.path().join("plan.json");
    let real = dir.path().join("kept.csv");
    fs::write(&real, "not yours").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    for target in [link.as_path(), Path::new("/dev/null")] {
        itinera()
            .arg("diff")
            .arg(&plan)
            .arg(&plan)
            .arg("--csv")
            .arg(target)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("no es un archivo común"));
    }
    assert_eq!(fs::read_to_string(&real).unwrap(), "not yours");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::symlink_metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn printing_into_a_full_device_is_an_error_not_a_panic() {
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("itinera"))
        .args(["validate", "scenarios/tiny"])
        .current_dir(common::repo(""))
        .stdout(full)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("salida estándar"), "{err}");
    assert!(err.contains("no queda espacio"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// (visit id, date) of every planned visit day in plan.json, and of every
/// event the manifest publishes as taking place.
/// (visit id, date) of each visit day.
type Days = BTreeSet<(String, String)>;

fn plan_and_manifest(dir: &Path) -> (Days, Days) {
    let plan: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("plan.json")).unwrap()).unwrap();
    let mut planned = BTreeSet::new();
    for v in plan["visits"].as_array().unwrap() {
        if v["origin"] == "dropped" {
            continue;
        }
        for d in v["dates"].as_array().unwrap() {
            planned.insert((
                v["id"].as_str().unwrap().to_string(),
                d.as_str().unwrap().to_string(),
            ));
        }
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("calendars/published.json")).unwrap())
            .unwrap();
    let mut published = BTreeSet::new();
    for e in manifest["events"].as_object().unwrap().values() {
        if e["data"]["cancelled"] == false {
            published.insert((
                e["data"]["visit"].as_str().unwrap().to_string(),
                e["data"]["date"].as_str().unwrap().to_string(),
            ));
        }
    }
    (planned, published)
}

fn leftovers(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if name.contains(".tmp-") || name == itinera::output::STAGING {
                out.push(p.display().to_string());
            }
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
    out
}

/// Kill `plan` at moments spread over its whole run, by SIGKILL (nothing
/// can clean up) and by SIGTERM: once the next reader has looked at the
/// folder, plan.json and the calendars always come from one publication,
/// the old or the new, and no temporary file is left.
#[test]
fn a_plan_killed_at_any_moment_leaves_one_whole_publication() {
    let dir = tempfile::tempdir().unwrap();
    plan_into(dir.path(), None);
    let (old_plan, old_published) = plan_and_manifest(dir.path());
    assert_eq!(old_plan, old_published);
    let leave = common::repo("tests/fixtures/what-if/leave.yaml");
    let run = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("itinera"))
            .args(["plan", "scenarios/tiny", "--gap", "0", "--quiet", "-o"])
            .arg(dir.path())
            .arg("--what-if")
            .arg(&leave)
            .current_dir(common::repo(""))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let t = Instant::now();
    assert!(run().wait().unwrap().success());
    let whole = t.elapsed();
    let (new_plan, new_published) = plan_and_manifest(dir.path());
    assert_ne!(new_plan, old_plan, "the overlay changes the plan");
    let mut seen_old = false;
    for k in 0..16u32 {
        // Back to the old publication, then a run killed part-way.
        plan_into(dir.path(), None);
        let mut child = run();
        std::thread::sleep(whole * k / 14);
        let signal = if k % 2 == 0 { "KILL" } else { "TERM" };
        let _ = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status();
        let _ = child.wait();
        itinera::output::recover(dir.path()).unwrap();
        let (plan, published) = plan_and_manifest(dir.path());
        assert_eq!(plan, published, "run {k}: plan.json and calendars disagree");
        assert!(
            plan == old_plan || plan == new_plan,
            "run {k}: neither publication"
        );
        assert!(published == old_published || published == new_published);
        seen_old |= plan == old_plan;
        assert!(
            leftovers(dir.path()).is_empty(),
            "{:?}",
            leftovers(dir.path())
        );
    }
    assert!(seen_old, "some runs were killed before they published");
}
