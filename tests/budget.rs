//! Travel budgets: every plan keeps its budget (checked independently),
//! the frontier is monotone within each point's gap, the column-generation
//! bound stays below the budgeted optimum, and `check` refuses a plan whose
//! trips overrun the budget it claims.

mod common;

use itinera::network::RoadNetwork;
use itinera::optimize::budget::Kind;
use itinera::optimize::{Budget, Context, Options, colgen};
use itinera::plan;
use itinera::scenario;
use std::time::{Duration, Instant};

fn solve(s: &itinera::model::Scenario, budgets: Vec<Budget>) -> plan::format::Plan {
    let net = RoadNetwork::new(s);
    let opts = Options {
        time_limit: 60.0,
        gap: 0.0,
        threads: 1,
        budgets,
        ..Options::default()
    };
    let sol = plan::solve(s, &net, &opts, None).expect("solves");
    assert!(sol.status.has_plan(), "{:?}", sol.status);
    let p = plan::assemble(s, &net, &sol, Default::default()).expect("assembles");
    let found = itinera::check::check(s, &net, &p);
    assert!(found.is_empty(), "{found:#?}");
    p
}

#[test]
fn plans_keep_their_budgets_and_the_frontier_is_monotone_within_the_gaps() {
    let s = scenario::load(&common::repo("scenarios/tiny")).unwrap();
    let free = solve(&s, Vec::new());
    let top = free.metrics.km;
    assert!(top > 0.0);
    let mut points = Vec::new();
    for share in [0.0, 0.2, 0.55, 1.0] {
        let limit = top * share;
        let p = solve(
            &s,
            vec![Budget {
                kind: Kind::Km,
                limit,
            }],
        );
        assert!(
            p.metrics.km <= limit + 1e-6,
            "{} km over {limit}",
            p.metrics.km
        );
        let objective = p.solver.objective.unwrap();
        let bound = p.solver.bound.unwrap();
        assert!(bound <= objective + 1e-6);
        points.push((limit, objective, bound));
    }
    // A larger budget never proves a worse plan: each smaller budget's plan
    // costs at least the larger budget's bound.
    for w in points.windows(2) {
        let ((_, obj_small, _), (_, _, bound_large)) = (w[0], w[1]);
        assert!(obj_small >= bound_large - 1e-6, "{points:?}");
    }
    assert!(
        points[0].1 > points[3].1,
        "no travel at all is worse: {points:?}"
    );
    // The whole budget gives the unconstrained optimum.
    assert!((points[3].1 - free.solver.objective.unwrap()).abs() < 1e-3);
    // A cost budget too.
    let cost = free.metrics.travel_cost * 0.5;
    let p = solve(
        &s,
        vec![Budget {
            kind: Kind::Cost,
            limit: cost,
        }],
    );
    assert!(p.metrics.travel_cost <= cost + 1e-6);
}

#[test]
fn the_column_generation_bound_stays_below_the_budgeted_optimum() {
    let s = scenario::load(&common::repo("scenarios/tiny")).unwrap();
    let net = RoadNetwork::new(&s);
    let free = solve(&s, Vec::new());
    for share in [0.2, 0.55] {
        let budgets = vec![Budget {
            kind: Kind::Km,
            limit: free.metrics.km * share,
        }];
        let optimum = solve(&s, budgets.clone()).solver.objective.unwrap();
        let ctx = Context::new(&s, &net).with_budgets(budgets.clone());
        let unbudgeted = Context::new(&s, &net);
        let deadline = Instant::now() + Duration::from_secs(20);
        let b = colgen::bound(&ctx, &[], 1, deadline)
            .expect("a bound")
            .value;
        let plain = colgen::bound(&unbudgeted, &[], 1, deadline)
            .expect("a bound")
            .value;
        assert!(b <= optimum + 1e-6, "bound {b} above the optimum {optimum}");
        assert!(
            b >= plain - 1e-6,
            "the budget row can only raise the bound: {b} < {plain}"
        );
    }
}

#[test]
fn check_refuses_a_plan_over_its_budget() {
    let s = scenario::load(&common::repo("scenarios/tiny")).unwrap();
    let net = RoadNetwork::new(&s);
    let mut p = solve(&s, Vec::new());
    p.solver.options.budgets = vec![Budget {
        kind: Kind::Km,
        limit: p.metrics.km / 2.0,
    }];
    let found = itinera::check::check(&s, &net, &p);
    assert!(found.iter().any(|v| v.rule == "budget"), "{found:#?}");
}

#[test]
fn the_frontier_command_writes_checked_points_in_order() {
    let dir = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("itinera")
        .unwrap()
        .args([
            "frontier",
            "scenarios/tiny",
            "--points",
            "3",
            "--time-limit",
            "10",
            "-o",
        ])
        .arg(dir.path())
        .current_dir(common::repo(""))
        .assert()
        .success()
        .stdout(predicates::str::contains("sin límite"));
    let csv = std::fs::read_to_string(dir.path().join("frontier.csv")).unwrap();
    let rows: Vec<Vec<String>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 3);
    let num = |r: &Vec<String>, i: usize| r[i].parse::<f64>().unwrap();
    for w in rows.windows(2) {
        // km within the budget, and a larger budget never proves worse.
        assert!(num(&w[0], 2) <= num(&w[0], 1) + 1e-6);
        assert!(num(&w[0], 7) >= num(&w[1], 8) - 1e-6, "{csv}");
        // Settled: neither the plans nor the bounds rise with the budget.
        assert!(num(&w[0], 7) >= num(&w[1], 7) - 1e-6, "{csv}");
        assert!(num(&w[0], 8) >= num(&w[1], 8) - 1e-6, "{csv}");
    }
    for r in &rows {
        assert_cmd::Command::cargo_bin("itinera")
            .unwrap()
            .args(["check", "scenarios/tiny"])
            .arg(dir.path().join(&r[0]).join("plan.json"))
            .current_dir(common::repo(""))
            .assert()
            .success();
    }
    assert!(
        std::fs::read_to_string(dir.path().join("frontier.html"))
            .unwrap()
            .contains("<svg")
    );
}

#[test]
fn settling_lends_better_plans_upward_and_bounds_downward() {
    let (_, p) = common::tiny_solved();
    let point = |objective: f64, bound: f64| {
        let mut plan = p.clone();
        plan.solver.objective = Some(objective);
        plan.solver.bound = Some(bound);
        plan::frontier::Point {
            budget: None,
            plan,
            plan_of: None,
            bound: Some(bound),
        }
    };
    // Budgets in order; the second solve did worse than the first, and the
    // first proved less than the third.
    let mut points = vec![point(100.0, 50.0), point(120.0, 60.0), point(90.0, 70.0)];
    plan::frontier::settle(&mut points);
    let objectives: Vec<f64> = points
        .iter()
        .map(|p| p.plan.solver.objective.unwrap())
        .collect();
    let bounds: Vec<f64> = points.iter().map(|p| p.bound.unwrap()).collect();
    assert_eq!(objectives, [100.0, 100.0, 90.0]);
    assert_eq!(bounds, [70.0, 70.0, 70.0]);
    assert_eq!(
        points.iter().map(|p| p.plan_of).collect::<Vec<_>>(),
        [None, Some(0), None]
    );
    assert!((points[1].gap().unwrap() - 0.3).abs() < 1e-9);
}
