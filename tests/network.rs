//! Road paths and closures on the tiny scenario's network: alfa–beta 100 km,
//! beta–gamma 60 km, alfa–gamma 200 km, gamma–delta 30 km (closed
//! 2027-03-15..19).

use chrono::NaiveDate;
use itinera::model::{LocalityId, Scenario};
use itinera::network::RoadNetwork;
use std::path::Path;

fn tiny() -> Scenario {
    itinera::scenario::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny")).unwrap()
}

fn id(s: &Scenario, code: &str) -> LocalityId {
    LocalityId::from_index(s.localities.iter().position(|l| l.code == code).unwrap())
}

fn codes(s: &Scenario, path: &[LocalityId]) -> Vec<String> {
    path.iter()
        .map(|l| s.localities[l.index()].code.clone())
        .collect()
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, m, d).unwrap()
}

#[test]
fn the_shortest_path_goes_through_the_towns_on_the_way() {
    let s = tiny();
    let net = RoadNetwork::new(&s);
    let path = net.path(id(&s, "alfa"), id(&s, "gamma"), &[]).unwrap();
    assert_eq!(codes(&s, &path), ["alfa", "beta", "gamma"]);
    // beta–gamma (road 1) closed: the direct road.
    let path = net.path(id(&s, "alfa"), id(&s, "gamma"), &[1]).unwrap();
    assert_eq!(codes(&s, &path), ["alfa", "gamma"]);
    // gamma–delta (road 3) closed: delta is cut off.
    assert_eq!(net.path(id(&s, "alfa"), id(&s, "delta"), &[3]), None);
    let path = net.path(id(&s, "delta"), id(&s, "delta"), &[]).unwrap();
    assert_eq!(codes(&s, &path), ["delta"]);
}

#[test]
fn closures_between_two_dates_are_those_overlapping_them() {
    let net = RoadNetwork::new(&tiny());
    assert_eq!(net.closed_between(day(3, 1), day(3, 31)), vec![3]);
    assert_eq!(net.closed_between(day(3, 19), day(3, 19)), vec![3]);
    assert_eq!(
        net.closed_between(day(3, 20), day(4, 30)),
        Vec::<u32>::new()
    );
    assert_eq!(net.closed_between(day(3, 1), day(3, 14)), Vec::<u32>::new());
}
