//! Granular local search (Vidal 2022, section 3.4): for each client and each
//! of its close neighbours, relocations, swaps and 2-opt variants within and
//! between routes, first improvement, until no move improves. Every move is
//! described as pieces of the current routes and priced in constant time.

use rand::Rng;
use rand::seq::SliceRandom;

use super::cost::Penalties;
use super::problem::Problem;
use super::route::{Piece, Route, distance_cost, pieces_clients, pieces_cost};
use super::swap_star;

const EPSILON: f64 = 1e-5;

/// The local search, reusable across calls to avoid allocations.
pub struct LocalSearch<'a> {
    pub(crate) problem: &'a Problem,
    neighbours: &'a [Vec<usize>],
    pub(crate) routes: Vec<Route>,
    route_of: Vec<usize>,
    pos_of: Vec<usize>,
    last_modified: Vec<u64>,
    last_tested: Vec<u64>,
    moves: u64,
    pub(crate) penalties: Penalties,
    order: Vec<usize>,
    pub(crate) swap_star_mark: u64,
    buffers: [Vec<usize>; 2],
}

/// Vehicle type of every route slot, in slot order.
pub fn slots(problem: &Problem) -> Vec<usize> {
    problem
        .vehicle_types()
        .iter()
        .enumerate()
        .flat_map(|(k, v)| std::iter::repeat_n(k, v.count))
        .collect()
}

impl<'a> LocalSearch<'a> {
    /// A local search over `problem` with granular `neighbours` per node.
    pub fn new(problem: &'a Problem, neighbours: &'a [Vec<usize>]) -> Self {
        let routes = slots(problem)
            .into_iter()
            .map(|vt| Route::new(problem, vt))
            .collect::<Vec<_>>();
        let n = problem.nodes();
        LocalSearch {
            problem,
            neighbours,
            last_modified: vec![0; routes.len()],
            routes,
            route_of: vec![usize::MAX; n],
            pos_of: vec![0; n],
            last_tested: vec![0; n],
            moves: 1,
            penalties: Penalties {
                load: [1.0; 2],
                warp: 1.0,
                distance: 1.0,
                incompatible: 1.0,
            },
            swap_star_mark: 0,
            order: (problem.depots()..n).collect(),
            buffers: [Vec::new(), Vec::new()],
        }
    }

    /// Improves `solution` (clients per route slot) under `penalties`.
    pub fn run(&mut self, solution: &mut [Vec<usize>], penalties: Penalties, rng: &mut impl Rng) {
        self.penalties = penalties;
        for (r, clients) in solution.iter().enumerate() {
            self.routes[r].set_clients(self.problem, clients, &penalties);
            self.index_route(r);
            self.last_modified[r] = 0;
        }
        self.last_tested.fill(0);
        self.moves = 1;
        self.swap_star_mark = 0;
        self.order.shuffle(rng);
        let mut loop_id = 0u64;
        let mut improved = true;
        // At least two passes: moves into empty routes start at the second.
        while improved || loop_id < 2 {
            improved = false;
            for i in 0..self.order.len() {
                let u = self.order[i];
                let last_test = self.last_tested[u];
                self.last_tested[u] = self.moves;
                for k in 0..self.neighbours[u].len() {
                    let v = self.neighbours[u][k];
                    let (r, s) = (self.route_of[u], self.route_of[v]);
                    if loop_id > 0 && self.last_modified[r].max(self.last_modified[s]) <= last_test
                    {
                        continue;
                    }
                    if self.try_pair(u, v) {
                        improved = true;
                        continue;
                    }
                    // v first in its route: also try u right after the depot.
                    if self.pos_of[v] == 1 && self.try_after_depot(u, self.route_of[v]) {
                        improved = true;
                    }
                }
                if loop_id > 0 && self.try_empty_routes(u) {
                    improved = true;
                }
            }
            if !self.problem.has_windows && swap_star::run(self, loop_id) {
                improved = true;
            }
            loop_id += 1;
        }
        for (r, clients) in solution.iter_mut().enumerate() {
            clients.clear();
            clients.extend_from_slice(self.routes[r].clients());
        }
    }

    fn index_route(&mut self, r: usize) {
        for p in 1..self.routes[r].visits.len() - 1 {
            let c = self.routes[r].visits[p];
            self.route_of[c] = r;
            self.pos_of[c] = p;
        }
    }

    /// Granular neighbours of a client.
    pub(crate) fn neighbours_of(&self, c: usize) -> &[usize] {
        &self.neighbours[c]
    }

