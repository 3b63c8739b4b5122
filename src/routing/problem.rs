//! The routing problem the engine solves: depots, clients, vehicle types and
//! the distance and time matrices, checked on construction so the search can
//! trust them.

use thiserror::Error;

/// Number of capacity dimensions (weight and volume for supply kits; CVRP
/// instances use the first one only).
pub const DIMS: usize = 2;

/// A quantity in each capacity dimension.
pub type Load = [i64; DIMS];

/// A value that never binds: large enough for any limit, small enough that
/// sums of a few of them cannot overflow.
pub const UNLIMITED: i64 = i64::MAX / 16;

/// Why a problem cannot be built.
#[derive(Debug, Error, PartialEq)]
pub enum ProblemError {
    /// The problem has no depot.
    #[error("a routing problem needs at least one depot")]
    NoDepot,
    /// A matrix is not square over all depots and clients.
    #[error("the {0} matrix must be {1}×{1} (depots and clients)")]
    MatrixShape(&'static str, usize),
    /// A matrix has a negative entry.
    #[error("the {0} matrix has a negative entry")]
    NegativeEntry(&'static str),
    /// A client's window closes before it opens.
    #[error("client {0}: the time window closes before it opens")]
    Window(usize),
    /// A client has a negative demand or service time.
    #[error("client {0}: demand and service time must not be negative")]
    Negative(usize),
    /// A vehicle type is malformed.
    #[error("vehicle type {0}: {1}")]
    Vehicle(usize, &'static str),
    /// A starting solution does not fit the problem.
    #[error("the starting solution {0}")]
    Start(&'static str),
}

/// A place to deliver to.
#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    /// Quantity delivered, per capacity dimension.
    pub demand: Load,
    /// Time spent unloading on arrival.
    pub service: i64,
    /// Earliest and latest start of service.
    pub window: (i64, i64),
    /// Whether the load must travel refrigerated.
    pub cold_chain: bool,
}

impl Client {
    /// A client with a demand in the first dimension and no time constraint.
    pub fn with_demand(demand: i64) -> Self {
        Client {
            demand: [demand, 0],
            service: 0,
            window: (0, UNLIMITED),
            cold_chain: false,
        }
    }
}

/// A kind of vehicle: where it starts and ends, what it carries, when it may
/// run and what it costs. `count` identical vehicles of the type exist.
#[derive(Debug, Clone, PartialEq)]
pub struct VehicleType {
    /// Depot index the route starts and ends at.
    pub depot: usize,
    /// How many vehicles of this type are available.
    pub count: usize,
    /// Capacity per dimension.
    pub capacity: Load,
    /// Earliest and latest departure from the depot.
    pub start_window: (i64, i64),
    /// Latest return to the depot.
    pub latest_return: i64,
    /// Longest time a route may take from departure to return.
    pub max_duration: i64,
    /// Longest distance a route may drive.
    pub max_distance: i64,
    /// Cost per unit of distance.
    pub unit_cost: i64,
    /// Cost of using the vehicle at all.
    pub fixed_cost: i64,
    /// Whether it can carry cold-chain loads.
    pub refrigerated: bool,
}

impl VehicleType {
    /// `count` vehicles at `depot` with a capacity in the first dimension and
    /// no other limit.
    pub fn new(depot: usize, count: usize, capacity: i64) -> Self {
        VehicleType {
            depot,
            count,
            capacity: [capacity, UNLIMITED],
            start_window: (0, UNLIMITED),
            latest_return: UNLIMITED,
            max_duration: UNLIMITED,
            max_distance: UNLIMITED,
            unit_cost: 1,
            fixed_cost: 0,
            refrigerated: false,
        }
    }
}

/// A square matrix over all nodes (depots first, then clients).
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    n: usize,
    data: Vec<i64>,
}

impl Matrix {
    /// A matrix from a function of (from, to).
    pub fn from_fn(n: usize, mut f: impl FnMut(usize, usize) -> i64) -> Self {
        let mut data = Vec::with_capacity(n * n);
        for i in 0..n {
            for j in 0..n {
                data.push(f(i, j));
            }
        }
        Matrix { n, data }
    }

    /// Entry from `i` to `j`.
    #[inline]
    pub fn get(&self, i: usize, j: usize) -> i64 {
        self.data[i * self.n + j]
    }

    /// Number of rows (and columns).
    pub fn size(&self) -> usize {
        self.n
    }

    fn is_symmetric(&self) -> bool {
        (0..self.n).all(|i| (0..i).all(|j| self.get(i, j) == self.get(j, i)))
    }
}

/// A multi-depot, capacitated routing problem with time windows. Nodes
/// `0..depots` are depots, nodes `depots..` are the clients in order.
#[derive(Debug, Clone)]
pub struct Problem {
    depots: usize,
    clients: Vec<Client>,
    vehicle_types: Vec<VehicleType>,
    distance: Matrix,
    time: Matrix,
    pub(crate) symmetric: bool,
    pub(crate) has_windows: bool,
}

impl Problem {
    /// Builds and checks a problem. `time` defaults to `distance`.
    pub fn new(
        depots: usize,
        clients: Vec<Client>,
        vehicle_types: Vec<VehicleType>,
        distance: Matrix,
        time: Option<Matrix>,
    ) -> Result<Self, ProblemError> {
        if depots == 0 {
            return Err(ProblemError::NoDepot);
        }
        let n = depots + clients.len();
        let time = time.unwrap_or_else(|| distance.clone());
        for (name, m) in [("distance", &distance), ("time", &time)] {
            if m.size() != n {
                return Err(ProblemError::MatrixShape(name, n));
            }
            if m.data.iter().any(|&x| x < 0) {
                return Err(ProblemError::NegativeEntry(name));
            }
        }
        for (i, c) in clients.iter().enumerate() {
            if c.window.0 > c.window.1 {
                return Err(ProblemError::Window(i));
            }
            if c.service < 0 || c.demand.iter().any(|&d| d < 0) {
                return Err(ProblemError::Negative(i));
            }
        }
        if vehicle_types.is_empty() || vehicle_types.iter().all(|v| v.count == 0) {
            return Err(ProblemError::Vehicle(0, "there is no vehicle"));
        }
        for (k, v) in vehicle_types.iter().enumerate() {
            if v.depot >= depots {
                return Err(ProblemError::Vehicle(k, "its depot does not exist"));
            }
            if v.start_window.0 > v.start_window.1 {
                return Err(ProblemError::Vehicle(
                    k,
                    "its departure window closes before it opens",
                ));
            }
            if v.capacity.iter().any(|&c| c < 0) || v.unit_cost < 0 || v.fixed_cost < 0 {
                return Err(ProblemError::Vehicle(
                    k,
                    "capacity and costs must not be negative",
                ));
            }
        }
        let has_windows = clients
            .iter()
            .any(|c| c.window.0 > 0 || c.window.1 < UNLIMITED)
            || vehicle_types.iter().any(|v| {
                v.start_window != (0, UNLIMITED)
                    || v.latest_return < UNLIMITED
                    || v.max_duration < UNLIMITED
            });
        let symmetric = distance.is_symmetric() && time.is_symmetric();
        Ok(Problem {
            depots,
            clients,
            vehicle_types,
            distance,
            time,
            symmetric,
            has_windows,
        })
    }

    /// Number of depots.
    pub fn depots(&self) -> usize {
        self.depots
    }

    /// The clients, in node order after the depots.
    pub fn clients(&self) -> &[Client] {
        &self.clients
    }

    /// Client at node `node` (which must not be a depot).
    #[inline]
    pub(crate) fn client(&self, node: usize) -> &Client {
        &self.clients[node - self.depots]
    }

    /// Client at node `node`, for callers outside the engine.
    pub fn client_at(&self, node: usize) -> &Client {
        self.client(node)
    }

    /// Number of nodes, depots and clients.
    pub fn nodes(&self) -> usize {
        self.depots + self.clients.len()
    }

    /// The vehicle types.
    pub fn vehicle_types(&self) -> &[VehicleType] {
        &self.vehicle_types
    }

    /// Distance from node `i` to node `j`.
    #[inline]
    pub fn distance(&self, i: usize, j: usize) -> i64 {
        self.distance.get(i, j)
    }

    /// Travel time from node `i` to node `j`.
    #[inline]
    pub fn time(&self, i: usize, j: usize) -> i64 {
        self.time.get(i, j)
    }

    /// The problem over some of its clients (indices into
    /// [`Problem::clients`]), depots and vehicles kept: client `keep[k]`
    /// becomes client `k`.
    pub fn subset(&self, keep: &[usize]) -> Problem {
        let map: Vec<usize> = (0..self.depots)
            .chain(keep.iter().map(|&c| c + self.depots))
            .collect();
        let clients: Vec<Client> = keep.iter().map(|&c| self.clients[c].clone()).collect();
        Problem {
            depots: self.depots,
            clients,
            vehicle_types: self.vehicle_types.clone(),
            distance: Matrix::from_fn(map.len(), |i, j| self.distance(map[i], map[j])),
            time: Matrix::from_fn(map.len(), |i, j| self.time(map[i], map[j])),
            symmetric: self.symmetric,
            has_windows: self.has_windows,
        }
    }

    /// Whether a client's load may ride on a vehicle type.
    #[inline]
    pub(crate) fn compatible(&self, node: usize, vt: usize) -> bool {
        !self.client(node).cold_chain || self.vehicle_types[vt].refrigerated
    }
}

/// Adds `b` to `a`, dimension by dimension.
#[inline]
pub(crate) fn add_load(a: &mut Load, b: &Load) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}
