//! Replanning a published plan on the tiny scenario: with no change it
//! returns the published plan; after a leave it changes only the visits it
//! must, far fewer than a plan made again from scratch; the past stays as
//! it was except what became impossible; calendar events keep their UIDs.

mod common;

use chrono::NaiveDate;
use itinera::check;
use itinera::export::events::day_events;
use itinera::model::Scenario;
use itinera::network::RoadNetwork;
use itinera::optimize::{Context, Options};
use itinera::plan::diff::{Change, ChangeKind, diff};
use itinera::plan::replan::{self, ReplanError};
use itinera::plan::{self, format::Plan};
use itinera::scenario;

fn tiny() -> Scenario {
    scenario::load(&common::repo("scenarios/tiny")).expect("valid scenario")
}

fn on_leave() -> Scenario {
    let file = common::repo("tests/fixtures/what-if/leave.yaml");
    scenario::apply_what_if(tiny(), &file).expect("valid what-if")
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, m, d).unwrap()
}

fn opts() -> Options {
    Options {
        time_limit: 60.0,
        gap: 0.0,
        threads: 1,
        ..Options::default()
    }
}

/// The plan solved to optimality, checked.
fn solve(s: &Scenario) -> Plan {
    let net = RoadNetwork::new(s);
    let sol = plan::solve(s, &net, &opts(), None).expect("solver runs");
    let p = plan::assemble(s, &net, &sol, Default::default()).expect("plan assembles");
    assert!(check::check(s, &net, &p).is_empty());
    p
}

fn replan(s: &Scenario, current: &Plan, from: NaiveDate) -> (Plan, Vec<Change>) {
    common::replan_and_check(s, current, from)
}

fn changed(changes: &[Change]) -> Vec<&Change> {
    changes
        .iter()
        .filter(|c| c.kind != ChangeKind::Kept)
        .collect()
}

#[test]
fn with_no_change_the_replan_is_the_published_plan() {
    let s = tiny();
    let base = solve(&s);
    for from in [day(3, 1), day(3, 17), day(4, 19)] {
        let (p, changes) = replan(&s, &base, from);
        assert!(changed(&changes).is_empty(), "from {from}: {changes:#?}");
        assert_eq!(changes.len(), base.made_visits().count());
        let r = p.replan.as_ref().expect("replan record");
        assert_eq!(r.changed, 0);
        assert_eq!(r.penalty, 0.0);
        assert_eq!(r.fixed_visits + r.published_visits, base.visits.len());
        // Same calendar events, unchanged.
        let (_, manifest, _) = day_events(&s, &base, None);
        let (_, _, c) = day_events(&s, &p, Some(&manifest));
        assert_eq!((c.new, c.updated, c.cancelled), (0, 0, 0), "from {from}");
    }
}

#[test]
fn a_leave_changes_only_what_it_must_and_far_less_than_a_new_plan() {
    let base = solve(&tiny());
    let s = on_leave();
    let (p, changes) = replan(&s, &base, day(3, 15));
    let ours = changed(&changes);
    assert!(!ours.is_empty(), "the leave must change something");
    // Only cardiology, and only what the person on leave made or could make.
    let on_leave = "P1";
    for c in &ours {
        let v = c.old.as_ref().or(c.new.as_ref()).unwrap();
        assert_eq!(v.specialty, "cardiology", "{c:?}");
        if let Some(old) = &c.old {
            assert_eq!(old.person, on_leave, "{c:?}");
        }
    }
    // Nothing the person would make during the leave.
    for v in p.made_visits().filter(|v| v.person == on_leave) {
        assert!(
            v.dates.iter().all(|d| *d < day(3, 15) || *d > day(4, 4)),
            "{v:?}"
        );
    }
    // The same leave planned again from scratch changes more.
    let fresh = solve(&s);
    let theirs = diff(&base, &fresh);
    assert!(
        ours.len() < changed(&theirs).len(),
        "replan {} vs new plan {}",
        ours.len(),
        changed(&theirs).len()
    );
    let r = p.replan.as_ref().unwrap();
    assert!(r.changed > 0 && r.penalty == r.changed as f64 * s.weights.change_published);
}

