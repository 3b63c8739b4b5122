//! Synthetic scenarios: the same seed gives the same files; every
//! generated scenario passes the validator; a small one plans, and its plan
//! passes the independent checker; regions are planned apart.

mod common;

use itinera::generate::{Params, generate};
use itinera::network::RoadNetwork;
use itinera::optimize::Options;
use itinera::{check, plan, scenario};
use proptest::prelude::*;

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
        regions: None,
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
        regions: None,
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
        regions: None,
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
    let p = plan::assemble(&s, &net, &sol, Default::default()).expect("plan assembles");
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
        regions in proptest::option::of(1usize..6),
    ) {
        // At most one region per hub city and per 14 records.
        let hubs = (localities / 10).max(2).min(localities);
        let regions = regions.map(|r| r.min(hubs).min(specialists / 14).max(1));
        let dir = write(&Params { localities, specialists, weeks, seed, regions });
        let s = scenario::load(dir.path());
        prop_assert!(s.is_ok(), "{:?}", s.err());
    }
}

#[test]
fn regions_are_planned_apart_and_their_bounds_add_up() {
    let dir = write(&Params {
        localities: 40,
        specialists: 60,
        weeks: 8,
        seed: 7,
        regions: Some(2),
    });
    let s = scenario::load(dir.path()).expect("valid scenario");
    assert_eq!(s.regions(), vec!["Provincia 1", "Provincia 2"]);
    // Nobody holds records in two regions, so they are independent.
    assert_eq!(itinera::optimize::region_groups(&s).len(), 2);
    let net = RoadNetwork::new(&s);
    let opts = Options {
        time_limit: 10.0,
        ..Options::default()
    };
    let sol = plan::solve(&s, &net, &opts, None).expect("solver runs");
    assert!(sol.status.has_plan(), "{:?}", sol.status);
    // Every part is one region's; both regions are planned.
    let mut planned = std::collections::BTreeSet::new();
    for c in &sol.components {
        assert_eq!(c.regions.len(), 1, "{c:?}");
        planned.insert(c.regions[0].clone());
    }
    assert_eq!(planned.len(), 2);
    // The program's bound is the parts' sum, and only when every part
    // proved one; the plan's is the better of it and column generation's.
    let bounds: Option<f64> = sol.components.iter().map(|c| c.bound).sum();
    let lagrangian = sol.colgen.as_ref().map(|c| c.value);
    assert!(lagrangian.is_some(), "column generation gives a bound");
    let best = bounds
        .into_iter()
        .chain(lagrangian)
        .fold(f64::NEG_INFINITY, f64::max);
    let a = sol.bound.expect("a bound");
    assert!(
        (a - best).abs() <= 1e-6 * best.abs().max(1.0),
        "{a} vs {best}"
    );
    assert_eq!(
        sol.bound_kind,
        Some(if bounds.is_some_and(|b| b >= best) {
            "mip"
        } else {
            "lagrangian"
        })
    );
    let p = plan::assemble(&s, &net, &sol, Default::default()).expect("plan assembles");
    assert!(check::check(&s, &net, &p).is_empty());
    let region_of = |code: &str| {
        let l = s.localities.iter().find(|l| l.code == code).unwrap();
        l.region.clone()
    };
    for v in &p.visits {
        let rec = s
            .specialists
            .iter()
            .find(|r| r.code == v.specialist)
            .unwrap();
        assert_eq!(
            region_of(&v.locality),
            s.locality(rec.base).region,
            "{}",
            v.id
        );
    }
    // Moving a visit across the border breaks the rule `region`.
    let mut moved = p.clone();
    let v = &mut moved.visits[0];
    let here = region_of(&v.locality);
    let there = s
        .facilities
        .iter()
        .find(|f| s.locality(f.locality).region != here)
        .expect("a facility in the other region");
    v.locality = s.locality(there.locality).code.clone();
    v.facility = there.code.clone();
    let found = check::check(&s, &net, &moved);
    assert!(found.iter().any(|x| x.rule == "region"), "{found:#?}");
}
