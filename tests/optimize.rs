//! The optimizer against optima known by hand, and every plan through the
//! independent checker.

mod common;

use itinera::check;
use itinera::model::Scenario;
use itinera::network::RoadNetwork;
use itinera::optimize::{Group, Options, Status};
use itinera::plan::{
    self,
    format::{Plan, PlanStatus},
};
use itinera::scenario;
use proptest::prelude::*;
use std::fs;
use std::path::Path;

fn exact() -> Options {
    Options {
        time_limit: 60.0,
        gap: 0.0,
        threads: 1,
        ..Options::default()
    }
}

/// Plan a scenario, check it, and return the plan.
fn plan_and_check(s: &Scenario, opts: &Options) -> Plan {
    let net = RoadNetwork::new(s);
    let sol = plan::solve(s, &net, opts, None).expect("solver runs");
    assert!(sol.status.has_plan(), "{:?}", sol.status);
    let p = plan::assemble(s, &net, &sol, Default::default()).expect("plan assembles");
    let violations = check::check(s, &net, &p);
    assert!(violations.is_empty(), "{violations:#?}");
    let (obj, bound) = (p.solver.objective.unwrap(), p.solver.bound.unwrap());
    assert!(
        obj >= bound - 1e-6 * obj.abs().max(1.0),
        "objective {obj} below bound {bound}"
    );
    assert!((obj - p.metrics.objective).abs() <= 1e-6 * obj.abs().max(1.0));
    p
}

fn load(dir: &Path) -> Scenario {
    scenario::load(dir).expect("valid scenario")
}

/// A copy of a scenario folder with text replacements applied to one file.
fn variant(name: &str, file: &str, edits: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in fs::read_dir(common::repo(&format!("scenarios/{name}"))).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    let p = dir.path().join(file);
    let mut text = fs::read_to_string(&p).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    fs::write(p, text).unwrap();
    dir
}

#[test]
fn golden_one_town() {
    let s = load(&common::repo("scenarios/golden-one-town"));
    let p = plan_and_check(&s, &exact());
    assert_eq!(p.solver.status, PlanStatus::Optimal);
    assert!((p.solver.objective.unwrap() - 210.0).abs() < 1e-6);
    assert_eq!(p.trips.len(), 1);
    assert_eq!((p.trips[0].week, p.visits[0].days), (0, 2));
    assert_eq!(p.metrics.patient_weeks_waiting, 0.0);
}

#[test]
fn golden_shared_person_one_trip_a_week() {
    let s = load(&common::repo("scenarios/golden-shared-person"));
    let p = plan_and_check(&s, &exact());
    assert!((p.solver.objective.unwrap() - 10_210.0).abs() < 1e-6);
    assert_eq!(
        p.trips.len(),
        1,
        "one person, one trip a week, whichever record"
    );
    assert_eq!(p.trips[0].stops, ["beta"]);
}

#[test]
fn spacing_forbids_a_second_visit() {
    // 40 waiting need two 2-day visits; spacing 2 allows one in two weeks:
    // 20 wait two weeks (40 × 1,000) + one trip (210). Without spacing: 20,420.
    let dir = variant(
        "golden-one-town",
        "scenario.yaml",
        &[(
            "min_spacing_weeks: 1, max_gap_weeks: 2",
            "min_spacing_weeks: 2, max_gap_weeks: 2",
        )],
    );
    let demand = dir.path().join("demand.csv");
    fs::write(
        &demand,
        "locality,specialty,waiting,weekly_referrals\nbeta,cardiology,40,0\n",
    )
    .unwrap();
    let p = plan_and_check(&load(dir.path()), &exact());
    assert!(
        (p.solver.objective.unwrap() - 40_210.0).abs() < 1e-6,
        "{:?}",
        p.solver.objective
    );
}

