//! The routing engine and its readers: both benchmark formats, known optima,
//! cold chain, and deliveries that cannot be made.

use itinera::routing::{
    Client, Matrix, Problem, SearchParams, UNLIMITED, VehicleType, formats, solve,
};
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/routing")
        .join(name)
}

fn quick(iterations: u64) -> SearchParams {
    SearchParams {
        max_iterations: Some(iterations),
        ..SearchParams::default()
    }
}

#[test]
fn reads_cvrplib_with_rounded_distances() {
    let i = formats::read(&fixture("E-n22-k4.vrp")).unwrap();
    let p = &i.problem;
    assert_eq!(i.name, "E-n22-k4");
    assert_eq!(p.clients().len(), 21);
    assert_eq!(p.vehicle_types()[0].capacity[0], 6000);
    assert_eq!(p.clients()[0].demand[0], 1100);
    // Nodes 1 (145,215) and 2 (151,264): sqrt(36 + 2401) = 49.37 → 49.
    assert_eq!(p.distance(0, 1), 49);
}

#[test]
fn reads_solomon_with_windows_in_thousandths() {
    let i = formats::read(&fixture("C101.txt")).unwrap();
    let p = &i.problem;
    assert_eq!(i.name, "C101");
    assert_eq!(p.clients().len(), 100);
    let v = &p.vehicle_types()[0];
    assert_eq!((v.count, v.capacity[0]), (25, 200));
    assert_eq!(v.latest_return, 1_236_000);
    let c1 = &p.clients()[0];
    assert_eq!(
        (c1.demand[0], c1.window, c1.service),
        (10, (912_000, 967_000), 90_000)
    );
}

#[test]
fn malformed_files_name_the_line() {
    let err = formats::parse_cvrplib(
        "x.vrp",
        "x",
        "NAME : x\nDIMENSION : 2\nCAPACITY : 10\nNODE_COORD_SECTION\n1 0 zero\n",
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("x.vrp:5:"), "{err}");
    let err = formats::parse_solomon("y.txt", "y", "Y\n\nVEHICLE\nNUMBER CAPACITY\n 2 10\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("CUSTOMER"), "{err}");
}

#[test]
fn finds_the_known_optimum_of_small_cvrplib_instances() {
    for (file, fleet, optimum) in [("E-n22-k4.vrp", 4, 375.0), ("P-n16-k8.vrp", 8, 450.0)] {
        let i = formats::read(&fixture(file))
            .unwrap()
            .with_fleet(fleet)
            .unwrap();
        let s = solve(&i.problem, &quick(3000));
        assert!(s.feasible, "{file}");
        let routes: Vec<Vec<usize>> = s.routes.iter().map(|r| r.clients.clone()).collect();
        let cost = formats::verify(&i, &routes).unwrap();
        assert_eq!(cost, optimum, "{file}");
        assert_eq!(s.cost.cost as f64, optimum);
    }
}

#[test]
fn solomon_solution_keeps_every_window() {
    let i = formats::read(&fixture("C101.txt")).unwrap();
    let s = solve(&i.problem, &quick(300));
    assert!(s.feasible);
    let routes: Vec<Vec<usize>> = s.routes.iter().map(|r| r.clients.clone()).collect();
    let cost = formats::verify(&i, &routes).expect("windows and capacity hold in exact arithmetic");
    // Best known 828.94; a short run stays within 2 %.
    assert!(cost < 828.94 * 1.02, "{cost}");
}

/// Two depots 100 apart on a line, clients near each; one refrigerated van
/// at depot 0 and one dry truck at depot 1.
fn two_depots(cold: &[bool]) -> Problem {
    let xs: Vec<i64> = [0, 100]
        .into_iter()
        .chain((0..cold.len()).map(|k| if k % 2 == 0 { 5 } else { 95 }))
        .collect();
    let clients = cold
        .iter()
        .map(|&c| Client {
            cold_chain: c,
            ..Client::with_demand(1)
        })
        .collect();
    let mut van = VehicleType::new(0, 1, 10);
    van.refrigerated = true;
    let truck = VehicleType::new(1, 1, 10);
    Problem::new(
        2,
        clients,
        vec![van, truck],
        Matrix::from_fn(xs.len(), |i, j| (xs[i] - xs[j]).abs()),
        None,
    )
    .unwrap()
}

#[test]
fn cold_chain_loads_ride_only_refrigerated_vehicles() {
    // Client 1 is cold and sits next to the dry truck's depot: it must still
    // go on the van, although the truck would be far cheaper.
    let p = two_depots(&[false, true]);
    let s = solve(&p, &quick(200));
    assert!(s.feasible);
    let van = s
        .routes
        .iter()
        .find(|r| r.vehicle_type == 0)
        .expect("the van is used");
    assert!(van.clients.contains(&1));
    assert_eq!(s.cost.incompatible, 0);
    // Without the cold chain the truck takes it, for less.
    let dry = solve(&two_depots(&[false, false]), &quick(200));
    assert!(dry.cost.cost < s.cost.cost);
}

#[test]
fn an_impossible_window_leaves_the_solution_infeasible_and_says_why() {
    // The client closes at 5 but is 10 away: no route can be on time.
    let d = Matrix::from_fn(2, |i, j| if i == j { 0 } else { 10 });
    let late = Client {
        window: (0, 5),
        ..Client::with_demand(1)
    };
    let p = Problem::new(1, vec![late], vec![VehicleType::new(0, 1, 10)], d, None).unwrap();
    let s = solve(&p, &quick(50));
    assert!(!s.feasible);
    assert_eq!(s.cost.warp, 5);
    let mut v = VehicleType::new(0, 1, 10);
    v.latest_return = UNLIMITED;
    assert!(
        Problem::new(
            1,
            vec![Client {
                window: (5, 1),
                ..Client::with_demand(1)
            }],
            vec![v],
            Matrix::from_fn(2, |_, _| 0),
            None
        )
        .is_err()
    );
}

#[test]
fn same_seed_and_budget_give_the_same_routes() {
    let i = formats::read(&fixture("E-n22-k4.vrp")).unwrap();
    let a = solve(&i.problem, &quick(300));
    let b = solve(&i.problem, &quick(300));
    assert_eq!(a.routes, b.routes);
}

#[test]
fn a_search_from_a_given_solution_improves_it_and_rejects_one_that_leaves_a_client_out() {
    // Depot at 0 and clients at 1, 2, 3 on a line; one vehicle.
    let xs = [0i64, 1, 2, 3];
    let d = Matrix::from_fn(4, |i, j| (xs[i] - xs[j]).abs());
    let p = Problem::new(
        1,
        vec![Client::with_demand(1); 3],
        vec![VehicleType::new(0, 1, 10)],
        d,
        None,
    )
    .unwrap();
    // 0 → 3 → 1 → 2 → 0 drives 8; in order it drives 6. One iteration is
    // the local search of the start alone.
    let one = SearchParams {
        max_iterations: Some(1),
        ..SearchParams::default()
    };
    let s = itinera::routing::solve_from(&p, &one, &[(0, vec![3, 1, 2])]).unwrap();
    assert!(s.feasible);
    assert_eq!(s.cost.distance, 6);
    assert_eq!(s.iterations, 1);
    assert!(matches!(
        itinera::routing::solve_from(&p, &one, &[(0, vec![3, 1])]),
        Err(itinera::routing::ProblemError::Start(_))
    ));
    assert!(matches!(
        itinera::routing::solve_from(&p, &one, &[(0, vec![1]), (0, vec![2, 3])]),
        Err(itinera::routing::ProblemError::Start(_))
    ));
}
