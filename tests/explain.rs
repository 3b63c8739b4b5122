//! `explain`: the reasons of each list's longest run without a visit add up
//! to the weeks its persons could have gone, and name the trips they made
//! instead.

mod common;

use itinera::network::RoadNetwork;
use itinera::optimize::budget::Kind;
use itinera::optimize::{Budget, Context, Options};
use itinera::plan::{self, explain};

fn solved(s: &itinera::model::Scenario, budgets: Vec<Budget>) -> plan::format::Plan {
    let net = RoadNetwork::new(s);
    let opts = Options {
        time_limit: 30.0,
        threads: 1,
        budgets,
        ..Options::default()
    };
    let sol = plan::solve(s, &net, &opts, None).unwrap();
    plan::assemble(s, &net, &sol, plan::format::SolveOptions::of(&opts)).unwrap()
}

#[test]
fn with_no_travel_every_list_waits_and_every_week_is_accounted_for() {
    let (s, _) = common::tiny_solved();
    let net = RoadNetwork::new(s);
    let ctx = Context::new(s, &net);
    let none = solved(
        s,
        vec![Budget {
            kind: Kind::Km,
            limit: 0.0,
        }],
    );
    let found = explain::explain(&ctx, &none, &|_, _| true, false);
    assert_eq!(found.len(), s.demand.len(), "every list goes without");
    for e in &found {
        assert_eq!(e.length, s.horizon.weeks);
        let counted =
            e.unavailable + e.road_closed + e.elsewhere + e.monthly_limit + e.rooms_full + e.free;
        assert_eq!(counted as usize, e.persons * e.length as usize, "{e:?}");
        assert_eq!(e.elsewhere, 0, "no trips were made: {e:?}");
        assert!(e.free > 0);
        assert!(!e.unreachable());
    }
}

#[test]
fn the_optimal_plan_names_where_the_persons_went() {
    let (s, p) = common::tiny_solved();
    let net = RoadNetwork::new(s);
    let ctx = Context::new(s, &net);
    // Every list, even within its gap, explained on request.
    let all = explain::explain(&ctx, p, &|_, _| true, true);
    assert_eq!(all.len(), s.demand.len());
    for e in &all {
        let counted =
            e.unavailable + e.road_closed + e.elsewhere + e.monthly_limit + e.rooms_full + e.free;
        assert_eq!(counted as usize, e.persons * e.length as usize, "{e:?}");
        let went: u32 = e.went_to.values().sum();
        assert!(
            went >= e.elsewhere,
            "each trip elsewhere has its stops: {e:?}"
        );
    }
    // Only beyond the max gap by default: a subset.
    let beyond = explain::explain(&ctx, p, &|_, _| true, false);
    assert!(beyond.iter().all(|e| e.length > e.max_gap));
}

#[test]
fn the_report_says_why_lists_go_without() {
    let (s, _) = common::tiny_solved();
    let none = solved(
        s,
        vec![Budget {
            kind: Kind::Km,
            limit: 0.0,
        }],
    );
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    std::fs::write(&plan, serde_json::to_vec(&none).unwrap()).unwrap();
    assert_cmd::Command::cargo_bin("itinera")
        .unwrap()
        .args(["export", "scenarios/tiny"])
        .arg(&plan)
        .arg("-o")
        .arg(dir.path().join("pub"))
        .current_dir(common::repo(""))
        .assert()
        .success();
    let report = std::fs::read_to_string(dir.path().join("pub/report.html")).unwrap();
    assert!(
        report.contains("Listas desatendidas y por qué"),
        "section missing"
    );
    assert!(report.contains("libres sin enviar"));
}

#[test]
fn forcing_a_visit_never_beats_the_optimum_and_is_impossible_without_travel() {
    let (s, p) = common::tiny_solved();
    let net = RoadNetwork::new(s);
    let ctx = Context::new(s, &net);
    let opts = Options {
        time_limit: 30.0,
        gap: 0.0,
        threads: 1,
        ..Options::default()
    };
    let all = explain::explain(&ctx, p, &|_, _| true, true);
    let mut tried = 0;
    for e in all.iter().filter(|e| e.length > 0) {
        match explain::forced_cost(s, &net, p, e, &opts).unwrap() {
            explain::Forced::Plan { extra, .. } => {
                assert!(
                    extra >= -1e-3,
                    "forcing a visit improved the optimum: {extra} ({e:?})"
                );
                tried += 1;
            }
            other => panic!("{other:?} for {e:?}"),
        }
    }
    assert!(tried > 0);
    // Under a budget of no travel at all, no visit can be forced.
    let none = solved(
        s,
        vec![Budget {
            kind: Kind::Km,
            limit: 0.0,
        }],
    );
    let e = &explain::explain(&ctx, &none, &|_, _| true, false)[0];
    assert_eq!(
        explain::forced_cost(s, &net, &none, e, &opts).unwrap(),
        explain::Forced::Infeasible
    );
}

#[test]
fn a_list_no_one_can_reach_in_a_week_is_said_so_and_cannot_be_forced() {
    // Delta is 3,000 km from gamma: five days' drive each way.
    let dir = common::tiny_copy();
    let roads = dir.path().join("roads.csv");
    let text = std::fs::read_to_string(&roads).unwrap();
    std::fs::write(&roads, text.replace("gamma,delta,30,", "gamma,delta,3000,")).unwrap();
    let s = itinera::scenario::load(dir.path()).expect("still connected by road");
    let net = RoadNetwork::new(&s);
    let p = solved(&s, Vec::new());
    let ctx = Context::new(&s, &net);
    let found = explain::explain(&ctx, &p, &|l, _| l == "delta", false);
    assert!(!found.is_empty(), "delta waits");
    let opts = Options {
        time_limit: 30.0,
        gap: 0.0,
        threads: 1,
        ..Options::default()
    };
    for e in &found {
        assert!(e.unreachable(), "{e:?}");
        assert_eq!(e.length, s.horizon.weeks);
        assert_eq!(
            explain::forced_cost(&s, &net, &p, e, &opts).unwrap(),
            explain::Forced::Infeasible
        );
    }
}

#[test]
fn an_unknown_locality_or_specialty_is_an_error_naming_the_id_to_use() {
    let (s, _) = common::tiny_solved();
    let p = solved(s, Vec::new());
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    std::fs::write(&plan, serde_json::to_vec(&p).unwrap()).unwrap();
    let loc = &s.localities[0];
    // The display name rather than the id: refused, with the id suggested.
    let out = assert_cmd::Command::cargo_bin("itinera")
        .unwrap()
        .args(["explain", "scenarios/tiny"])
        .arg(&plan)
        .args(["--locality", &loc.name])
        .current_dir(common::repo(""))
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("localities.csv"), "{err}");
    assert!(err.contains(&format!("({}", loc.code)), "{err}");
    assert_cmd::Command::cargo_bin("itinera")
        .unwrap()
        .args(["--lang", "en", "explain", "scenarios/tiny"])
        .arg(&plan)
        .args(["--specialty", "no-such-specialty"])
        .current_dir(common::repo(""))
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "not in the scenario's specialties.csv",
        ));
}
