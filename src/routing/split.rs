//! Split (Prins 2004; Vidal 2022, section 3.2): cut a giant tour of all
//! clients into routes optimally by a shortest path over its cut points,
//! then give each route the vehicle type that serves it best.

use super::cost::{Penalties, finish, route_cost};
use super::problem::{DIMS, Problem, add_load};
use super::segment::Segment;

/// Longest route the split considers, in clients.
const MAX_ROUTE: usize = 200;

/// Routes per slot (`slots[k]` is slot k's vehicle type) for a giant tour.
pub fn split(
    problem: &Problem,
    giant: &[usize],
    slots: &[usize],
    penalties: &Penalties,
) -> Vec<Vec<usize>> {
    let reference = reference_type(problem);
    let v = &problem.vehicle_types()[reference];
    let n = giant.len();
    let mut potential = vec![f64::INFINITY; n + 1];
    let mut pred = vec![0usize; n + 1];
    potential[0] = 0.0;
    let end = Segment::node(v.depot, 0, (0, v.latest_return));
    for i in 0..n {
        if !potential[i].is_finite() {
            continue;
        }
        let mut seg = Segment::node(v.depot, 0, v.start_window);
        let mut last = v.depot;
        let mut distance = 0;
        let mut load = [0i64; DIMS];
        let mut incompatible = 0;
        for j in i..n.min(i + MAX_ROUTE) {
            let c = giant[j];
            let client = problem.client(c);
            distance += problem.distance(last, c);
            seg = seg.then(
                &Segment::node(c, client.service, client.window),
                problem.time(last, c),
            );
            add_load(&mut load, &client.demand);
            incompatible += i64::from(!problem.compatible(c, reference));
            last = c;
            let closed = seg.then(&end, problem.time(c, v.depot));
            let cost = finish(
                problem,
                reference,
                distance + problem.distance(c, v.depot),
                load,
                &closed,
                incompatible,
            )
            .penalized(penalties);
            if potential[i] + cost < potential[j + 1] {
                potential[j + 1] = potential[i] + cost;
                pred[j + 1] = i;
            }
            if (0..DIMS).any(|d| load[d] > v.capacity[d].saturating_mul(3) / 2) {
                break;
            }
        }
    }
    let mut routes = Vec::new();
    let mut j = n;
    while j > 0 {
        let i = pred[j];
        routes.push(giant[i..j].to_vec());
        j = i;
    }
    routes.reverse();
    assign(problem, routes, slots, penalties)
}

/// The vehicle type with the most vehicles: the split's yardstick.
fn reference_type(problem: &Problem) -> usize {
    let types = problem.vehicle_types();
    (0..types.len())
        .max_by_key(|&k| (types[k].count, usize::MAX - k))
        .unwrap_or(0)
}

/// Gives each route the free slot whose vehicle serves it at the least
/// penalized cost, heaviest routes first; routes beyond the fleet join the
/// last ones assigned, for the local search to repair.
pub fn assign(
    problem: &Problem,
    mut routes: Vec<Vec<usize>>,
    slots: &[usize],
    penalties: &Penalties,
) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); slots.len()];
    let types = problem.vehicle_types().len();
    let mut free: Vec<Vec<usize>> = vec![Vec::new(); types];
    for (k, &vt) in slots.iter().enumerate().rev() {
        free[vt].push(k);
    }
    let weight = |r: &Vec<usize>| -> i64 { r.iter().map(|&c| problem.client(c).demand[0]).sum() };
    routes.sort_by_key(|r| std::cmp::Reverse(weight(r)));
    let mut last = None;
    for route in routes {
        let best = if types == 1 {
            (!free[0].is_empty()).then_some(0)
        } else {
            (0..types)
                .filter(|&vt| !free[vt].is_empty())
                .map(|vt| (route_cost(problem, vt, &route).penalized(penalties), vt))
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, vt)| vt)
        };
        match best {
            Some(vt) => {
                let k = free[vt].pop().expect("a free slot of this type");
                out[k] = route;
                last = Some(k);
            }
            None => {
                let k = last.unwrap_or(0);
                out[k].extend(route);
            }
        }
    }
    out
}