    /// Route holding a client.
    pub(crate) fn route_index(&self, c: usize) -> usize {
        self.route_of[c]
    }

    /// Number of moves applied so far (a clock for "modified since").
    pub(crate) fn moves_now(&self) -> u64 {
        self.moves
    }

    /// Sets a route's clients as one applied move.
    pub(crate) fn replace(&mut self, r: usize, clients: &[usize]) {
        self.routes[r].set_clients(self.problem, clients, &self.penalties);
        self.index_route(r);
        self.last_modified[r] = self.moves;
        self.moves += 1;
    }

    /// Whether route `r` changed after the clock read `since`.
    pub(crate) fn modified_since(&self, r: usize, since: u64) -> bool {
        self.last_modified[r] > since
    }

    /// Applies the change if it lowers the penalized cost.
    pub(crate) fn try_change(&mut self, changes: &[(usize, &[Piece])]) -> bool {
        let old: f64 = changes.iter().map(|(r, _)| self.routes[*r].penalized).sum();
        let bound: i64 = changes
            .iter()
            .map(|(r, p)| distance_cost(self.problem, &self.routes, self.routes[*r].vt, p))
            .sum();
        if bound as f64 >= old - EPSILON {
            return false;
        }
        let new: f64 = changes
            .iter()
            .map(|(r, p)| {
                pieces_cost(self.problem, &self.routes, self.routes[*r].vt, p)
                    .penalized(&self.penalties)
            })
            .sum();
        if new >= old - EPSILON {
            return false;
        }
        for (i, (_, pieces)) in changes.iter().enumerate() {
            let mut buf = std::mem::take(&mut self.buffers[i]);
            pieces_clients(&self.routes, pieces, &mut buf);
            self.buffers[i] = buf;
        }
        for (i, (r, _)) in changes.iter().enumerate() {
            let buf = std::mem::take(&mut self.buffers[i]);
            self.routes[*r].set_clients(self.problem, &buf, &self.penalties);
            self.buffers[i] = buf;
            self.index_route(*r);
            self.last_modified[*r] = self.moves;
        }
        self.moves += 1;
        true
    }

    fn try_pair(&mut self, u: usize, v: usize) -> bool {
        use Piece::*;
        let (r, pu) = (self.route_of[u], self.pos_of[u]);
        let (s, pv) = (self.route_of[v], self.pos_of[v]);
        let lu = self.routes[r].len();
        let ls = self.routes[s].len();
        let x_client = pu < lu;
        let y_client = pv < ls;
        if r != s {
            // Relocate u after v.
            if self.try_change(&[
                (r, &[Prefix(r, pu - 1), Suffix(r, pu + 1)]),
                (s, &[Prefix(s, pv), Node(u), Suffix(s, pv + 1)]),
            ]) {
                return true;
            }
            if x_client {
                // Relocate (u, x) and (x, u) after v.
                let rest: &[Piece] = &[Prefix(r, pu - 1), Suffix(r, pu + 2)];
                if self.try_change(&[
                    (r, rest),
                    (s, &[Prefix(s, pv), Range(r, pu, pu + 1), Suffix(s, pv + 1)]),
                ]) || self.try_change(&[
                    (r, rest),
                    (s, &[Prefix(s, pv), Rev(r, pu, pu + 1), Suffix(s, pv + 1)]),
                ]) {
                    return true;
                }
            }
            // Swap u and v.
            if self.try_change(&[
                (r, &[Prefix(r, pu - 1), Node(v), Suffix(r, pu + 1)]),
                (s, &[Prefix(s, pv - 1), Node(u), Suffix(s, pv + 1)]),
            ]) {
                return true;
            }
            if x_client {
                // Swap (u, x) with v, then with (v, y).
                if self.try_change(&[
                    (r, &[Prefix(r, pu - 1), Node(v), Suffix(r, pu + 2)]),
                    (
                        s,
                        &[Prefix(s, pv - 1), Range(r, pu, pu + 1), Suffix(s, pv + 1)],
                    ),
                ]) {
                    return true;
                }
                if y_client
                    && self.try_change(&[
                        (
                            r,
                            &[Prefix(r, pu - 1), Range(s, pv, pv + 1), Suffix(r, pu + 2)],
                        ),
                        (
                            s,
                            &[Prefix(s, pv - 1), Range(r, pu, pu + 1), Suffix(s, pv + 2)],
                        ),
                    ])
                {
                    return true;
                }
            }
            // 2-opt*: u's route continues with what followed v, and back.
            if self.try_change(&[
                (r, &[Prefix(r, pu), Suffix(s, pv + 1)]),
                (s, &[Prefix(s, pv), Suffix(r, pu + 1)]),
            ]) {
                return true;
            }
            // 2-opt* with reversal: (u, v) and (x, y) linked.
            if !self.problem.has_windows
                && self.try_change(&[
                    (r, &[Prefix(r, pu), Rev(s, 1, pv)]),
                    (s, &[Prefix(s, 0), Rev(r, pu + 1, lu), Suffix(s, pv + 1)]),
                ])
            {
                return true;
            }
            false
        } else {
            self.try_intra(r, pu, pv, x_client)
        }
    }

