//! Shared helpers: scenario fixtures made by patching `scenarios/tiny`.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// Path of a file in the repository.
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Copy `scenarios/tiny` into a fresh temporary folder.
pub fn tiny_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in fs::read_dir(repo("scenarios/tiny")).expect("tiny scenario") {
        let entry = entry.expect("dir entry");
        if entry.path().is_file() {
            fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
        }
    }
    dir
}

/// A broken fixture: how to break `tiny`, and what must be reported.
pub struct Fixture {
    pub name: String,
    pub dir: tempfile::TempDir,
    /// Expected `(code, file, line)` of every diagnostic, sorted.
    pub expected: Vec<(String, String, Option<u64>)>,
}

/// Apply a fixture file to a copy of `tiny`.
///
/// Format, one directive per line (`#` starts a comment):
/// - `patch FILE` followed by `- old line` / `+ new line` lines: the block of
///   `-` lines must appear exactly once and is replaced by the `+` lines;
/// - `append FILE` followed by `+ line` lines;
/// - `delete FILE`;
/// - `expect CODE FILE[:LINE]`: one diagnostic that must be reported.
pub fn fixture(path: &Path) -> Fixture {
    let text = fs::read_to_string(path).expect("fixture");
    let dir = tiny_copy();
    let mut expected = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (cmd, arg) = line.split_once(' ').unwrap_or((line, ""));
        let mut block = |prefix: &str| -> Vec<String> {
            let mut out = Vec::new();
            while let Some(l) = lines.peek() {
                if let Some(rest) = l.strip_prefix(prefix) {
                    out.push(rest.to_string());
                    lines.next();
                } else if l.trim() == prefix.trim() {
                    out.push(String::new());
                    lines.next();
                } else {
                    break;
                }
            }
            out
        };
        match cmd {
            "patch" => {
                let old = block("- ");
                let new = block("+ ");
                let file = dir.path().join(arg);
                let content = fs::read_to_string(&file).expect("file to patch");
                let old = old.join("\n") + "\n";
                let new = if new.is_empty() {
                    String::new()
                } else {
                    new.join("\n") + "\n"
                };
                assert_eq!(
                    content.matches(&old).count(),
                    1,
                    "{}: the `-` block must match {arg} exactly once",
                    path.display()
                );
                fs::write(&file, content.replacen(&old, &new, 1)).expect("write");
            }
            "append" => {
                let new = block("+ ");
                let file = dir.path().join(arg);
                let mut content = fs::read_to_string(&file).expect("file to append to");
                for l in new {
                    content.push_str(&l);
                    content.push('\n');
                }
                fs::write(&file, content).expect("write");
            }
            "delete" => fs::remove_file(dir.path().join(arg)).expect("delete"),
            "expect" => {
                let (code, loc) = arg.split_once(' ').expect("expect CODE FILE[:LINE]");
                let (file, line) = match loc.split_once(':') {
                    Some((f, l)) => (f.to_string(), Some(l.parse().expect("line number"))),
                    None => (loc.to_string(), None),
                };
                expected.push((code.to_string(), file, line));
            }
            other => panic!("{}: unknown directive `{other}`", path.display()),
        }
    }
    expected.sort();
    Fixture {
        name: path.file_stem().unwrap().to_string_lossy().into_owned(),
        dir,
        expected,
    }
}

/// Replan `current` under `s` from `from` (1 thread, solved to optimality)
/// and assert the new plan passes the checker; the plan and its diff.
pub fn replan_and_check(
    s: &itinera::model::Scenario,
    current: &itinera::plan::format::Plan,
    from: chrono::NaiveDate,
) -> (
    itinera::plan::format::Plan,
    Vec<itinera::plan::diff::Change>,
) {
    use itinera::plan::{self, replan};
    let net = itinera::network::RoadNetwork::new(s);
    let opts = itinera::optimize::Options {
        time_limit: 60.0,
        gap: 0.0,
        threads: 1,
        ..itinera::optimize::Options::default()
    };
    let (prepared, sol) =
        replan::solve(s, &net, current, from, &opts, None).expect("replan solves");
    assert!(sol.status.has_plan(), "{:?}", sol.status);
    let mut p = plan::assemble(s, &net, &sol, Default::default()).expect("plan assembles");
    let changes = replan::finish(s, &prepared, current, &sol, &mut p);
    let found = itinera::check::check(s, &net, &p);
    assert!(found.is_empty(), "{found:#?}");
    (p, changes)
}

/// Whether a message reads as Spanish next to its English: a different
/// text, without the English words every untranslated message has.
pub fn spanish(t: &itinera::lang::Text) -> bool {
    let english = [
        " the ", " is ", " must ", " and ", " not ", "cannot", " with ",
    ];
    let words = format!(" {} ", t.es.to_lowercase());
    t.es != t.en && !english.iter().any(|w| words.contains(w))
}

/// Tiny and its plan solved to optimality (once per test binary).
pub fn tiny_solved() -> &'static (itinera::model::Scenario, itinera::plan::format::Plan) {
    static TINY: std::sync::OnceLock<(itinera::model::Scenario, itinera::plan::format::Plan)> =
        std::sync::OnceLock::new();
    TINY.get_or_init(|| {
        let s = itinera::scenario::load(&repo("scenarios/tiny")).expect("tiny");
        let net = itinera::network::RoadNetwork::new(&s);
        let opts = itinera::optimize::Options {
            time_limit: 30.0,
            gap: 0.0,
            threads: 1,
            ..itinera::optimize::Options::default()
        };
        let sol = itinera::plan::solve(&s, &net, &opts, None).expect("solves");
        let p = itinera::plan::assemble(&s, &net, &sol, Default::default()).expect("assembles");
        (s, p)
    })
}
