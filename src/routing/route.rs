//! A route under local search: its visits with prefix and suffix data, so a
//! move's new routes, described as a few pieces of existing routes, are
//! priced without walking them (Vidal 2022, section 3.4).

use super::cost::{Cost, finish};
use super::problem::{DIMS, Load, Problem, add_load};
use super::segment::Segment;

/// A piece of a route to be: consecutive visits of an existing route, or one
/// node. The first piece of a route is always a [`Piece::Prefix`] of the
/// route itself; the return to its depot is implicit.
#[derive(Debug, Clone, Copy)]
pub enum Piece {
    /// Positions `0..=p` of route `r` (its depot and its first `p` clients).
    Prefix(usize, usize),
    /// Positions `a..=b` of route `r`, forwards; empty when `a > b`.
    Range(usize, usize, usize),
    /// Positions `a..=b` of route `r`, backwards.
    Rev(usize, usize, usize),
    /// Positions `a..` of route `r` up to its last client.
    Suffix(usize, usize),
    /// One node.
    Node(usize),
}

/// A route with the data that prices moves in constant time.
#[derive(Debug, Clone)]
pub struct Route {
    /// Vehicle type.
    pub vt: usize,
    /// Depot, clients, depot.
    pub visits: Vec<usize>,
    cum_distance: Vec<i64>,
    cum_load: Vec<Load>,
    /// Cold-chain clients up to each position: what a piece of the route
    /// brings to a vehicle that is not refrigerated, in constant time.
    cum_cold: Vec<i64>,
    forward: Vec<Segment>,
    backward: Vec<Segment>,
    /// Current cost.
    pub cost: Cost,
    /// Current penalized cost.
    pub penalized: f64,
}

impl Route {
    /// An empty route of vehicle type `vt`.
    pub fn new(problem: &Problem, vt: usize) -> Self {
        let depot = problem.vehicle_types()[vt].depot;
        Route {
            vt,
            visits: vec![depot, depot],
            cum_distance: Vec::new(),
            cum_load: Vec::new(),
            cum_cold: Vec::new(),
            forward: Vec::new(),
            backward: Vec::new(),
            cost: Cost::default(),
            penalized: 0.0,
        }
    }

    /// Number of clients.
    #[inline]
    pub fn len(&self) -> usize {
        self.visits.len() - 2
    }

    /// Whether the route has no client.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.visits.len() == 2
    }

    /// Total load of the route.
    pub fn load(&self) -> Load {
        if self.is_empty() {
            [0; DIMS]
        } else {
            self.cum_load[self.len()]
        }
    }

    /// The clients in order.
    pub fn clients(&self) -> &[usize] {
        &self.visits[1..self.visits.len() - 1]
    }

    /// Replaces the clients and recomputes the prefix and suffix data.
    pub fn set_clients(
        &mut self,
        problem: &Problem,
        clients: &[usize],
        penalties: &super::cost::Penalties,
    ) {
        let v = &problem.vehicle_types()[self.vt];
        self.visits.clear();
        self.visits.push(v.depot);
        self.visits.extend_from_slice(clients);
        self.visits.push(v.depot);
        let n = self.visits.len();
        self.cum_distance.clear();
        self.cum_load.clear();
        self.cum_cold.clear();
        self.forward.clear();
        self.cum_distance.push(0);
        self.cum_load.push([0; DIMS]);
        self.cum_cold.push(0);
        self.forward.push(Segment::node(v.depot, 0, v.start_window));
        for p in 1..n - 1 {
            let (prev, c) = (self.visits[p - 1], self.visits[p]);
            let client = problem.client(c);
            self.cum_distance
                .push(self.cum_distance[p - 1] + problem.distance(prev, c));
            let mut load = self.cum_load[p - 1];
            add_load(&mut load, &client.demand);
            self.cum_load.push(load);
            self.cum_cold
                .push(self.cum_cold[p - 1] + i64::from(client.cold_chain));
            let seg = self.forward[p - 1].then(
                &Segment::node(c, client.service, client.window),
                problem.time(prev, c),
            );
            self.forward.push(seg);
        }
        // backward[p] = clients p..=last; index 0 unused.
        self.backward.clear();
        self.backward.resize(n - 1, self.forward[0]);
        for p in (1..n - 1).rev() {
            let c = self.visits[p];
            let client = problem.client(c);
            let seg = Segment::node(c, client.service, client.window);
            self.backward[p] = if p == n - 2 {
                seg
            } else {
                seg.then(&self.backward[p + 1], problem.time(c, self.visits[p + 1]))
            };
        }
        self.cost = if self.is_empty() {
            Cost::default()
        } else {
            let last = n - 2;
            let end = Segment::node(v.depot, 0, (0, v.latest_return));
            let seg = self.forward[last].then(&end, problem.time(self.visits[last], v.depot));
            finish(
                problem,
                self.vt,
                self.cum_distance[last] + problem.distance(self.visits[last], v.depot),
                self.cum_load[last],
                &seg,
                incompatible(problem, self.vt, self.cum_cold[last]),
            )
        };
        self.penalized = self.cost.penalized(penalties);
    }
}

/// Loads that may not ride vehicle type `vt`, of `cold` cold-chain ones.
#[inline]
fn incompatible(problem: &Problem, vt: usize, cold: i64) -> i64 {
    if problem.vehicle_types()[vt].refrigerated {
        0
    } else {
        cold
    }
}

/// Number of clients a piece holds.
#[inline]
fn piece_len(routes: &[Route], piece: &Piece) -> usize {
    match *piece {
        Piece::Prefix(_, p) => p,
        Piece::Range(_, a, b) | Piece::Rev(_, a, b) => (b + 1).saturating_sub(a),
        Piece::Suffix(r, a) => (routes[r].len() + 1).saturating_sub(a),
        Piece::Node(_) => 1,
    }
}

