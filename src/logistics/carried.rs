//! What the kits carried by their specialists save the trucks: the km of
//! the month's routes with those kits on board, less the km without them.
//! On a truck, a carried kit shares the stop of the other deliveries to its
//! locality on overlapping days, so the month is planned again with the
//! stops of both. Solving that from scratch would double the routing time;
//! instead the search starts from the routes already found, each stop of
//! theirs kept in place and every new stop inserted where it costs least,
//! and runs on a third of the budget.

use crate::routing::{self, Penalties, Problem};

/// Steep enough that inserting where a limit breaks is the last resort.
const STEEP: Penalties = Penalties {
    load: [1e9; 2],
    warp: 1e9,
    distance: 1e9,
    incompatible: 1e12,
};

/// A complete starting solution for `p`: the `earlier` routes (vehicle type,
/// deliveries in order) mapped through `node_of` (the node of each delivery,
/// if it is one of `p`'s), each node kept where its first delivery was, then
/// every node not yet placed inserted at its cheapest position, or on a
/// vehicle type with a vehicle to spare.
pub fn start(
    p: &Problem,
    node_of: &[Option<usize>],
    earlier: &[(usize, Vec<usize>)],
) -> Vec<(usize, Vec<usize>)> {
    let mut placed = vec![false; p.nodes()];
    let mut routes: Vec<(usize, Vec<usize>)> = Vec::new();
    for (vt, deliveries) in earlier {
        let mut nodes = Vec::new();
        for n in deliveries.iter().filter_map(|&i| node_of[i]) {
            if !placed[n] {
                placed[n] = true;
                nodes.push(n);
            }
        }
        if !nodes.is_empty() {
            routes.push((*vt, nodes));
        }
    }
    let cost = |vt: usize, nodes: &[usize]| routing::route_cost(p, vt, nodes).penalized(&STEEP);
    let mut costs: Vec<f64> = routes.iter().map(|(vt, n)| cost(*vt, n)).collect();
    let mut trial = Vec::new();
    let missing: Vec<usize> = (p.depots()..p.nodes()).filter(|&n| !placed[n]).collect();
    for node in missing {
        // (added cost, route or None for a new one, vehicle type, position)
        let mut best: Option<(f64, Option<usize>, usize, usize)> = None;
        let mut consider = |delta: f64, route, vt, at| {
            if best.is_none_or(|b| delta < b.0) {
                best = Some((delta, route, vt, at));
            }
        };
        for (r, (vt, nodes)) in routes.iter().enumerate() {
            for at in 0..=nodes.len() {
                trial.clear();
                trial.extend_from_slice(&nodes[..at]);
                trial.push(node);
                trial.extend_from_slice(&nodes[at..]);
                consider(cost(*vt, &trial) - costs[r], Some(r), *vt, at);
            }
        }
        for (vt, v) in p.vehicle_types().iter().enumerate() {
            if routes.iter().filter(|(used, _)| *used == vt).count() < v.count {
                consider(cost(vt, &[node]), None, vt, 0);
            }
        }
        match best.expect("a problem has at least one vehicle") {
            (delta, Some(r), _, at) => {
                routes[r].1.insert(at, node);
                costs[r] += delta;
            }
            (delta, None, vt, _) => {
                routes.push((vt, vec![node]));
                costs.push(delta);
            }
        }
    }
    routes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::{Client, Matrix, VehicleType};

    /// A depot at 0 and clients on a line at `xs` (metres), one vehicle of
    /// capacity 10 per type in `types`.
    fn line(xs: &[i64], types: usize) -> Problem {
        let at: Vec<i64> = std::iter::once(0).chain(xs.iter().copied()).collect();
        let d = Matrix::from_fn(at.len(), |i, j| (at[i] - at[j]).abs());
        let clients = vec![Client::with_demand(4); xs.len()];
        Problem::new(1, clients, vec![VehicleType::new(0, 1, 10); types], d, None).unwrap()
    }

    #[test]
    fn earlier_routes_keep_their_order_and_new_stops_go_on_the_way() {
        // Deliveries 0 and 1 were made at node 2 then node 1; delivery 2 now
        // shares node 1; node 3 is new and lies between the depot and node 2.
        let p = line(&[5_000, 10_000, 7_000], 1);
        let node_of = [Some(2), Some(1), Some(1), None];
        let start = start(&p, &node_of, &[(0, vec![0, 1, 3])]);
        assert_eq!(start, vec![(0, vec![3, 2, 1])]);
    }

    #[test]
    fn a_full_truck_sends_the_new_stop_on_a_vehicle_to_spare() {
        // Capacity 10 takes two stops of 4: the third needs the second type.
        let p = line(&[10_000, 9_000, 2_000], 2);
        let node_of = [Some(1), Some(2)];
        let start = start(&p, &node_of, &[(0, vec![0, 1])]);
        assert_eq!(start, vec![(0, vec![1, 2]), (1, vec![3])]);
    }

    #[test]
    fn with_no_vehicle_to_spare_the_new_stop_still_gets_a_place() {
        let p = line(&[10_000, 9_000, 2_000], 1);
        let node_of = [Some(1), Some(2)];
        let start = start(&p, &node_of, &[(0, vec![0, 1])]);
        assert_eq!(start.len(), 1);
        assert_eq!(start[0].1.len(), 3);
    }
}
