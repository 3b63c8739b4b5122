//! Split, solve each part, merge (issue 20): the plan of a split equals the
//! plan of `plan`; merge refuses missing parts, results of another split,
//! a bound above its part's objective and a scenario changed after the
//! split; solving and merging again change nothing; the Slurm and
//! Kubernetes files are what a scheduler takes. The real Slurm run is
//! tests/cluster/slurm.sh (run by .ci/run).

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn itinera() -> Command {
    Command::cargo_bin("itinera").unwrap()
}

/// Options under which both parts and the bound solve to optimality in
/// seconds, so that the split and `plan` reach the same plan.
const OPTS: [&str; 6] = ["--time-limit", "19", "--gap", "0.01", "--threads", "1"];

/// A generated network of two regions over one week.
fn network(dir: &Path) -> PathBuf {
    let net = dir.join("net");
    itinera()
        .args([
            "generate",
            "--localities",
            "25",
            "--specialists",
            "60",
            "--regions",
            "2",
            "--weeks",
            "1",
            "--seed",
            "1",
            "-o",
        ])
        .arg(&net)
        .assert()
        .success();
    net
}

fn split(net: &Path, dir: &Path, extra: &[&str]) {
    itinera()
        .arg("plan")
        .arg(net)
        .args(OPTS)
        .args(extra)
        .arg("--parts-to")
        .arg(dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("parte(s)"));
}