/// Fixed plus distance cost of the route the pieces make, on vehicle type
/// `vt`: a lower bound of its penalized cost, cheap enough to prune moves.
#[inline]
pub fn distance_cost(problem: &Problem, routes: &[Route], vt: usize, pieces: &[Piece]) -> i64 {
    let clients: usize = pieces.iter().map(|p| piece_len(routes, p)).sum();
    if clients == 0 {
        return 0;
    }
    let v = &problem.vehicle_types()[vt];
    let mut last = v.depot;
    let mut distance = 0;
    for piece in pieces {
        match *piece {
            Piece::Prefix(r, p) => {
                distance += routes[r].cum_distance[p];
                last = routes[r].visits[p];
            }
            Piece::Range(r, a, b) => {
                if a <= b {
                    let route = &routes[r];
                    distance += problem.distance(last, route.visits[a]) + route.cum_distance[b]
                        - route.cum_distance[a];
                    last = route.visits[b];
                }
            }
            Piece::Suffix(r, a) => {
                let route = &routes[r];
                let b = route.len();
                if a <= b {
                    distance += problem.distance(last, route.visits[a]) + route.cum_distance[b]
                        - route.cum_distance[a];
                    last = route.visits[b];
                }
            }
            Piece::Rev(r, a, b) => {
                if a <= b {
                    let route = &routes[r];
                    distance += problem.distance(last, route.visits[b]);
                    if problem.symmetric {
                        distance += route.cum_distance[b] - route.cum_distance[a];
                    } else {
                        for p in (a..b).rev() {
                            distance += problem.distance(route.visits[p + 1], route.visits[p]);
                        }
                    }
                    last = route.visits[a];
                }
            }
            Piece::Node(n) => {
                distance += problem.distance(last, n);
                last = n;
            }
        }
    }
    distance += problem.distance(last, v.depot);
    v.fixed_cost + v.unit_cost * distance
}

/// Full cost of the route the pieces make, on vehicle type `vt`.
pub fn pieces_cost(problem: &Problem, routes: &[Route], vt: usize, pieces: &[Piece]) -> Cost {
    let clients: usize = pieces.iter().map(|p| piece_len(routes, p)).sum();
    if clients == 0 {
        return Cost::default();
    }
    let v = &problem.vehicle_types()[vt];
    let mut seg = Segment::node(v.depot, 0, v.start_window);
    let mut last = v.depot;
    let mut distance = 0;
    let mut load = [0; DIMS];
    let mut incompatible = 0;
    let node = |seg: &mut Segment, last: &mut usize, c: usize| {
        let client = problem.client(c);
        *seg = seg.then(
            &Segment::node(c, client.service, client.window),
            problem.time(*last, c),
        );
        *last = c;
    };
    for piece in pieces {
        match *piece {
            Piece::Prefix(r, p) => {
                let route = &routes[r];
                seg = route.forward[p];
                distance = route.cum_distance[p];
                load = route.cum_load[p];
                incompatible = self::incompatible(problem, vt, route.cum_cold[p]);
                last = route.visits[p];
            }
            Piece::Range(r, a, _) | Piece::Suffix(r, a) => {
                let route = &routes[r];
                let b = match *piece {
                    Piece::Range(_, _, b) => b,
                    _ => route.len(),
                };
                if a > b {
                    continue;
                }
                distance += problem.distance(last, route.visits[a]) + route.cum_distance[b]
                    - route.cum_distance[a];
                for (d, l) in load.iter_mut().enumerate() {
                    *l += route.cum_load[b][d] - route.cum_load[a - 1][d];
                }
                incompatible +=
                    self::incompatible(problem, vt, route.cum_cold[b] - route.cum_cold[a - 1]);
                if b == route.len() {
                    seg = seg.then(&route.backward[a], problem.time(last, route.visits[a]));
                    last = route.visits[b];
                } else {
                    for p in a..=b {
                        node(&mut seg, &mut last, route.visits[p]);
                    }
                }
            }
            Piece::Rev(r, a, b) => {
                let route = &routes[r];
                for p in (a..=b).rev() {
                    let c = route.visits[p];
                    distance += problem.distance(last, c);
                    let client = problem.client(c);
                    add_load(&mut load, &client.demand);
                    incompatible += i64::from(!problem.compatible(c, vt));
                    node(&mut seg, &mut last, c);
                }
            }
            Piece::Node(c) => {
                distance += problem.distance(last, c);
                let client = problem.client(c);
                add_load(&mut load, &client.demand);
                incompatible += i64::from(!problem.compatible(c, vt));
                node(&mut seg, &mut last, c);
            }
        }
    }
    distance += problem.distance(last, v.depot);
    seg = seg.then(
        &Segment::node(v.depot, 0, (0, v.latest_return)),
        problem.time(last, v.depot),
    );
    finish(problem, vt, distance, load, &seg, incompatible)
}

/// The clients of the route the pieces make.
pub fn pieces_clients(routes: &[Route], pieces: &[Piece], out: &mut Vec<usize>) {
    out.clear();
    for piece in pieces {
        match *piece {
            Piece::Prefix(r, p) => out.extend_from_slice(&routes[r].visits[1..=p]),
            Piece::Range(r, a, b) => {
                if a <= b {
                    out.extend_from_slice(&routes[r].visits[a..=b])
                }
            }
            Piece::Suffix(r, a) => {
                let b = routes[r].len();
                if a <= b {
                    out.extend_from_slice(&routes[r].visits[a..=b])
                }
            }
            Piece::Rev(r, a, b) => {
                if a <= b {
                    out.extend(routes[r].visits[a..=b].iter().rev())
                }
            }
            Piece::Node(n) => out.push(n),
        }
    }
}