#[test]
fn coverage_penalty_buys_a_visit_only_when_worth_it() {
    // Nobody waits. Leaving the only 2-week window uncovered costs the coverage
    // weight; the cheapest visit (1 day, 200 km, no night) costs 200.
    let idle = variant(
        "golden-one-town",
        "demand.csv",
        &[("beta,cardiology,20,0", "beta,cardiology,0,0")],
    );
    let p = plan_and_check(&load(idle.path()), &exact());
    assert!((p.solver.objective.unwrap() - 100.0).abs() < 1e-6);
    assert!(p.trips.is_empty());
    let dir = variant(
        "golden-one-town",
        "demand.csv",
        &[("beta,cardiology,20,0", "beta,cardiology,0,0")],
    );
    let y = dir.path().join("scenario.yaml");
    fs::write(
        &y,
        fs::read_to_string(&y)
            .unwrap()
            .replace("coverage_gap_week: 100", "coverage_gap_week: 1000"),
    )
    .unwrap();
    let p = plan_and_check(&load(dir.path()), &exact());
    assert!((p.solver.objective.unwrap() - 200.0).abs() < 1e-6);
    assert_eq!(p.trips.len(), 1);
}

#[test]
fn tiny_is_solved_to_optimality_and_resolves_every_conflict() {
    let s = load(&common::repo("scenarios/tiny"));
    let p = plan_and_check(&s, &exact());
    assert_eq!(p.solver.status, PlanStatus::Optimal);
    // Proven by HiGHS (gap 0) with the day-level rooms settled by cuts; a
    // regression pin, not a hand argument.
    assert!(
        (p.solver.objective.unwrap() - 4_260_000.0).abs() < 1e-3,
        "{:?}",
        p.solver.objective
    );
    assert_eq!(p.metrics.duplicate_visits, 0);
    assert_eq!(
        p.conflicts.len(),
        8,
        "every input conflict is listed with its resolution"
    );
    assert!(p.conflicts.iter().all(|c| !c.resolution.is_empty()));
    // Better than the status quo on waiting.
    assert!(p.metrics.patient_weeks_waiting < 285.0);
    // Deterministic: the same scenario gives the same plan.
    let again = plan_and_check(&s, &exact());
    assert_eq!(p.visits, again.visits);
}

#[test]
fn strengthening_keeps_the_optima() {
    // The waiting-list inequalities are valid: they change no optimum.
    let opts = Options {
        strengthen: true,
        ..exact()
    };
    let tiny = plan_and_check(&load(&common::repo("scenarios/tiny")), &opts);
    assert!((tiny.solver.objective.unwrap() - 4_260_000.0).abs() < 1e-3);
    let one = plan_and_check(&load(&common::repo("scenarios/golden-one-town")), &opts);
    assert!((one.solver.objective.unwrap() - 210.0).abs() < 1e-6);
}

#[test]
fn pinning_impossible_visits_is_infeasible_and_explained() {
    // m5 is confirmed on a week its road is closed: it cannot be kept.
    let s = load(&common::repo("scenarios/tiny"));
    let net = RoadNetwork::new(&s);
    let opts = Options {
        pin_confirmed: true,
        ..exact()
    };
    let sol = plan::solve(&s, &net, &opts, None).unwrap();
    assert_eq!(sol.status, Status::Infeasible);
    assert_eq!(sol.conflicting_groups, [Group::Commitments]);
}

/// A variation of tiny (lists' waiting and referrals, trips and days a
/// month, rooms, weeks): its plan passes the checker, and replanned from a
/// week the parameters pick with nothing changed, it comes back unchanged.
/// A variation of tiny: patients waiting and weekly referrals of its four
/// waiting lists, the records' monthly trips and days, the hospitals'
/// rooms and the weeks of the horizon.
type Variation = (Vec<u32>, Vec<u32>, u32, u32, u32, u32);

