//! Extraordinary care days: the first choice is the best single jornada by
//! brute force, the overlay applies, a plan made with it is checked and is
//! no worse than without, and a bad jornada is refused with its code.

mod common;

use itinera::model::waiting::simulate;
use itinera::network::RoadNetwork;
use itinera::optimize::Options;
use itinera::plan::{self, jornadas};
use itinera::scenario;

#[test]
fn the_first_jornada_is_the_best_single_one() {
    let (s, p) = common::tiny_solved();
    let dates = jornadas::weekends(s);
    assert_eq!(dates.len() as u32, s.horizon.weeks);
    let chosen = jornadas::choose(s, p, 1, 1, &dates);
    assert_eq!(chosen.len(), 1);
    // Brute force: every list, every Saturday.
    let (capacity, _) = plan::metrics::delivered(s, &p.visits);
    let mut best: f64 = 0.0;
    for d in &s.demand {
        let sp = s.specialty(d.specialty);
        let none = vec![0.0; s.horizon.weeks as usize];
        let cap = capacity.get(&(d.locality, d.specialty)).unwrap_or(&none);
        let referrals = d.referrals_by_week(&s.horizon);
        let base = simulate(d.waiting, &referrals, cap).patient_weeks;
        for date in &dates {
            let mut more = cap.clone();
            more[s.horizon.week_of(*date).unwrap() as usize] += f64::from(sp.patients_per_day);
            let saved = s.weights.patient_week
                * sp.waiting_weight
                * (base - simulate(d.waiting, &referrals, &more).patient_weeks);
            best = best.max(saved);
        }
    }
    assert!(
        (chosen[0].saved - best).abs() < 1e-6,
        "{} against {best}",
        chosen[0].saved
    );
}

#[test]
fn a_plan_with_the_jornadas_is_checked_and_no_worse() {
    let (s, p) = common::tiny_solved();
    let chosen = jornadas::choose(s, p, 3, 2, &jornadas::weekends(s));
    assert!(!chosen.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jornadas.yaml");
    std::fs::write(&path, jornadas::overlay("jornadas", &chosen)).unwrap();
    let with = scenario::apply_what_if(s.clone(), &path).expect("the overlay applies");
    assert_eq!(with.jornadas.len(), chosen.len());
    let net = RoadNetwork::new(&with);
    let opts = Options {
        time_limit: 60.0,
        gap: 0.0,
        threads: 1,
        ..Options::default()
    };
    let sol = plan::solve(&with, &net, &opts, None).unwrap();
    let q = plan::assemble(&with, &net, &sol, plan::format::SolveOptions::of(&opts)).unwrap();
    let found = itinera::check::check(&with, &net, &q);
    assert!(found.is_empty(), "{found:#?}");
    // The report lists them, programmed consultations included.
    let visits = itinera::calendar::merge(&with);
    let clashes = itinera::calendar::conflicts::find(&with, &net, &visits);
    let sq = itinera::calendar::status_quo::evaluate(&with, &net, &visits, &clashes);
    let report =
        itinera::export::report::html(&with, &q, &sq, itinera::lang::Lang::Es, &[]).unwrap();
    let section = report
        .split("<h2>Jornadas extraordinarias</h2>")
        .nth(1)
        .expect("the report has the jornadas");
    let section = &section[..section.find("</section>").unwrap()];
    assert_eq!(
        section.matches("<tr><td>").count(),
        chosen.len(),
        "{section}"
    );
    // More capacity never costs more (both solved to optimality).
    assert!(q.metrics.objective <= p.metrics.objective + 1e-6);
    // And the column-generation bound stays below the optimum with them.
    let ctx = itinera::optimize::Context::new(&with, &net);
    let far = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let b = itinera::optimize::colgen::bound(&ctx, &[], 1, far)
        .unwrap()
        .value;
    assert!(
        b <= q.metrics.objective + 1e-6,
        "{b} above {}",
        q.metrics.objective
    );
}

#[test]
fn a_bad_jornada_is_refused() {
    let (s, _) = common::tiny_solved();
    let dir = tempfile::tempdir().unwrap();
    for (text, code) in [
        (
            "{ facility: nowhere, specialty: pediatrics, date: 2027-03-06 }",
            "E1206",
        ),
        (
            "{ facility: gamma-css, specialty: pediatrics, date: 2027-03-06 }",
            "E1307",
        ),
        (
            "{ facility: beta-hosp, specialty: pediatrics, date: 2031-03-06 }",
            "E1304",
        ),
    ] {
        let path = dir.path().join("bad.yaml");
        std::fs::write(&path, format!("name: bad\njornadas:\n  - {text}\n")).unwrap();
        match scenario::apply_what_if(s.clone(), &path) {
            Ok(_) => panic!("{text} accepted"),
            Err(scenario::ScenarioError::Invalid(d)) => {
                assert!(d.iter().any(|x| x.code.as_str() == code), "{text}: {d:?}")
            }
        }
    }
}
