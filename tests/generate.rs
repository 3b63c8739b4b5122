//! Synthetic scenarios: the same seed gives the same files; every
//! generated scenario passes the validator; a small one plans, and its plan
//! passes the independent checker.

mod common;

use itinera::generate::{Params, generate};
use itinera::network::RoadNetwork;
use itinera::optimize::Options;
use itinera::{check, plan, scenario};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn write(p: &Params) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in generate(p).expect("valid parameters") {
        std::fs::write(dir.path().join(f.name), f.text).unwrap();
    }
    dir
}

#[test]
fn the_same_seed_gives_the_same_files_and_another_seed_others() {
    let p = Params {
        localities: 40,
        specialists: 90,
        weeks: 26,
        seed: 11,
    };
    assert_eq!(generate(&p).unwrap(), generate(&p).unwrap());
    let other = generate(&Params { seed: 12, ..p }).unwrap();
    assert_ne!(generate(&p).unwrap(), other);
}

#[test]
fn a_generated_scenario_looks_like_a_province() {
    let p = Params {
        localities: 50,
        specialists: 120,
        weeks: 52,
        seed: 3,
    };
    let dir = write(&p);
    let s = scenario::load(dir.path()).expect("valid scenario");
    assert_eq!(s.localities.len(), 50);
    assert_eq!(s.specialists.len(), 120);
    // Some persons hold a record in each institution.
    let shared = s.persons.iter().filter(|x| x.records.len() == 2).count();
    assert!(shared > 5 && shared < 40, "{shared}");
    // Every specialty is practised and waited for.
    for sp in 0..s.specialties.len() {
        assert!(s.specialists.iter().any(|r| r.specialty.index() == sp));
        assert!(s.demand.iter().any(|d| d.specialty.index() == sp));
    }
    // Both calendars exist and collide somewhere.
    let net = RoadNetwork::new(&s);
    let merged = itinera::calendar::merge(&s);
    let found = itinera::calendar::conflicts::find(&s, &net, &merged);
    assert!(!found.is_empty());
    assert!(s.calendar.len() > 300);
}

#[test]
fn a_small_generated_scenario_plans_and_checks() {
    let dir = write(&Params {
        localities: 12,
        specialists: 20,
        weeks: 8,
        seed: 5,
    });
    let s = scenario::load(dir.path()).expect("valid scenario");
    let net = RoadNetwork::new(&s);
    let opts = Options {
        time_limit: 5.0,
        threads: 1,
        ..Options::default()
    };
    let sol = plan::solve(&s, &net, &opts, None).expect("solver runs");
    assert!(sol.status.has_plan(), "{:?}", sol.status);
    let p = plan::assemble(&s, &net, &sol, BTreeMap::new()).expect("plan assembles");
    let found = check::check(&s, &net, &p);
    assert!(found.is_empty(), "{found:#?}");
    assert!(p.metrics.visits > 0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever the size and seed, the validator accepts the scenario.
    #[test]
    fn every_generated_scenario_is_valid(
        localities in 4usize..80,
        specialists in 14usize..150,
        weeks in 1u32..60,
        seed in any::<u64>(),
    ) {
        let dir = write(&Params { localities, specialists, weeks, seed });
        let s = scenario::load(dir.path());
        prop_assert!(s.is_ok(), "{:?}", s.err());
    }
}