fn jobs(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("jobs.txt"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// `itinera merge DIR --no-export -o OUT`.
fn merge(dir: &Path, out: &Path) -> Command {
    let mut c = itinera();
    c.arg("merge")
        .arg(dir)
        .arg("--no-export")
        .arg("-o")
        .arg(out);
    c
}

/// `itinera sweep --collect DIR -o OUT`.
fn collect(dir: &Path, out: &Path) -> Command {
    let mut c = itinera();
    c.args(["sweep", "--collect"]).arg(dir).arg("-o").arg(out);
    c
}

fn solve_all(dir: &Path) {
    for j in jobs(dir) {
        itinera()
            .arg("solve-part")
            .arg(dir.join(&j))
            .assert()
            .success();
    }
}

/// The made visits and the objective of a plan.json.
fn visits(path: &Path) -> (Vec<(String, String, String, u64)>, f64) {
    let p: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let mut v: Vec<_> = p["visits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["origin"] != "dropped")
        .map(|v| {
            (
                v["specialist"].as_str().unwrap().to_string(),
                v["locality"].as_str().unwrap().to_string(),
                v["start"].as_str().unwrap().to_string(),
                v["days"].as_u64().unwrap(),
            )
        })
        .collect();
    v.sort();
    (v, p["metrics"]["objective"].as_f64().unwrap())
}

/// `plan` exits 3 when the plan's gap is above --gap; the plan is written.
fn ok_or_gap(out: &std::process::Output) {
    let code = out.status.code();
    assert!(
        code == Some(0) || code == Some(3),
        "exit {code:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_split_solved_part_by_part_and_merged_is_the_plan_of_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let net = network(tmp.path());
    let out = itinera()
        .arg("plan")
        .arg(&net)
        .args(OPTS)
        .args(["--no-export", "-q", "-o"])
        .arg(tmp.path().join("local"))
        .output()
        .unwrap();
    ok_or_gap(&out);
    let dir = tmp.path().join("split");
    split(&net, &dir, &[]);
    assert_eq!(jobs(&dir), ["part-0", "part-1", "bound"]);
    solve_all(&dir);
    // Solving a finished job again leaves its result as it was.
    let before = std::fs::read(dir.join("part-0/result.json")).unwrap();
    itinera()
        .arg("solve-part")
        .arg(dir.join("part-0"))
        .assert()
        .success()
        .stderr(predicate::str::contains("ya tiene su resultado"));
    assert_eq!(
        before,
        std::fs::read(dir.join("part-0/result.json")).unwrap()
    );
    let merged = tmp.path().join("merged");
    let out = merge(&dir, &merged).output().unwrap();
    ok_or_gap(&out);
    let local = visits(&tmp.path().join("local/plan.json"));
    let split = visits(&merged.join("plan.json"));
    assert!(!local.0.is_empty());
    assert_eq!(local, split, "the split's plan differs from plan's");
    // Merging again writes the same plan.
    let first = std::fs::read(merged.join("plan.json")).unwrap();
    let out = merge(&dir, &merged).output().unwrap();
    ok_or_gap(&out);
    assert_eq!(first, std::fs::read(merged.join("plan.json")).unwrap());
    itinera()
        .arg("check")
        .arg(&net)
        .arg(merged.join("plan.json"))
        .assert()
        .success();
}

#[test]
fn merge_refuses_missing_parts_foreign_results_and_a_bound_above_the_objective() {
    let tmp = tempfile::tempdir().unwrap();
    let net = network(tmp.path());
    let dir = tmp.path().join("split");
    split(&net, &dir, &["--method", "compact"]);
    solve_all(&dir);
    let result = dir.join("part-1/result.json");
    let good = std::fs::read(&result).unwrap();

    // A part without its result: named, with how to resume.
    std::fs::remove_file(&result).unwrap();
    merge(&dir, &tmp.path().join("out"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("part-1 (1)"))
        .stderr(predicate::str::contains("submit.sh"));
    assert!(!tmp.path().join("out/plan.json").exists());

    // A result of another split (other options).
    let other = tmp.path().join("other");
    split(&net, &other, &["--method", "compact", "--pin-confirmed"]);
    itinera()
        .arg("solve-part")
        .arg(other.join("part-1"))
        .assert()
        .success();
    std::fs::copy(other.join("part-1/result.json"), &result).unwrap();
    merge(&dir, &tmp.path().join("out"))
        .args(["--lang", "en"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("belongs to another split"));

    // A bound above the part's objective.
    let mut r: serde_json::Value = serde_json::from_slice(&good).unwrap();
    let objective = r["objective"].as_f64().unwrap();
    r["bound"] = serde_json::json!(objective * 1.5 + 1.0);
    std::fs::write(&result, serde_json::to_vec(&r).unwrap()).unwrap();
    merge(&dir, &tmp.path().join("out"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("part-1"))
        .stderr(predicate::str::contains("mayor que su objetivo"));

    // A sweep's collect is not a merge.
    collect(&dir, &tmp.path().join("out"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("itinera merge"));
}

#[test]
fn a_scenario_changed_after_the_split_or_a_used_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let net = network(tmp.path());
    let dir = tmp.path().join("split");
    split(&net, &dir, &["--method", "compact"]);
    // Splitting into a folder that holds files touches nothing.
    let before = std::fs::read(dir.join("split.json")).unwrap();
    itinera()
        .arg("plan")
        .arg(&net)
        .arg("--parts-to")
        .arg(&dir)
        .assert()
        .failure()
        .stderr(predicate::str::contains("no está vacía"));
    assert_eq!(before, std::fs::read(dir.join("split.json")).unwrap());
    // The copy holds personal data: owner-only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir.join("scenario/specialists.csv")), 0o600);
        assert_eq!(mode(&dir.join("part-0/job.json")), 0o600);
        assert_eq!(mode(&dir), 0o700);
    }
    let demand = dir.join("scenario/demand.csv");
    let mut text = std::fs::read_to_string(&demand).unwrap();
    let repeated = format!("{}\n", text.lines().nth(1).unwrap());
    text.push_str(&repeated);
    std::fs::write(&demand, text).unwrap();
    itinera()
        .arg("solve-part")
        .arg(dir.join("part-0"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("cambió después de dividir"));
    assert!(!dir.join("part-0/result.json").exists());
}

#[test]
fn run_local_solves_every_part_and_merges() {
    let tmp = tempfile::tempdir().unwrap();
    let net = network(tmp.path());
    let dir = tmp.path().join("split");
    split(&net, &dir, &["--method", "compact"]);
    let out = std::process::Command::new("bash")
        .arg(dir.join("run-local.sh"))
        .env("ITINERA", assert_cmd::cargo::cargo_bin("itinera"))
        .output()
        .unwrap();
    ok_or_gap(&out);
    for j in jobs(&dir) {
        assert!(dir.join(&j).join("result.json").is_file(), "{j}");
    }
    assert!(dir.join("out/plan.json").is_file());
    assert!(dir.join("out/report.html").is_file());
}

#[test]
fn slurm_scripts_submit_an_array_and_a_dependent_merge() {
    let tmp = tempfile::tempdir().unwrap();
    let net = network(tmp.path());
    let dir = tmp.path().join("split");
    split(&net, &dir, &["--emit", "slurm"]);
    for f in ["submit.sh", "part.sbatch", "merge.sbatch"] {
        let ok = std::process::Command::new("bash")
            .arg("-n")
            .arg(dir.join(f))
            .status()
            .unwrap();
        assert!(ok.success(), "{f} is not valid bash");
    }
    let submit = std::fs::read_to_string(dir.join("submit.sh")).unwrap();
    assert!(submit.contains("sbatch --parsable --array=\"$list\""));
    assert!(submit.contains("--dependency=afterok:"));
    let part = std::fs::read_to_string(dir.join("part.sbatch")).unwrap();
    assert!(part.contains("#SBATCH --cpus-per-task=1"));
    assert!(part.contains("#SBATCH --mem="));
    assert!(part.contains("solve-part \"$DIR/$job\""));
    let merge = std::fs::read_to_string(dir.join("merge.sbatch")).unwrap();
    assert!(merge.contains("merge \"$DIR\" -o \"$OUT\" --quiet"));
    // The binary every node runs is this one, copied.
    assert_eq!(
        std::fs::read(dir.join("bin/itinera")).unwrap(),
        std::fs::read(assert_cmd::cargo::cargo_bin("itinera")).unwrap()
    );
}

#[test]
fn k8s_manifests_are_an_indexed_job_and_a_merge_job() {
    let tmp = tempfile::tempdir().unwrap();
    let net = network(tmp.path());
    let dir = tmp.path().join("split");
    split(&net, &dir, &["--emit", "k8s"]);
    let n = jobs(&dir).len() as u64;
    let read = |f: &str| -> serde_json::Value {
        serde_saphyr::from_str(&std::fs::read_to_string(dir.join("k8s").join(f)).unwrap()).unwrap()
    };
    let parts = read("parts.yaml");
    assert_eq!(parts["apiVersion"], "batch/v1");
    assert_eq!(parts["kind"], "Job");
    assert_eq!(parts["spec"]["completionMode"], "Indexed");
    assert_eq!(parts["spec"]["completions"].as_u64(), Some(n));
    let pod = &parts["spec"]["template"]["spec"];
    assert_eq!(pod["restartPolicy"], "Never");
    let c = &pod["containers"][0];
    let args = c["args"][0].as_str().unwrap();
    assert!(args.contains("solve-part") && args.contains("JOB_COMPLETION_INDEX"));
    assert_eq!(c["volumeMounts"][0]["mountPath"], "/split");
    assert_eq!(
        pod["volumes"][0]["persistentVolumeClaim"]["claimName"],
        "itinera-split"
    );
    assert!(
        c["resources"]["requests"]["memory"]
            .as_str()
            .unwrap()
            .ends_with("Mi")
    );
    let merge = read("merge.yaml");
    assert_eq!(merge["kind"], "Job");
    assert_eq!(merge["spec"]["completions"].as_u64(), Some(1));
    let args = merge["spec"]["template"]["spec"]["containers"][0]["args"][0]
        .as_str()
        .unwrap();
    assert!(args.contains("itinera merge $DIR -o $OUT"));
}

#[test]
fn a_sweep_as_jobs_is_collected_into_its_comparison() {
    let tmp = tempfile::tempdir().unwrap();
    let net = network(tmp.path());
    let what_if = tmp.path().join("cierre.yaml");
    std::fs::write(
        &what_if,
        "name: Doble demanda\ndemand:\n  - { locality: pueblo-1, specialty: pediatrics, add_waiting: 40 }\n",
    )
    .unwrap();
    let dir = tmp.path().join("jobs");
    itinera()
        .arg("sweep")
        .arg(&net)
        .arg("--what-if")
        .arg(&what_if)
        .args(["--time-limit", "5"])
        .arg("--jobs-to")
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("2 variante(s)"));
    assert_eq!(jobs(&dir), ["variant-base", "variant-doble-demanda"]);
    // Collecting before every variant is solved names the missing one.
    itinera()
        .arg("solve-part")
        .arg(dir.join("variant-base"))
        .assert()
        .success();
    collect(&dir, &tmp.path().join("out"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("variant-doble-demanda (1)"));
    itinera()
        .arg("solve-part")
        .arg(dir.join("variant-doble-demanda"))
        .assert()
        .success();
    let out = collect(&dir, &tmp.path().join("out")).output().unwrap();
    ok_or_gap(&out);
    let csv = std::fs::read_to_string(tmp.path().join("out/compare.csv")).unwrap();
    assert!(
        csv.contains("base") && csv.contains("doble-demanda"),
        "{csv}"
    );
    assert!(tmp.path().join("out/doble-demanda/diff.csv").is_file());
}
