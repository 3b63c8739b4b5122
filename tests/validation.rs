//! Every broken fixture under tests/broken fails with exactly the diagnostics
//! it names, and the tiny scenario loads.

mod common;

use itinera::scenario::{self, ScenarioError};
use std::fs;

#[test]
fn tiny_scenario_is_valid() {
    let s = scenario::load(&common::repo("scenarios/tiny")).expect("tiny is valid");
    assert_eq!(s.localities.len(), 4);
    assert_eq!(s.persons.len(), 3, "card-m and card-c are one person");
    assert_eq!(s.persons[0].records.len(), 2);
    assert_eq!(s.calendar.len(), 8);
    assert_eq!(s.horizon.holidays.len(), 2);
}

#[test]
fn every_broken_fixture_reports_exactly_its_errors() {
    let mut names = Vec::new();
    let mut failures = Vec::new();
    let mut paths: Vec<_> = fs::read_dir(common::repo("tests/broken"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    for path in paths {
        let fx = common::fixture(&path);
        names.push(fx.name.clone());
        let code_in_name = fx.name.split('-').next().unwrap().to_string();
        assert!(
            fx.expected.iter().any(|(c, _, _)| *c == code_in_name),
            "{}: a fixture must expect the code it is named after",
            fx.name
        );
        let got = match scenario::load(fx.dir.path()) {
            Ok(_) => {
                failures.push(format!("{}: loaded without error", fx.name));
                continue;
            }
            Err(ScenarioError::Invalid(d)) => d,
        };
        for diag in &got {
            assert!(!diag.message.is_empty() && !diag.fix.is_empty(), "{diag}");
            // Written in both languages: the Spanish words differ from
            // the English ones (a message left in English fails here).
            assert!(
                common::spanish(&diag.message) && common::spanish(&diag.fix),
                "{}: not translated: {diag}",
                fx.name
            );
            // Person ids are national ids in Santa Cruz: never in a message.
            for lang in [itinera::lang::Lang::Es, itinera::lang::Lang::En] {
                let text = diag.render(lang);
                assert!(
                    !text
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|w| ["P1", "P2", "P3"].contains(&w)),
                    "{}: a person id in {text}",
                    fx.name
                );
            }
        }
        let mut actual: Vec<(String, String, Option<u64>)> = got
            .iter()
            .map(|d| {
                let file = d.file.strip_prefix(fx.dir.path()).unwrap_or(&d.file);
                (d.code.to_string(), file.display().to_string(), d.line)
            })
            .collect();
        actual.sort();
        if actual != fx.expected {
            let shown: Vec<String> = got.iter().map(ToString::to_string).collect();
            failures.push(format!(
                "{}:\n  expected {:?}\n  got      {:?}\n  {}",
                fx.name,
                fx.expected,
                actual,
                shown.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every validation code has a fixture named after it.
    for code in scenario::Code::ALL.iter().filter(|c| c.as_str() < "E1600") {
        assert!(
            names.iter().any(|n| n.starts_with(code.as_str())),
            "no broken fixture for {code}"
        );
    }
}

#[test]
fn all_problems_are_reported_at_once() {
    let dir = common::tiny_copy();
    let p = dir.path().join("roads.csv");
    let roads = fs::read_to_string(&p).unwrap();
    fs::write(&p, roads.replace("alfa,beta,100", "alfa,betta,-100")).unwrap();
    let p = dir.path().join("demand.csv");
    let demand = fs::read_to_string(&p).unwrap();
    fs::write(&p, demand.replace("gamma,cardiology", "gamma,cardiologie")).unwrap();
    let Err(ScenarioError::Invalid(d)) = scenario::load(dir.path()) else {
        panic!("must fail")
    };
    let codes: Vec<&str> = d.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, vec!["E1203", "E1202", "E1301"], "{d:?}");
    let road = d.iter().find(|x| x.code.as_str() == "E1202").unwrap();
    assert_eq!((road.line, road.column), (Some(2), Some(2)));
    assert_eq!(road.field, "to");
}

#[test]
fn every_code_is_documented() {
    let doc = fs::read_to_string(common::repo("docs/errors.md")).unwrap();
    for code in scenario::Code::ALL {
        assert!(
            doc.contains(&format!("| {} |", code.as_str())),
            "docs/errors.md lacks {code}"
        );
    }
}

#[test]
fn every_range_is_documented() {
    let doc = fs::read_to_string(common::repo("docs/scenario.md")).unwrap();
    for (what, range) in itinera::scenario::limits::ALL {
        assert!(
            doc.contains(&range.describe().en),
            "docs/scenario.md lacks the range of {what}: {}",
            range.describe().en
        );
    }
}

#[test]
fn a_file_saved_as_windows_1252_gets_one_clear_error() {
    let dir = common::tiny_copy();
    let p = dir.path().join("localities.csv");
    let mut bytes = fs::read(&p).unwrap();
    // "Río" in Windows-1252: í is the single byte 0xED.
    bytes.extend_from_slice(b"rio,R\xEDo,Sur,-50.0,-69.0,100\n");
    fs::write(&p, bytes).unwrap();
    let Err(ScenarioError::Invalid(d)) = scenario::load(dir.path()) else {
        panic!("must fail")
    };
    assert_eq!(d.len(), 1, "follow-on errors are left out: {d:?}");
    assert_eq!(d[0].code.as_str(), "E1001");
    assert_eq!(d[0].line, Some(6), "the line of the first bad byte");
    assert!(d[0].fix.contains("CSV UTF-8"), "{}", d[0].fix);
}

#[test]
fn messages_carry_no_library_advice() {
    let dir = common::tiny_copy();
    let p = dir.path().join("scenario.yaml");
    let yaml = fs::read_to_string(&p).unwrap();
    fs::write(
        &p,
        yaml.replace("  per_km: 500\n", "  per_km: 500\n  per_km: 600\n"),
    )
    .unwrap();
    let Err(ScenarioError::Invalid(d)) = scenario::load(dir.path()) else {
        panic!("must fail")
    };
    let text: Vec<String> = d.iter().map(ToString::to_string).collect();
    let text = text.join("\n");
    assert!(text.contains("per_km"), "{text}");
    assert!(
        !text.contains("DuplicateKeyPolicy") && !text.contains("Options"),
        "{text}"
    );
    assert!(!text.contains(" : "), "no empty field: {text}");
}
