//! Property test: no mutation of a scenario's files makes itinera panic. A
//! mutated scenario either loads (and then merges, conflicts and evaluates) or
//! is rejected with located, coded diagnostics.

mod common;

use itinera::calendar::{self, conflicts, status_quo};
use itinera::network::RoadNetwork;
use itinera::scenario::{self, ScenarioError};
use proptest::prelude::*;
use std::fs;

const FILES: [&str; 8] = [
    "scenario.yaml",
    "localities.csv",
    "roads.csv",
    "facilities.csv",
    "specialists.csv",
    "demand.csv",
    "calendar-ministry.csv",
    "calendar-css.csv",
];

/// Bytes that tend to break parsers: separators, quotes, signs, digits, junk.
const NASTY: &[u8] = b",;:\n\"'-.0129[]{}#x \t\xff";

#[derive(Debug, Clone)]
enum Mutation {
    SetByte {
        at: usize,
        byte: u8,
    },
    DeleteLine(usize),
    DuplicateLine(usize),
    Truncate(usize),
    SwapCells {
        line: usize,
        a: usize,
        b: usize,
    },
    ReplaceCell {
        line: usize,
        cell: usize,
        with: String,
    },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), prop::sample::select(NASTY))
            .prop_map(|(at, byte)| Mutation::SetByte { at, byte }),
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 0..10usize, 0..10usize).prop_map(|(line, a, b)| Mutation::SwapCells {
            line,
            a,
            b
        }),
        (
            any::<usize>(),
            0..10usize,
            prop::sample::select(vec![
                "",
                "-1",
                "0",
                "99999999999",
                "1e308",
                "NaN",
                "2027-02-30",
                "2027-03-06",
                "2026-01-05",
                "9999-12-31",
                "alfa",
                "P1",
                "css",
                "x..y",
                "2027-04-09..2027-04-01",
                "ministry",
                "gravel",
                "confirmed",
                "4294967296",
                "4000000000",
            ]),
        )
            .prop_map(|(line, cell, with)| Mutation::ReplaceCell {
                line,
                cell,
                with: with.to_string()
            }),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines.len().max(1);
    match m {
        Mutation::SetByte { at, byte } => {
            if !bytes.is_empty() {
                let i = at % bytes.len();
                bytes[i] = *byte;
            }
            return;
        }
        Mutation::Truncate(at) => {
            bytes.truncate(at % (bytes.len() + 1));
            return;
        }
        Mutation::DeleteLine(i) => {
            if !lines.is_empty() {
                lines.remove(i % n);
            }
        }
        Mutation::DuplicateLine(i) => {
            if !lines.is_empty() {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
        }
        Mutation::SwapCells { line, a, b } => {
            if !lines.is_empty() {
                let mut cells: Vec<String> =
                    lines[line % n].split(',').map(str::to_string).collect();
                let k = cells.len();
                cells.swap(a % k, b % k);
                lines[line % n] = cells.join(",");
            }
        }
        Mutation::ReplaceCell { line, cell, with } => {
            if !lines.is_empty() {
                let mut cells: Vec<String> =
                    lines[line % n].split(',').map(str::to_string).collect();
                let k = cells.len();
                cells[cell % k] = with.clone();
                lines[line % n] = cells.join(",");
            }
        }
    }
    *bytes = (lines.join("\n") + "\n").into_bytes();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(400), ..ProptestConfig::default() })]

    #[test]
    fn mutated_scenarios_never_panic(
        edits in prop::collection::vec((0..FILES.len(), mutation()), 1..4)
    ) {
        let dir = common::tiny_copy();
        for (f, m) in &edits {
            let path = dir.path().join(FILES[*f]);
            let mut bytes = fs::read(&path).unwrap();
            apply(&mut bytes, m);
            fs::write(&path, bytes).unwrap();
        }
        match scenario::load(dir.path()) {
            Ok(s) => {
                let net = RoadNetwork::new(&s);
                let visits = calendar::merge(&s);
                let found = conflicts::find(&s, &net, &visits);
                let m = status_quo::evaluate(&s, &net, &visits, &found);
                prop_assert_eq!(m.visits, s.calendar.len());
            }
            Err(ScenarioError::Invalid(diags)) => {
                prop_assert!(!diags.is_empty());
                for d in &diags {
                    prop_assert!(d.file.starts_with(dir.path()), "{}", d);
                    prop_assert!(d.code.as_str().starts_with('E'));
                    prop_assert!(!d.message.is_empty() && !d.fix.is_empty(), "{}", d);
                    prop_assert!(common::spanish(&d.message) && common::spanish(&d.fix), "not translated: {}", d);
                }
            }
        }
    }
}
