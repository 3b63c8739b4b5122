//! Supply routes on the tiny scenario: every delivery is routed, carried or
//! reported with its reason, cold-chain kits ride refrigerated vehicles, and
//! the checker accepts the result and catches a broken one.

use itinera::network::RoadNetwork;
use itinera::plan::status_quo::as_plan;
use itinera::{check, logistics, scenario};
use std::path::Path;

/// The tiny scenario with a `logistics` section appended.
fn tiny_with(logistics_yaml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/tiny");
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    let yaml = dir.path().join("scenario.yaml");
    let mut text = std::fs::read_to_string(&yaml).unwrap();
    text.push_str(logistics_yaml);
    std::fs::write(&yaml, text).unwrap();
    dir
}

const BASE: &str = "
logistics:
  depots:
    - { id: central, locality: alfa }
  kits:
    - { specialty: cardiology, kg_per_day: 20 }
    - { specialty: pediatrics, kg_per_day: 15, cold_chain: true }
  routine:
    - { locality: beta, kg: 100 }
";

/// Supply violations only: the status quo breaks calendar rules by design.
fn supply_violations(
    s: &itinera::model::Scenario,
    net: &RoadNetwork,
    p: &itinera::plan::format::Plan,
) -> Vec<itinera::check::Violation> {
    check::check(s, net, p)
        .into_iter()
        .filter(|v| v.rule.starts_with("supply"))
        .collect()
}

fn plan_for(
    extra: &str,
) -> (
    itinera::model::Scenario,
    RoadNetwork,
    itinera::plan::format::Plan,
) {
    let dir = tiny_with(&format!("{BASE}{extra}"));
    let s = scenario::load(dir.path()).expect("valid scenario");
    let net = RoadNetwork::new(&s);
    let mut p = as_plan(&s, &net);
    let (routes, supply) =
        logistics::plan_supply(&s, &net, p.made_visits()).expect("logistics section");
    p.routes = routes;
    p.supply = Some(supply);
    (s, net, p)
}