    fn try_intra(&mut self, r: usize, pu: usize, pv: usize, x_client: bool) -> bool {
        use Piece::*;
        let u = self.routes[r].visits[pu];
        // Relocate u after v.
        if pv + 1 != pu {
            let pieces: &[Piece] = if pu < pv {
                &[
                    Prefix(r, pu - 1),
                    Range(r, pu + 1, pv),
                    Node(u),
                    Suffix(r, pv + 1),
                ]
            } else {
                &[
                    Prefix(r, pv),
                    Node(u),
                    Range(r, pv + 1, pu - 1),
                    Suffix(r, pu + 1),
                ]
            };
            if self.try_change(&[(r, pieces)]) {
                return true;
            }
        }
        // Relocate (u, x) after v.
        if x_client && pv != pu + 1 && pv + 1 != pu {
            let pieces: &[Piece] = if pu < pv {
                &[
                    Prefix(r, pu - 1),
                    Range(r, pu + 2, pv),
                    Range(r, pu, pu + 1),
                    Suffix(r, pv + 1),
                ]
            } else {
                &[
                    Prefix(r, pv),
                    Range(r, pu, pu + 1),
                    Range(r, pv + 1, pu - 1),
                    Suffix(r, pu + 2),
                ]
            };
            if self.try_change(&[(r, pieces)]) {
                return true;
            }
        }
        // Swap u and v.
        let (a, b) = (pu.min(pv), pu.max(pv));
        let (wa, wb) = (self.routes[r].visits[a], self.routes[r].visits[b]);
        if self.try_change(&[(
            r,
            &[
                Prefix(r, a - 1),
                Node(wb),
                Range(r, a + 1, b - 1),
                Node(wa),
                Suffix(r, b + 1),
            ],
        )]) {
            return true;
        }
        // 2-opt: reverse what lies after u up to v.
        pu < pv
            && pv > pu + 1
            && self.try_change(&[(r, &[Prefix(r, pu), Rev(r, pu + 1, pv), Suffix(r, pv + 1)])])
    }

    fn try_after_depot(&mut self, u: usize, s: usize) -> bool {
        use Piece::*;
        let (r, pu) = (self.route_of[u], self.pos_of[u]);
        if r == s {
            return pu > 1
                && self.try_change(&[(
                    r,
                    &[
                        Prefix(r, 0),
                        Node(u),
                        Range(r, 1, pu - 1),
                        Suffix(r, pu + 1),
                    ],
                )]);
        }
        self.try_change(&[
            (r, &[Prefix(r, pu - 1), Suffix(r, pu + 1)]),
            (s, &[Prefix(s, 0), Node(u), Suffix(s, 1)]),
        ]) || self.try_change(&[
            (r, &[Prefix(r, pu), Suffix(s, 1)]),
            (s, &[Prefix(s, 0), Suffix(r, pu + 1)]),
        ])
    }

    fn try_empty_routes(&mut self, u: usize) -> bool {
        let types = self.problem.vehicle_types().len();
        let mut tried = vec![false; types];
        let window = self.problem.client(u).window;
        for s in 0..self.routes.len() {
            let vt = self.routes[s].vt;
            if tried[vt] || !self.routes[s].is_empty() {
                continue;
            }
            // Skip vehicles that leave after the client closes or are back
            // before it opens.
            let v = &self.problem.vehicle_types()[vt];
            if v.start_window.0 > window.1 || v.latest_return < window.0 {
                tried[vt] = true;
                continue;
            }
            tried[vt] = true;
            if self.try_after_depot(u, s) {
                return true;
            }
            if tried.iter().all(|&t| t) {
                break;
            }
        }
        false
    }
}
