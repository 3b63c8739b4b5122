//! Road distances, conflicts and status-quo metrics of `scenarios/tiny`,
//! checked against numbers worked out by hand (see scenarios/tiny/README.md).

mod common;

use chrono::NaiveDate;
use itinera::calendar::{self, conflicts, conflicts::ConflictKind, status_quo};
use itinera::model::{LocalityId, Scenario};
use itinera::network::RoadNetwork;
use itinera::scenario;
use std::fs;

fn tiny() -> Scenario {
    scenario::load(&common::repo("scenarios/tiny")).expect("tiny is valid")
}

fn loc(s: &Scenario, code: &str) -> LocalityId {
    LocalityId::from_index(s.localities.iter().position(|l| l.code == code).unwrap())
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn shortest_km_and_fastest_hours_are_each_minimal() {
    let s = tiny();
    let net = RoadNetwork::new(&s);
    let m = net.open();
    let (alfa, beta, gamma, delta) = (
        loc(&s, "alfa"),
        loc(&s, "beta"),
        loc(&s, "gamma"),
        loc(&s, "delta"),
    );
    // alfa-gamma: 100 + 60 km via beta beats the direct 200 km...
    assert_eq!(m.km(alfa, gamma), Some(160.0));
    // ...but the direct paved road is faster: 200/80 = 2.5 h vs 100/80 + 60/40 = 2.75 h.
    assert_eq!(m.hours(alfa, gamma), Some(2.5));
    assert_eq!(m.km(alfa, delta), Some(190.0));
    assert_eq!(m.hours(alfa, delta), Some(2.5 + 30.0 / 80.0));
    assert_eq!(m.km(beta, delta), Some(90.0));
    assert_eq!(m.hours(beta, delta), Some(1.5 + 30.0 / 80.0));
    assert_eq!(m.km(delta, alfa), m.km(alfa, delta), "roads are two-way");
    assert_eq!(m.km(beta, beta), Some(0.0));
}

#[test]
fn closures_apply_on_their_dates_only() {
    let s = tiny();
    let net = RoadNetwork::new(&s);
    let (alfa, delta) = (loc(&s, "alfa"), loc(&s, "delta"));
    // gamma-delta is closed 2027-03-15..2027-03-19.
    assert_eq!(net.on(date("2027-03-14")).km(alfa, delta), Some(190.0));
    assert_eq!(net.on(date("2027-03-15")).km(alfa, delta), None);
    assert_eq!(net.on(date("2027-03-19")).hours(alfa, delta), None);
    assert_eq!(net.on(date("2027-03-20")).km(alfa, delta), Some(190.0));
    let err = net
        .round_trip_km(alfa, delta, date("2027-03-16"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "delta cannot be reached from alfa by road on 2027-03-16 (roads closed)"
    );
    assert_eq!(
        net.round_trip_km(alfa, loc(&s, "gamma"), date("2027-03-16")),
        Ok(320.0)
    );
}

#[test]
fn merge_keeps_both_institutions_and_resolves_persons() {
    let s = tiny();
    let visits = calendar::merge(&s);
    assert_eq!(visits.len(), 8);
    let codes: Vec<&str> = visits.iter().map(|v| s.visit(v.id).code.as_str()).collect();
    assert_eq!(codes, ["m1", "c1", "m2", "c2", "m5", "m3", "c3", "m4"]);
    // m1 (ministry) and c1 (css) are the same person.
    assert_eq!(visits[0].person, visits[1].person);
    assert_ne!(visits[0].institution, visits[1].institution);
    // m3 starts Monday 2027-03-22 for 3 days; weeks are counted from 2027-03-01.
    let m3 = visits.iter().find(|v| s.visit(v.id).code == "m3").unwrap();
    assert_eq!(m3.week, 3);
    assert_eq!(
        m3.dates,
        [date("2027-03-22"), date("2027-03-23"), date("2027-03-24")]
    );
}

#[test]
fn every_conflict_kind_is_found_with_its_visits() {
    let s = tiny();
    let net = RoadNetwork::new(&s);
    let found = conflicts::find(&s, &net, &calendar::merge(&s));
    let got: Vec<(ConflictKind, Vec<&str>)> = found
        .iter()
        .map(|c| (c.kind, c.visits.iter().map(String::as_str).collect()))
        .collect();
    use ConflictKind::*;
    assert_eq!(
        got,
        vec![
            (DuplicateSpecialty, vec!["m1", "c1"]), // cardiology at beta, same week, both institutions
            (PersonDoubleBooked, vec!["m1", "c1"]), // Ana Ruiz on 2027-03-02 for both
            (RoomCapacity, vec!["m1", "c1", "m2"]), // Hospital Beta has one room
            (MonthlyTrips, vec!["c1", "c3"]),       // card-c allows 1 trip a month
            (RoadClosed, vec!["m5"]),               // gamma-delta closed that week
            (DuplicateSpecialty, vec!["m3", "c3"]), // cardiology at gamma 1 week apart, spacing 2
            (Holiday, vec!["m3"]),                  // 2027-03-24
            (Unavailable, vec!["m4"]),              // Bruno Paz on leave
        ]
    );
    let double = &found[1];
    assert_eq!(double.institutions, ["css", "ministry"]);
    assert_eq!(double.date, date("2027-03-02"));
}

#[test]
fn travel_time_and_monthly_days_conflicts() {
    let dir = common::tiny_copy();
    // Allow one driving hour a day: beta -> gamma (1.5 h) no longer fits overnight.
    let p = dir.path().join("scenario.yaml");
    let y = fs::read_to_string(&p).unwrap();
    fs::write(
        &p,
        y.replace(
            "max_driving_hours_per_day: 8",
            "max_driving_hours_per_day: 1",
        ),
    )
    .unwrap();
    let p = dir.path().join("calendar-css.csv");
    let mut c = fs::read_to_string(&p).unwrap();
    c.push_str("c4,card-c,gamma,gamma-css,2027-03-03,3,tentative\n");
    fs::write(&p, c).unwrap();
    let p = dir.path().join("specialists.csv");
    let sp = fs::read_to_string(&p).unwrap();
    fs::write(
        &p,
        sp.replace(
            "card-c,P1,Ana Ruiz,css,cardiology,alfa,,1,6",
            "card-c,P1,Ana Ruiz,css,cardiology,alfa,,1,4",
        ),
    )
    .unwrap();
    let s = scenario::load(dir.path()).unwrap();
    let net = RoadNetwork::new(&s);
    let found = conflicts::find(&s, &net, &calendar::merge(&s));
    let travel: Vec<_> = found
        .iter()
        .filter(|c| c.kind == ConflictKind::TravelTime)
        .collect();
    // Ana Ruiz ends at beta on Tuesday under both records (m1, c1) and starts at gamma on Wednesday.
    let pairs: Vec<&Vec<String>> = travel.iter().map(|c| &c.visits).collect();
    assert_eq!(
        pairs,
        [
            &vec!["c1".to_string(), "c4".into()],
            &vec!["m1".into(), "c4".into()]
        ]
    );
    // card-c in March: c1 (1 day) + c4 (3 days) + c3 (1 day) = 5 > 4.
    let days: Vec<_> = found
        .iter()
        .filter(|c| c.kind == ConflictKind::MonthlyDays)
        .collect();
    assert_eq!(days.len(), 1);
    assert_eq!(days[0].visits, ["c1", "c4", "c3"]);
}

#[test]
fn status_quo_matches_the_hand_computation() {
    let s = tiny();
    let net = RoadNetwork::new(&s);
    let visits = calendar::merge(&s);
    let found = conflicts::find(&s, &net, &visits);
    let m = status_quo::evaluate(&s, &net, &visits, &found);
    assert_eq!(m.visits, 8);
    assert_eq!(m.consultation_days, 12);
    // Round trips: 4 to beta (200 km), 2 to gamma (320 km), 2 to delta (380 km,
    // the closed week counted on the open network).
    assert_eq!(m.km, 2200.0);
    assert_eq!(m.travel_cost, 2200.0 * 500.0 + 12.0 * 60000.0);
    // Waiting lists week by week (backlog at the end of each week):
    // beta/cardiology 2,4,..,16 = 72; gamma/cardiology 21,22,23,0,0,1,2,3 = 72;
    // beta/pediatrics 28,0,4,8,..,24 = 112; delta/pediatrics 11,12,0,1,2,0,1,2 = 29.
    assert_eq!(m.patient_weeks_waiting, 72.0 + 72.0 + 112.0 + 29.0);
    assert_eq!(m.weighted_patient_weeks, 1.5 * 144.0 + 141.0);
    assert_eq!(m.patients_served, 30.0 + 25.0 + 48.0 + 16.0);
    assert_eq!(m.unmet_at_end, 16.0 + 3.0 + 24.0 + 2.0);
    assert_eq!(
        m.total_demand,
        (30.0 + 16.0) + (20.0 + 8.0) + (40.0 + 32.0) + (10.0 + 8.0)
    );
    assert_eq!(m.duplicates, 2);
    assert_eq!(m.double_bookings, 1);
    // beta/cardiology is left 7 weeks (max 4) and beta/pediatrics 6 (max 3).
    assert_eq!(m.coverage_gaps, 2);
    let card = &m.by_specialty[0];
    assert_eq!(card.backlog_by_week[0], 2.0 + 21.0);
}