#[test]
fn cold_kits_without_a_refrigerated_vehicle_are_reported_not_dropped() {
    let (s, net, p) = plan_for(
        "  vehicles:\n    - { id: truck, depot: central, capacity_kg: 2000, runs: [mon, tue, wed, thu, fri], max_days: 2 }\n",
    );
    let supply = p.supply.as_ref().unwrap();
    let cold: Vec<_> = supply.deliveries.iter().filter(|d| d.cold_chain).collect();
    assert!(!cold.is_empty(), "tiny has pediatric visits");
    for d in &cold {
        assert_eq!(d.status, "undelivered", "{}", d.id);
        assert_eq!(d.reason.as_deref(), Some("no_vehicle"));
        assert!(d.detail.as_deref().unwrap().contains("refrigerated"));
    }
    assert!(
        supply
            .deliveries
            .iter()
            .any(|d| !d.cold_chain && d.status == "routed")
    );
    assert_eq!(supply.metrics.undelivered, cold.len());
    let found = supply_violations(&s, &net, &p);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn cold_kits_ride_the_refrigerated_van_and_the_checker_agrees() {
    let (s, net, p) = plan_for(
        "  vehicles:\n    - { id: truck, depot: central, capacity_kg: 2000, cost_per_km: 100, runs: [mon, tue, wed, thu, fri], max_days: 2 }\n    - { id: van, depot: central, capacity_kg: 500, refrigerated: true, cost_per_km: 300, runs: [mon, tue, wed, thu, fri], max_days: 2 }\n",
    );
    let supply = p.supply.as_ref().unwrap();
    // Delta's only road is closed part of March and April: its kits are
    // reported as unreachable, everything else is made.
    for d in supply
        .deliveries
        .iter()
        .filter(|d| d.status == "undelivered")
    {
        assert_eq!(
            (d.locality.as_str(), d.reason.as_deref()),
            ("delta", Some("unreachable")),
            "{}",
            d.id
        );
    }
    assert!(supply.metrics.routed >= 6, "{:?}", supply.metrics);
    for r in &p.routes {
        for stop in &r.stops {
            for id in &stop.deliveries {
                let d = supply.deliveries.iter().find(|d| &d.id == id).unwrap();
                if d.cold_chain {
                    assert_eq!(r.vehicle, "van", "{id}");
                }
                assert!(stop.arrival.date() >= d.earliest && stop.arrival.date() <= d.latest);
            }
        }
    }
    assert!(supply_violations(&s, &net, &p).is_empty());
    // A cold kit moved to the truck is caught.
    let mut broken = p.clone();
    let cold_id = supply
        .deliveries
        .iter()
        .find(|d| d.cold_chain && d.status == "routed")
        .unwrap()
        .id
        .clone();
    for r in &mut broken.routes {
        if r.vehicle == "van" && r.stops.iter().any(|s| s.deliveries.contains(&cold_id)) {
            r.vehicle = "truck".to_string();
        }
    }
    let found = supply_violations(&s, &net, &broken);
    assert!(
        found.iter().any(|v| v.rule == "supply_cold_chain"),
        "{found:?}"
    );
}

#[test]
fn an_unknown_depot_is_an_input_error() {
    let dir = tiny_with(&format!(
        "{BASE}  vehicles:\n    - {{ id: truck, depot: nowhere, capacity_kg: 100, runs: [mon] }}\n"
    ));
    let err = scenario::load(dir.path()).unwrap_err();
    let scenario::ScenarioError::Invalid(d) = err;
    assert!(
        d.iter()
            .any(|x| x.code.as_str() == "E1701" && x.line.is_some()),
        "{d:?}"
    );
}

#[test]
fn kits_of_specialists_leaving_from_the_depot_travel_with_them_and_save_km() {
    let trucks = "  vehicles:\n    - { id: truck, depot: central, capacity_kg: 2000, runs: [mon, tue, wed, thu, fri], max_days: 2 }\n    - { id: van, depot: central, capacity_kg: 500, refrigerated: true, runs: [mon, tue, wed, thu, fri], max_days: 2 }\n";
    let (s, net, p) = plan_for(&format!(
        "{trucks}  kit_with_specialist: {{ max_kg: 100, cold_chain: true }}\n"
    ));
    let supply = p.supply.as_ref().unwrap();
    // Every tiny specialist is based at alfa, the depot: all kits that fit go
    // with them, only the routine delivery rides a truck.
    let carried: Vec<_> = supply
        .deliveries
        .iter()
        .filter(|d| d.status == "carried")
        .collect();
    assert!(!carried.is_empty());
    for d in &carried {
        assert!(d.route.is_none(), "{}", d.id);
        assert!(
            p.routes
                .iter()
                .all(|r| r.stops.iter().all(|s| !s.deliveries.contains(&d.id))),
            "{} is carried and on a truck",
            d.id
        );
    }
    assert!(
        supply.metrics.km_saved_by_carrying > 0.0,
        "{:?}",
        supply.metrics
    );
    assert!(supply_violations(&s, &net, &p).is_empty());
    // Without carrying, the same kits ride the trucks.
    let (_, _, without) = plan_for(trucks);
    let w = without.supply.as_ref().unwrap();
    assert_eq!(w.metrics.carried, 0);
    assert_eq!(w.metrics.km_saved_by_carrying, 0.0);
    assert!(w.metrics.routed > supply.metrics.routed);
}

#[test]
fn the_map_draws_each_trip_along_roads() {
    let (s, _, p) = plan_for(
        "  vehicles:\n    - { id: truck, depot: central, capacity_kg: 2000, runs: [mon, tue, wed, thu, fri], max_days: 2 }\n    - { id: van, depot: central, capacity_kg: 500, refrigerated: true, runs: [mon, tue, wed, thu, fri], max_days: 2 }\n",
    );
    assert!(!p.routes.is_empty());
    let opts = itinera::export::ExportOptions {
        lang: itinera::export::Lang::En,
        published_at: chrono::Utc::now(),
    };
    let publication = itinera::export::publish(&s, &p, None, &opts).unwrap();
    let map = publication
        .files
        .iter()
        .find(|f| f.path.to_str() == Some("map/routes.geojson"))
        .expect("routes map published");
    let fc: geojson::FeatureCollection = serde_json::from_slice(&map.bytes).unwrap();
    assert_eq!(fc.features.len(), p.routes.len());
    let at = |l: itinera::model::LocalityId| {
        let l = &s.localities[l.index()];
        (l.lon, l.lat)
    };
    let road = |a: (f64, f64), b: (f64, f64)| {
        a == b
            || s.roads
                .iter()
                .any(|r| (at(r.a), at(r.b)) == (a, b) || (at(r.b), at(r.a)) == (a, b))
    };
    let mut through = 0;
    for (f, r) in fc.features.iter().zip(&p.routes) {
        let Some(geojson::GeometryValue::LineString { coordinates: line }) =
            f.geometry.as_ref().map(|g| &g.value)
        else {
            panic!("{}: not a line", r.id);
        };
        for leg in line.windows(2) {
            let (a, b) = ((leg[0][0], leg[0][1]), (leg[1][0], leg[1][1]));
            assert!(road(a, b), "{}: {a:?} to {b:?} is no road", r.id);
        }
        // Towns passed through without a stop.
        let stops: Vec<(f64, f64)> = r
            .stops
            .iter()
            .map(|x| {
                let l = s.localities.iter().find(|l| l.code == x.locality).unwrap();
                (l.lon, l.lat)
            })
            .collect();
        through += line[1..line.len() - 1]
            .iter()
            .filter(|q| !stops.contains(&(q[0], q[1])))
            .count();
    }
    assert!(
        through > 0,
        "some trip passes through a town it does not stop at"
    );
}
