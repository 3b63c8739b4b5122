//! What a route or a solution costs, and what it violates. Violations are
//! priced by [`Penalties`] during the search so that infeasible solutions can
//! guide it (Vidal 2022, section 3.3); only feasible ones are returned.

use super::problem::{DIMS, Load, Problem, add_load};
use super::segment::Segment;

/// Price per unit of each violation; adapted during the search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Penalties {
    /// Per unit of load above capacity, per dimension.
    pub load: [f64; DIMS],
    /// Per unit of time warp (late arrival or over-long route).
    pub warp: f64,
    /// Per unit of distance above the vehicle's limit.
    pub distance: f64,
    /// Per cold-chain load on a vehicle without refrigeration: fixed, and
    /// above any saving a route could make, so the search always moves it.
    pub incompatible: f64,
}

impl Penalties {
    /// The same penalties multiplied by `factor` (repair phase).
    pub fn scaled(&self, factor: f64) -> Penalties {
        Penalties {
            load: self.load.map(|p| p * factor),
            warp: self.warp * factor,
            distance: self.distance * factor,
            incompatible: self.incompatible,
        }
    }
}

/// Cost and violations of a route or of a whole solution.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Cost {
    /// Fixed plus distance costs.
    pub cost: i64,
    /// Distance driven.
    pub distance: i64,
    /// Load above capacity, per dimension.
    pub excess_load: Load,
    /// Time warp.
    pub warp: i64,
    /// Distance above the limit.
    pub excess_distance: i64,
    /// Cold-chain loads on vehicles without refrigeration.
    pub incompatible: i64,
}

impl Cost {
    /// Whether nothing is violated.
    pub fn feasible(&self) -> bool {
        self.excess_load.iter().all(|&e| e == 0)
            && self.warp == 0
            && self.excess_distance == 0
            && self.incompatible == 0
    }

    /// Cost plus priced violations.
    #[inline]
    pub fn penalized(&self, p: &Penalties) -> f64 {
        let mut c = self.cost as f64
            + p.warp * self.warp as f64
            + p.distance * self.excess_distance as f64
            + p.incompatible * self.incompatible as f64;
        for d in 0..DIMS {
            c += p.load[d] * self.excess_load[d] as f64;
        }
        c
    }

    /// Sum of two costs.
    pub fn add(&mut self, o: &Cost) {
        self.cost += o.cost;
        self.distance += o.distance;
        for d in 0..DIMS {
            self.excess_load[d] += o.excess_load[d];
        }
        self.warp += o.warp;
        self.excess_distance += o.excess_distance;
        self.incompatible += o.incompatible;
    }
}

/// Cost of a route of vehicle type `vt` over `clients` (node indices), by a
/// plain walk; the reference every faster evaluation must agree with.
pub fn route_cost(problem: &Problem, vt: usize, clients: &[usize]) -> Cost {
    if clients.is_empty() {
        return Cost::default();
    }
    let v = &problem.vehicle_types()[vt];
    let depot = v.depot;
    let mut seg = Segment::node(depot, 0, v.start_window);
    let mut last = depot;
    let mut distance = 0;
    let mut load = [0; DIMS];
    let mut incompatible = 0;
    for &c in clients {
        let client = problem.client(c);
        distance += problem.distance(last, c);
        seg = seg.then(
            &Segment::node(c, client.service, client.window),
            problem.time(last, c),
        );
        add_load(&mut load, &client.demand);
        if !problem.compatible(c, vt) {
            incompatible += 1;
        }
        last = c;
    }
    distance += problem.distance(last, depot);
    seg = seg.then(
        &Segment::node(depot, 0, (0, v.latest_return)),
        problem.time(last, depot),
    );
    finish(problem, vt, distance, load, &seg, incompatible)
}

/// Cost of a route from its totals.
#[inline]
pub(crate) fn finish(
    problem: &Problem,
    vt: usize,
    distance: i64,
    load: Load,
    seg: &Segment,
    incompatible: i64,
) -> Cost {
    let v = &problem.vehicle_types()[vt];
    let mut excess_load = [0; DIMS];
    for (d, e) in excess_load.iter_mut().enumerate() {
        *e = (load[d] - v.capacity[d]).max(0);
    }
    Cost {
        cost: v.fixed_cost + v.unit_cost * distance,
        distance,
        excess_load,
        warp: seg.total_warp(v.max_duration),
        excess_distance: (distance - v.max_distance).max(0),
        incompatible,
    }
}
