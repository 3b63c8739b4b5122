//! Why a delivery cannot be made: each stop is tried alone before the
//! search, so that what no departure can make gets its own reason, and stops
//! are removed from a route the search could not make feasible.

use crate::routing::{self, Cost, Problem};

/// Far enough that no route goes there (a locality cut off by closed roads).
pub(super) const CUT_OFF_M: i64 = 1_000_000_000;

/// A reason code and the words for the planner.
pub(super) type Why = (String, String);

/// Why `node` fell out of a route of vehicle type `vt`.
pub(super) fn dropped(p: &Problem, vt: usize, node: usize) -> Why {
    violation_reason(&routing::route_cost(p, vt, &[node])).unwrap_or_else(|| {
        (
            "fleet".into(),
            "the vehicles that month cannot make it with the other deliveries".into(),
        )
    })
}

/// The first violation of a cost, as a reason code and words.
fn violation_reason(c: &Cost) -> Option<Why> {
    if c.incompatible > 0 {
        Some((
            "no_vehicle".into(),
            "it needs the cold chain and no refrigerated vehicle can take it".into(),
        ))
    } else if c.excess_load.iter().any(|&e| e > 0) {
        Some((
            "capacity".into(),
            "it is heavier or bulkier than the vehicle that could make it".into(),
        ))
    } else if c.excess_distance > 0 {
        Some((
            "distance".into(),
            "it is farther than the vehicles' daily km allow".into(),
        ))
    } else if c.warp > 0 {
        Some((
            "time_window".into(),
            "no departure reaches it between its earliest and latest day".into(),
        ))
    } else {
        None
    }
}

/// Whether some departure can make this stop on its own, and if not why.
pub(super) fn alone(p: &Problem, node: usize) -> Result<(), Why> {
    let client = p.client_at(node);
    let types = p.vehicle_types();
    let compatible: Vec<usize> = (0..types.len())
        .filter(|&k| !client.cold_chain || types[k].refrigerated)
        .collect();
    if compatible.is_empty() {
        return Err((
            "no_vehicle".into(),
            "it needs the cold chain and no refrigerated vehicle runs that month".into(),
        ));
    }
    if compatible
        .iter()
        .all(|&k| p.distance(types[k].depot, node) >= CUT_OFF_M)
    {
        return Err((
            "unreachable".into(),
            "no open road reaches it from a depot with a suitable vehicle".into(),
        ));
    }
    let fits = |k: &usize| (0..2).all(|d| client.demand[d] <= types[*k].capacity[d]);
    if !compatible.iter().any(fits) {
        return Err((
            "capacity".into(),
            "it is heavier or bulkier than any suitable vehicle".into(),
        ));
    }
    let costs: Vec<Cost> = compatible
        .iter()
        .filter(|k| fits(k))
        .map(|&k| routing::route_cost(p, k, &[node]))
        .collect();
    if costs.iter().any(|c| c.feasible()) {
        return Ok(());
    }
    if costs.iter().any(|c| c.warp == 0) {
        return Err((
            "distance".into(),
            "it is farther than the vehicles' daily km allow".into(),
        ));
    }
    Err((
        "time_window".into(),
        "no departure reaches it between its earliest and latest day".into(),
    ))
}

/// Removes stops from an infeasible route until it holds, each time the
/// one whose removal leaves the least violation; returns the removed nodes.
pub(super) fn make_feasible(p: &Problem, vt: usize, nodes: &mut Vec<usize>) -> Vec<usize> {
    let heavy = routing::Penalties {
        load: [1e12; 2],
        warp: 1e12,
        distance: 1e12,
        incompatible: 1e15,
    };
    let mut removed = Vec::new();
    while !nodes.is_empty() && !routing::route_cost(p, vt, nodes).feasible() {
        let worst = (0..nodes.len())
            .map(|k| {
                let mut rest = nodes.clone();
                rest.remove(k);
                (routing::route_cost(p, vt, &rest).penalized(&heavy), k)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|x| x.1)
            .expect("a non-empty route");
        removed.push(nodes.remove(worst));
    }
    removed
}
