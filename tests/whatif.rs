//! What-if overlays on the tiny scenario: each change reaches the plan, the
//! checker accepts the plan under the same overlays (and only under them),
//! overlays compose in order, and broken files name their line and code.

mod common;

use chrono::NaiveDate;
use itinera::check;
use itinera::model::Scenario;
use itinera::network::RoadNetwork;
use itinera::optimize::Options;
use itinera::plan::{self, format::Plan};
use itinera::scenario::{self, ScenarioError};
use std::path::PathBuf;

fn tiny() -> Scenario {
    scenario::load(&common::repo("scenarios/tiny")).expect("valid scenario")
}

fn overlay(name: &str) -> PathBuf {
    common::repo(&format!("tests/fixtures/what-if/{name}.yaml"))
}

fn with(names: &[&str]) -> Scenario {
    let files: Vec<PathBuf> = names.iter().map(|n| overlay(n)).collect();
    scenario::apply_what_ifs(tiny(), &files).expect("valid what-if")
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, m, d).unwrap()
}

/// Solves to optimality and checks the plan under its own scenario.
fn solve(s: &Scenario) -> Plan {
    let net = RoadNetwork::new(s);
    let opts = Options {
        time_limit: 60.0,
        gap: 0.0,
        threads: 1,
        ..Options::default()
    };
    let sol = plan::solve(s, &net, &opts, None).expect("solver runs");
    assert!(sol.status.has_plan(), "{:?}", sol.status);
    let p = plan::assemble(s, &net, &sol, Default::default()).expect("plan assembles");
    let found = check::check(s, &net, &p);
    assert!(found.is_empty(), "{found:#?}");
    p
}

#[test]
fn a_leave_removes_every_visit_of_the_record_in_its_range() {
    let base = solve(&tiny());
    let busy = |p: &Plan| {
        p.made_visits()
            .filter(|v| v.specialist == "card-m" && v.start >= day(3, 15) && v.start <= day(4, 4))
            .count()
    };
    assert!(busy(&base) > 0, "the base plan uses card-m in the range");
    let s = with(&["leave"]);
    let p = solve(&s);
    assert_eq!(busy(&p), 0);
    for v in p.made_visits().filter(|v| v.specialist == "card-m") {
        let last = v.dates.last().copied().unwrap_or(v.start);
        assert!(last < day(3, 15) || v.start > day(4, 4), "{v:?}");
    }
    assert_eq!(p.what_if.len(), 1);
    assert_eq!(p.what_if[0].name, "leave-card-m");
    assert_eq!(p.label(), "Tiny (what-if: leave-card-m)");
}

#[test]
fn a_road_closure_reroutes_or_moves_the_trips_that_used_it() {
    let s = with(&["closure"]);
    let net = RoadNetwork::new(&s);
    // alfa–beta is 100 km open, 260 km round by gamma while closed.
    let closed = net.on(day(3, 10));
    let alfa = itinera::model::LocalityId::from_index(0);
    let beta = itinera::model::LocalityId::from_index(1);
    assert_eq!(closed.km(alfa, beta), Some(260.0));
    let p = solve(&s);
    let during = |t: &&itinera::plan::format::TripRecord| {
        t.depart <= day(4, 4) && t.return_date >= day(3, 8) && t.stops.iter().any(|x| x == "beta")
    };
    let rerouted: Vec<_> = p.trips.iter().filter(during).collect();
    for t in &rerouted {
        assert!(t.km >= 2.0 * 160.0 - 1e-6, "{} drives {} km", t.id, t.km);
    }
    assert!(
        !rerouted.is_empty(),
        "beta is still visited during the closure"
    );
    // The base plan's trips through the closure would now break the rules.
    let base = solve(&tiny());
    let found = check::check(&s, &net, &base);
    assert!(!found.is_empty(), "the base plan ignores the closure");
}