#[test]
fn the_past_stays_except_what_became_impossible() {
    let base = solve(&tiny());
    let s = on_leave();
    // Asked on a Wednesday inside the leave: the week under way is fixed,
    // but its cardiology visits under the leave cannot happen.
    let (p, _) = replan(&s, &base, day(3, 17));
    let r = p.replan.as_ref().unwrap();
    assert_eq!(r.replanned_from, day(3, 22));
    let gone: Vec<&str> = base
        .made_visits()
        .filter(|v| v.person == "P1" && v.start >= day(3, 15) && v.start < day(3, 22))
        .map(|v| v.id.as_str())
        .collect();
    assert!(
        !gone.is_empty(),
        "the base plan has a visit in the leave's first week"
    );
    assert_eq!(r.impossible, gone);
    // Every other visit before the cut is as published, dates and all.
    let key = |v: &itinera::plan::format::Visit| {
        (v.specialist.clone(), v.facility.clone(), v.dates.clone())
    };
    let before = |p: &Plan| -> Vec<_> {
        let mut v: Vec<_> = p
            .made_visits()
            .filter(|v| v.start < day(3, 22))
            .map(key)
            .collect();
        v.sort();
        v
    };
    let mut expected: Vec<_> = base
        .made_visits()
        .filter(|v| v.start < day(3, 22) && !gone.contains(&v.id.as_str()))
        .map(key)
        .collect();
    expected.sort();
    assert_eq!(before(&p), expected);
}

#[test]
fn moved_events_keep_their_uid_and_raise_the_sequence() {
    let base = solve(&tiny());
    // Free changes: the replan moves visits wherever that serves patients.
    let free = common::repo("tests/fixtures/what-if/free-changes.yaml");
    let s = scenario::apply_what_if(on_leave(), &free).expect("valid what-if");
    let (p, changes) = replan(&s, &base, day(3, 15));
    let (old_events, manifest, _) = day_events(&tiny(), &base, None);
    let (events, _, c) = day_events(&s, &p, Some(&manifest));
    let uid_of = |visit: &str, list: &[itinera::export::DayEvent]| -> Vec<String> {
        list.iter()
            .filter(|e| e.data.visit == visit && !e.data.cancelled)
            .map(|e| e.uid.clone())
            .collect()
    };
    let mut moved = 0;
    for ch in &changes {
        let (Some(old), Some(new)) = (&ch.old, &ch.new) else {
            continue;
        };
        let before = uid_of(&old.id, &old_events);
        let after = uid_of(&new.id, &events);
        // Same identity: the first day's UID is carried over.
        assert_eq!(before[0], after[0], "{ch:?}");
        let seq = events.iter().find(|e| e.uid == after[0]).unwrap().sequence;
        if ch.kind == ChangeKind::Kept {
            assert_eq!(seq, 0, "{ch:?}");
        } else {
            assert_eq!(seq, 1, "{ch:?}");
            moved += 1;
        }
    }
    assert!(moved > 0);
    assert!(c.updated > 0 && c.cancelled > 0, "{c:?}");
}

#[test]
fn a_plan_that_does_not_fit_is_refused() {
    let s = tiny();
    let base = solve(&s);
    let net = RoadNetwork::new(&s);
    let ctx = Context::new(&s, &net);
    assert!(matches!(
        replan::prepare(&ctx, &base, day(5, 1)),
        Err(ReplanError::AfterHorizon { .. })
    ));
    let mut other = base.clone();
    other.scenario = "Another".to_string();
    assert!(matches!(
        replan::prepare(&ctx, &other, day(3, 15)),
        Err(ReplanError::OtherScenario { .. })
    ));
    let mut unknown = base.clone();
    unknown.trips[0].specialist = "nobody".to_string();
    assert!(matches!(
        replan::prepare(&ctx, &unknown, day(3, 15)),
        Err(ReplanError::Unknown { .. })
    ));
}

#[test]
fn check_catches_a_replan_penalty_that_does_not_add_up() {
    let base = solve(&tiny());
    let s = on_leave();
    let (mut p, _) = replan(&s, &base, day(3, 15));
    p.replan.as_mut().unwrap().penalty += 1.0;
    let net = RoadNetwork::new(&s);
    let found = check::check(&s, &net, &p);
    assert!(
        found.iter().any(|v| v.rule == "replan_penalty"),
        "{found:#?}"
    );
}