/// Tiny changed as `v` says.
fn tiny_variant(v: &Variation) -> tempfile::TempDir {
    let (waiting, referrals, trips, days, rooms, weeks) = v;
    let (trips, days, rooms, weeks) = (*trips, *days, *rooms, *weeks);
    let dir = common::tiny_copy();
    let lists = [
        "beta,cardiology",
        "gamma,cardiology",
        "beta,pediatrics",
        "delta,pediatrics",
    ];
    let mut demand = String::from("locality,specialty,waiting,weekly_referrals\n");
    for (i, l) in lists.iter().enumerate() {
        demand += &format!("{l},{},{}\n", waiting[i], referrals[i]);
    }
    fs::write(dir.path().join("demand.csv"), demand).unwrap();
    let sp = dir.path().join("specialists.csv");
    let mut text = fs::read_to_string(&sp)
        .unwrap()
        .replace(",,2,6", &format!(",,{trips},{days}"))
        .replace(",,1,6", &format!(",,{trips},{days}"));
    if weeks < 6 {
        // Bruno Paz's leave (week 5) would lie outside the horizon.
        text = text.replace("2027-04-05..2027-04-09", "");
    }
    fs::write(&sp, text).unwrap();
    let fac = dir.path().join("facilities.csv");
    let text = fs::read_to_string(&fac)
        .unwrap()
        .replace("hospital,1,", &format!("hospital,{rooms},"));
    fs::write(&fac, text).unwrap();
    // Shorter horizons drop the visits and holidays past their end.
    let y = dir.path().join("scenario.yaml");
    let mut yaml = fs::read_to_string(&y)
        .unwrap()
        .replace("weeks: 8", &format!("weeks: {weeks}"));
    if weeks < 5 {
        yaml = yaml.replace("    - { date: 2027-04-02, name: Día del Veterano y de los Caídos en la Guerra de Malvinas }\n", "");
    }
    if weeks < 4 {
        yaml = yaml.replace("    - { date: 2027-03-24, name: Día Nacional de la Memoria por la Verdad y la Justicia }\n", "");
    }
    fs::write(&y, yaml).unwrap();
    let end = chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap()
        + chrono::Days::new(u64::from(weeks) * 7);
    for cal in ["calendar-ministry.csv", "calendar-css.csv"] {
        let p = dir.path().join(cal);
        let text = fs::read_to_string(&p).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| {
                l.split(',')
                    .nth(4)
                    .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
                    .is_none_or(|d| d + chrono::Days::new(4) < end)
            })
            .collect();
        fs::write(&p, kept.join("\n") + "\n").unwrap();
    }
    dir
}

fn plan_and_replan_unchanged(v: &Variation) {
    let (waiting, referrals, _, _, _, weeks) = v;
    let weeks = *weeks;
    let dir = tiny_variant(v);
    let s = load(dir.path());
    // Half the cases with the optional waiting-list inequalities, a
    // third with the neighbourhood search after the root node.
    let opts = Options {
        time_limit: 20.0,
        gap: 0.0,
        threads: 1,
        strengthen: waiting[0].is_multiple_of(2),
        search_from: if waiting[0].is_multiple_of(3) {
            0.0
        } else {
            20.0
        },
        ..Options::default()
    };
    let p = plan_and_check(&s, &opts);
    // Replanned from any week with nothing changed, the plan is the
    // same, and passes the checker.
    let from = chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap()
        + chrono::Days::new(
            u64::from(referrals[0] % (weeks - 1)) * 7 + u64::from(referrals[1] % 5),
        );
    let (_, changes) = common::replan_and_check(&s, &p, from);
    let changed: Vec<_> = changes
        .iter()
        .filter(|c| c.kind != itinera::plan::diff::ChangeKind::Kept)
        .collect();
    assert!(
        changed.is_empty(),
        "from {}: {:#?} (plan {:?})",
        from,
        changed,
        p.solver.status
    );
}