#[test]
fn an_outbreak_raises_referrals_only_on_its_dates_and_only_where_it_says() {
    let s = with(&["outbreak"]);
    let base = tiny();
    for (d, b) in s.demand.iter().zip(&base.demand) {
        let peds = s.specialty(d.specialty).code == "pediatrics";
        for w in 0..s.horizon.weeks {
            let (now, before) = (d.referrals(&s.horizon, w), b.referrals(&base.horizon, w));
            if peds && w < 4 {
                assert!((now - 2.0 * before).abs() < 1e-9, "week {w}");
            } else {
                assert!((now - before).abs() < 1e-9, "week {w}");
            }
        }
        let beta = s.locality(d.locality).code == "beta";
        let added = if peds && beta { 30.0 } else { 0.0 };
        assert!((d.waiting - b.waiting - added).abs() < 1e-9);
    }
    // Part of a week counts pro rata: doubling on 2 of 7 days adds 2/7.
    let mut d = base.demand[0].clone();
    d.referral_changes.push(itinera::model::ReferralChange {
        dates: itinera::model::DateRange {
            from: day(3, 1),
            to: day(3, 2),
        },
        factor: 2.0,
        extra_per_week: 0.0,
    });
    let r = d.weekly_referrals;
    assert!((d.referrals(&base.horizon, 0) - r * (1.0 + 2.0 / 7.0)).abs() < 1e-9);
}

#[test]
fn overlays_compose_in_order_and_a_plan_is_checked_under_its_own() {
    let s = with(&["hire", "leave"]);
    let names: Vec<&str> = s.what_if.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, ["css-hire", "leave-card-m"]);
    assert_eq!(s.specialists.last().unwrap().code, "card-n");
    assert_eq!(s.weights.change_confirmed, 50000.0);
    let p = solve(&s);
    // The new hire covers for the leave.
    assert!(p.made_visits().any(|v| v.specialist == "card-n"));
    // Checked against the base scenario, the plan is flagged.
    let base = tiny();
    let net = RoadNetwork::new(&base);
    let found = check::check(&base, &net, &p);
    assert!(
        found.iter().any(|v| v.rule == "what_if_mismatch"),
        "{found:#?}"
    );
}

#[test]
fn broken_overlays_name_their_line_and_code() {
    let dir = common::repo("tests/broken/what-if");
    let mut seen = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let expect = text.lines().next().unwrap().trim_start_matches("# expect ");
        let (code, line) = expect.split_once(" line ").unwrap();
        let Err(ScenarioError::Invalid(found)) = scenario::apply_what_if(tiny(), &path) else {
            panic!("{} was accepted", path.display());
        };
        assert!(
            found.iter().any(|d| d.code.as_str() == code
                && d.line == Some(line.parse().unwrap())
                && d.file == path
                && !d.fix.is_empty()),
            "{}: {found:#?}",
            path.display()
        );
        for d in &found {
            assert!(
                common::spanish(&d.message) && common::spanish(&d.fix),
                "not translated: {d}"
            );
            let text = d.render(itinera::lang::Lang::En);
            assert!(!text.contains("`P1`"), "a person id in {text}");
        }
        let name = path.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with(code), "{name} is named after its error");
        seen += 1;
    }
    assert!(seen >= 6);
}

#[test]
fn care_days_add_rooms_on_their_dates_for_the_checker_and_the_conflicts() {
    let s = with(&["jornada"]);
    let beta = s.facilities.iter().find(|f| f.code == "beta-hosp").unwrap();
    assert_eq!(beta.rooms_on(day(3, 2)), 3);
    assert_eq!(beta.rooms_on(day(3, 3)), 3);
    assert_eq!(beta.rooms_on(day(3, 4)), 1);
    // The status quo books three visits at Hospital Beta on 2 March, which
    // has one room: a conflict and a broken rule, unless the jornada opens
    // two more that day.
    let rooms = |s: &Scenario| {
        let net = RoadNetwork::new(s);
        let visits = itinera::calendar::merge(s);
        let conflicts = itinera::calendar::conflicts::find(s, &net, &visits)
            .into_iter()
            .filter(|c| c.kind == itinera::calendar::conflicts::ConflictKind::RoomCapacity)
            .count();
        let mut p = itinera::plan::status_quo::as_plan(s, &net);
        p.what_if = itinera::plan::format::what_if_records(s);
        let broken = check::check(s, &net, &p)
            .into_iter()
            .filter(|v| v.rule == "rooms")
            .count();
        (conflicts, broken)
    };
    assert_eq!(rooms(&tiny()), (1, 1));
    assert_eq!(rooms(&s), (0, 0));
    // And the optimizer may use them: the plan under the jornada passes.
    solve(&s);
}
