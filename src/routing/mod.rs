//! The vehicle-routing engine behind supply logistics: a hybrid genetic
//! search (Vidal 2022, HGS-CVRP) extended with time windows (as time warp),
//! several depots, a heterogeneous fleet, route length limits and cold-chain
//! compatibility. It knows nothing of scenarios: [`Problem`] is plain
//! numbers, built by the logistics stage or read from benchmark files.
//!
//! ```
//! use itinera::routing::{Client, Matrix, Problem, SearchParams, VehicleType, solve};
//! // One depot and three clients on a line, one vehicle of capacity 10.
//! let xs = [0i64, 1, 2, 3];
//! let d = Matrix::from_fn(4, |i, j| (xs[i] - xs[j]).abs());
//! let clients = vec![Client::with_demand(3); 3];
//! let p = Problem::new(1, clients, vec![VehicleType::new(0, 1, 10)], d, None).unwrap();
//! let params = SearchParams { max_iterations: Some(50), ..SearchParams::default() };
//! let s = solve(&p, &params);
//! assert_eq!(s.cost.cost, 6);
//! assert!(s.feasible);
//! ```

mod cost;
pub mod formats;
mod local_search;
mod population;
mod problem;
mod route;
mod search;
mod segment;
mod split;
mod swap_star;

use std::time::Duration;

use problem::add_load;

pub use cost::{Cost, Penalties, route_cost};
pub use population::PopulationParams;
pub use problem::{Client, DIMS, Load, Matrix, Problem, ProblemError, UNLIMITED, VehicleType};
pub use search::SearchParams;
pub use segment::Segment;

/// One route of a solution.
#[derive(Debug, Clone, PartialEq)]
pub struct SolvedRoute {
    /// Vehicle type.
    pub vehicle_type: usize,
    /// Clients in visiting order, as indices into [`Problem::clients`].
    pub clients: Vec<usize>,
    /// Start of service at each client.
    pub arrivals: Vec<i64>,
    /// Departure from the depot.
    pub departure: i64,
    /// Return to the depot.
    pub back: i64,
    /// Load carried out of the depot.
    pub load: Load,
    /// Cost and violations.
    pub cost: Cost,
}

/// The answer of the engine.
#[derive(Debug, Clone)]
pub struct Solution {
    /// Non-empty routes.
    pub routes: Vec<SolvedRoute>,
    /// Total cost and violations.
    pub cost: Cost,
    /// Whether every limit holds; when no feasible solution was found this is
    /// the least violating one.
    pub feasible: bool,
    /// Search iterations run.
    pub iterations: u64,
    /// Wall-clock time used.
    pub elapsed: Duration,
}

/// Solves a problem.
pub fn solve(problem: &Problem, params: &SearchParams) -> Solution {
    answer(problem, search::search(problem, params, None))
}

/// Solves a problem starting from a known solution, given as (vehicle type,
/// clients as node indices) routes, with no more routes of a type than its
/// vehicles and every client in exactly one route. A good start lets a
/// short budget reach what a longer one would from scratch.
pub fn solve_from(
    problem: &Problem,
    params: &SearchParams,
    start: &[(usize, Vec<usize>)],
) -> Result<Solution, ProblemError> {
    let start = search::to_slots(problem, start)?;
    Ok(answer(
        problem,
        search::search(problem, params, Some(start)),
    ))
}

fn answer(problem: &Problem, outcome: search::Outcome) -> Solution {
    let (ind, feasible) = match (outcome.best, outcome.best_infeasible) {
        (Some(b), _) => (b, true),
        (None, Some(b)) => (b, false),
        (None, None) => unreachable!("the search always evaluates at least one solution"),
    };
    let routes = ind
        .routes
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.is_empty())
        .map(|(k, r)| schedule(problem, outcome.slots[k], r))
        .collect();
    Solution {
        routes,
        cost: ind.cost,
        feasible,
        iterations: outcome.iterations,
        elapsed: outcome.elapsed,
    }
}

/// Times a route: leave the depot as late as possible without waiting more
/// than needed, serve each client at the earliest moment its window allows.
pub fn schedule(problem: &Problem, vt: usize, nodes: &[usize]) -> SolvedRoute {
    let v = &problem.vehicle_types()[vt];
    let depots = problem.depots();
    // The whole route as one segment gives the best departure time.
    let mut seg = Segment::node(v.depot, 0, v.start_window);
    let mut last = v.depot;
    for &c in nodes {
        let client = problem.client(c);
        seg = seg.then(
            &Segment::node(c, client.service, client.window),
            problem.time(last, c),
        );
        last = c;
    }
    let departure = seg.latest.min(v.start_window.1).max(v.start_window.0);
    let departure = departure.min(seg.earliest.max(v.start_window.0));
    let mut t = departure;
    let mut last = v.depot;
    let mut arrivals = Vec::with_capacity(nodes.len());
    let mut load = [0; DIMS];
    for &c in nodes {
        let client = problem.client(c);
        t += problem.time(last, c);
        t = t
            .max(client.window.0)
            .min(client.window.1.max(client.window.0));
        arrivals.push(t);
        t += client.service;
        add_load(&mut load, &client.demand);
        last = c;
    }
    let back = t + problem.time(last, v.depot);
    SolvedRoute {
        vehicle_type: vt,
        clients: nodes.iter().map(|&c| c - depots).collect(),
        arrivals,
        departure,
        back,
        load,
        cost: route_cost(problem, vt, nodes),
    }
}