/// Random variations of tiny (see `tiny_variant`).
fn variations() -> impl Strategy<Value = Variation> {
    (
        prop::collection::vec(0u32..80, 4),
        prop::collection::vec(0u32..8, 4),
        1u32..4,
        2u32..9,
        1u32..3,
        3u32..9,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Random variations of tiny: every plan passes the checker and its
    /// objective is not below its bound.
    #[test]
    fn random_scenarios_give_checked_plans(v in variations()) {
        plan_and_replan_unchanged(&v);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    /// The column-generation bound converges and never exceeds the optimum
    /// the compact program proves (issue 17: bound validity on ≥ 100
    /// random small scenarios).
    #[test]
    fn the_column_generation_bound_never_exceeds_the_optimum(v in variations()) {
        let dir = tiny_variant(&v);
        let s = load(dir.path());
        let net = RoadNetwork::new(&s);
        let sol = plan::solve(&s, &net, &exact(), None).expect("solver runs");
        prop_assume!(sol.status == itinera::optimize::Status::Optimal);
        let optimum = sol.objective.unwrap();
        let ctx = itinera::optimize::Context::new(&s, &net);
        let start = itinera::optimize::colgen::greedy_start(&ctx);
        let far = std::time::Instant::now() + std::time::Duration::from_secs(60);
        // The root, then a few nodes of branch-and-price: both bounds stay
        // below the optimum, and branching never lowers the root's.
        let b = itinera::optimize::colgen::bound_within(&ctx, &start, 1, far, 12)
            .expect("a bound");
        prop_assert!(b.converged, "{b:?}");
        let tol = 1e-6 * optimum.abs().max(1.0);
        prop_assert!(b.root <= optimum + tol, "root {} above the optimum {optimum}", b.root);
        prop_assert!(
            b.value <= optimum + tol,
            "bound {} after {} nodes above the optimum {optimum}", b.value, b.nodes
        );
        prop_assert!(b.value >= b.root - tol, "{b:?}");
    }
}

/// Branching raises tiny's bound above the root's, and the bound it
/// proves stays below the optimum the compact program proves (4,260,000).
#[test]
fn branch_and_price_raises_the_bound_of_tiny() {
    let s = load(&common::repo("scenarios/tiny"));
    let net = RoadNetwork::new(&s);
    let ctx = itinera::optimize::Context::new(&s, &net);
    let start = itinera::optimize::colgen::greedy_start(&ctx);
    let far = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let root = itinera::optimize::colgen::bound_within(&ctx, &start, 1, far, 0).expect("a bound");
    assert!(root.converged && root.nodes == 1, "{root:?}");
    assert_eq!(root.value, root.root);
    let tree = itinera::optimize::colgen::bound_within(&ctx, &start, 1, far, 400).expect("a bound");
    assert!(tree.nodes > 1, "{tree:?}");
    assert!(
        tree.value > root.value * 1.01,
        "branching raised the bound by less than 1 %: {} → {}",
        root.value,
        tree.value
    );
    assert!(tree.value <= 4_260_000.0 + 1e-3, "{tree:?}");
}

/// Failed three times of three on one machine and passed on another
/// (issue 16): the replan reached a plan of equal worth with one more visit.
#[test]
fn a_replan_with_nothing_changed_keeps_a_plan_of_equal_worth() {
    plan_and_replan_unchanged(&(vec![74, 23, 54, 7], vec![7, 0, 5, 4], 1, 4, 2, 8));
    plan_and_replan_unchanged(&(vec![33, 39, 50, 44], vec![1, 2, 5, 7], 2, 6, 1, 4));
}

/// The same scenario and options give the same plan whether the machine is
/// idle or busy, and whatever the time limit, once the search has ended
/// by itself: no decision of the solver follows the clock.
#[test]
fn the_plan_does_not_depend_on_the_machine_load() {
    let s = load(&common::repo("scenarios/tiny"));
    let opts = |limit: f64| Options {
        time_limit: limit,
        gap: 0.0,
        threads: 1,
        search_from: 0.0,
        ..Options::default()
    };
    let trips = |p: &Plan| -> Vec<(String, String, Vec<String>)> {
        p.trips
            .iter()
            .map(|t| (t.specialist.clone(), t.depart.to_string(), t.stops.clone()))
            .collect()
    };
    let idle = plan_and_check(&s, &opts(30.0));
    let stop = std::sync::atomic::AtomicBool::new(false);
    let busy = std::thread::scope(|sc| {
        for _ in 0..4 {
            sc.spawn(|| {
                let mut x = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                }
                x
            });
        }
        let p = plan_and_check(&s, &opts(30.0));
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        p
    });
    let longer = plan_and_check(&s, &opts(90.0));
    assert_eq!(trips(&idle), trips(&busy));
    assert_eq!(trips(&idle), trips(&longer));
    assert_eq!(idle.solver.objective, longer.solver.objective);
}

#[test]
fn rooms_are_shared_between_specialties() {
    // One room at Beta, only Monday and Tuesday free, 2-day visits: the
    // cardiologist (20 waiting) and the paediatrician (10 waiting) cannot both
    // consult. Best: cardiology, leaving 10 children waiting a week
    // (10 × 1,000) + one trip (210). Without the room rule: 420.
    let dir = variant(
        "golden-shared-person",
        "scenario.yaml",
        &[(
            "specialties:\n",
            "specialties:\n  - { id: pediatrics, name: Pediatría, patients_per_day: 10, min_days: 2, max_days: 2, min_spacing_weeks: 1, max_gap_weeks: 1 }\n",
        )],
    );
    fs::write(
        dir.path().join("specialists.csv"),
        "record,person,name,institution,specialty,base,max_trips_per_month,max_days_away_per_month\ncard-m,P1,Ana Ruiz,ministry,cardiology,alfa,4,10\nped-c,P2,Bruno Paz,css,pediatrics,alfa,4,10\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("demand.csv"),
        "locality,specialty,waiting,weekly_referrals\nbeta,cardiology,20,0\nbeta,pediatrics,10,0\n",
    )
    .unwrap();
    let p = plan_and_check(&load(dir.path()), &exact());
    assert!(
        (p.solver.objective.unwrap() - 10_210.0).abs() < 1e-6,
        "{:?}",
        p.solver.objective
    );
    assert_eq!(
        p.solver.status,
        PlanStatus::Optimal,
        "proven, not repaired after the fact"
    );
    assert_eq!(p.trips.len(), 1);
    assert_eq!(p.trips[0].specialist, "card-m");
}

#[test]
fn a_tentative_twin_does_not_take_the_place_of_a_kept_confirmed_visit() {
    // As below (the confirmed k1 is worth keeping), with a tentative visit
    // of the same person, place and week listed first: the plan's one visit
    // keeps k1, as the program priced it, whatever the calendar's order.
    let dir = variant(
        "golden-one-town",
        "scenario.yaml",
        &[("change_confirmed: 0", "change_confirmed: 5000")],
    );
    fs::write(
        dir.path().join("calendar-ministry.csv"),
        "id,specialist,locality,facility,start,days,status\n\
         t1,card-m,beta,beta-hosp,2027-03-09,1,tentative\n\
         k1,card-m,beta,beta-hosp,2027-03-08,1,confirmed\n",
    )
    .unwrap();
    let p = plan_and_check(&load(dir.path()), &exact());
    assert!((p.solver.objective.unwrap() - 410.0).abs() < 1e-6);
    let origin = |id: &str| {
        let v = p.visits.iter().find(|v| v.existing.as_deref() == Some(id));
        serde_json::to_value(v.unwrap().origin).unwrap()
    };
    assert_eq!(origin("k1"), "kept");
    assert_ne!(origin("t1"), "kept");
}

#[test]
fn confirmed_visits_are_kept_only_when_moving_them_costs_more() {
    // golden-one-town plus a confirmed 1-day visit in week 1. Keeping it costs
    // one more trip (200 km, no night): worth it against a change penalty of
    // 5,000 (optimum 410), not against 100 (optimum 210 + 100: k1 is then
    // "moved", since Beta still gets its cardiology visit, a week earlier).
    for (penalty, objective, origin) in [("5000", 410.0, "kept"), ("100", 310.0, "moved")] {
        let dir = variant(
            "golden-one-town",
            "scenario.yaml",
            &[(
                "change_confirmed: 0",
                &format!("change_confirmed: {penalty}"),
            )],
        );
        fs::write(
            dir.path().join("calendar-ministry.csv"),
            "id,specialist,locality,facility,start,days,status\nk1,card-m,beta,beta-hosp,2027-03-08,1,confirmed\n",
        )
        .unwrap();
        let p = plan_and_check(&load(dir.path()), &exact());
        assert!(
            (p.solver.objective.unwrap() - objective).abs() < 1e-6,
            "{penalty}: {:?}",
            p.solver.objective
        );
        let k1 = p
            .visits
            .iter()
            .find(|v| v.existing.as_deref() == Some("k1"))
            .unwrap();
        assert_eq!(serde_json::to_value(k1.origin).unwrap(), origin);
    }
}

/// A NaN weight (validation refuses one; here it is set behind its back)
/// made HiGHS spin inside a dual simplex iteration past any time limit,
/// where no callback can stop it: such a program is refused before HiGHS
/// sees it, with the reason.
#[test]
fn a_program_with_a_nan_weight_is_refused_not_solved_for_ever() {
    let mut s = load(&common::repo("scenarios/tiny"));
    s.weights.patient_week = f64::NAN;
    let net = RoadNetwork::new(&s);
    let opts = Options {
        time_limit: 3.0,
        threads: 1,
        search_from: 0.0,
        ..Options::default()
    };
    let Err(e) = plan::solve(&s, &net, &opts, None) else {
        panic!("a NaN weight must not give a plan");
    };
    assert!(e.to_string().contains("not a finite number"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// A program searched without its root node (as the large ones are,
    /// the bound from column generation): the plan passes the checker, is
    /// no worse than the greedy start, stays above the bound, and is never
    /// better than the optimum HiGHS proves.
    #[test]
    fn the_search_without_a_root_node_gives_checked_plans(v in variations()) {
        let dir = tiny_variant(&v);
        let s = load(dir.path());
        let net = RoadNetwork::new(&s);
        // The bound runs alongside for a quarter of the limit (its tree
        // would otherwise take all of it).
        let opts = Options { time_limit: 20.0, root_up_to: 0, bound_share: 0.25, ..exact() };
        let sol = plan::solve(&s, &net, &opts, None).expect("solver runs");
        prop_assert!(sol.status.has_plan(), "{:?}", sol.status);
        // The column-generation bound, raised by branching or not (the
        // program is "large": root_up_to 0).
        prop_assert!(
            matches!(sol.bound_kind, Some("lagrangian" | "branch_and_price")),
            "{:?}", sol.bound_kind
        );
        prop_assert!(
            sol.components.iter().all(|c| c.bound.is_none()),
            "no root node was solved: {:?}", sol.components
        );
        let p = plan::assemble(&s, &net, &sol, Default::default()).expect("plan assembles");
        let found = check::check(&s, &net, &p);
        prop_assert!(found.is_empty(), "{:#?}", found);
        let mut greedy = sol.clone();
        greedy.trips = sol.greedy.clone();
        greedy.replanned = true;
        let start = plan::assemble(&s, &net, &greedy, Default::default()).expect("greedy plan");
        let (obj, bound) = (p.metrics.objective, sol.bound.unwrap());
        let tol = 1e-6 * obj.abs().max(1.0);
        prop_assert!(obj <= start.metrics.objective + tol, "{obj} worse than the start {}", start.metrics.objective);
        prop_assert!(obj >= bound - tol, "{obj} below the bound {bound}");
        let best = plan::solve(&s, &net, &exact(), None).expect("solver runs");
        // A program re-solved with room-layout cuts is not called optimal
        // on its own bound (a cut forbids routes whatever their days, and
        // fewer days may have fitted): proptest found a search plan at
        // 16,640,000 below such a "proven" 16,660,000.
        if best.status == itinera::optimize::Status::Optimal {
            prop_assert!(
                obj >= best.objective.unwrap() - tol,
                "{obj} below the optimum {:?}", best.objective
            );
        }
    }
}
