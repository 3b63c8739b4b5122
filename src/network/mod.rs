//! The road network: shortest distances and driving times between localities,
//! on any date (roads closed on that date are left out).
//!
//! Distances are needed by many stages (status-quo km, trip generation,
//! supply routes), always for a date; matrices are cached per set of closed
//! roads, so a year with a few closures costs a handful of all-pairs runs.

use crate::model::{LocalityId, RoadId, Scenario};
use chrono::NaiveDate;
use petgraph::algo::{astar, dijkstra};
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeFiltered;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A pair of localities that cannot be joined by road on a date that matters.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{to} cannot be reached from {from} by road{}", date.map(|d| format!(" on {d} (roads closed)")).unwrap_or_default())]
pub struct Unreachable {
    /// Origin locality code.
    pub from: String,
    /// Destination locality code.
    pub to: String,
    /// The date, when closures caused it.
    pub date: Option<NaiveDate>,
}

/// All-pairs shortest distances (km) and driving times (hours) for one state
/// of the roads. `km` and `hours` are each minimised on their own: the
/// shortest route and the fastest route may differ (a gravel shortcut).
#[derive(Debug, Clone, PartialEq)]
pub struct TravelMatrix {
    n: usize,
    km: Vec<f64>,
    hours: Vec<f64>,
}

impl TravelMatrix {
    /// Shortest road distance in km, `None` when not connected.
    pub fn km(&self, a: LocalityId, b: LocalityId) -> Option<f64> {
        let v = self.km[a.index() * self.n + b.index()];
        v.is_finite().then_some(v)
    }

    /// Shortest driving time in hours, `None` when not connected.
    pub fn hours(&self, a: LocalityId, b: LocalityId) -> Option<f64> {
        let v = self.hours[a.index() * self.n + b.index()];
        v.is_finite().then_some(v)
    }
}

/// The road graph of a scenario.
pub struct RoadNetwork {
    graph: UnGraph<LocalityId, RoadId>,
    nodes: Vec<NodeIndex>,
    road_km: Vec<f64>,
    road_hours: Vec<f64>,
    closures: Vec<Vec<crate::model::DateRange>>,
    codes: Vec<String>,
    cache: Mutex<HashMap<Vec<u32>, Arc<TravelMatrix>>>,
}

impl RoadNetwork {
    /// Build the graph from the scenario's localities and roads.
    pub fn new(s: &Scenario) -> Self {
        let mut graph = UnGraph::new_undirected();
        let nodes: Vec<NodeIndex> = (0..s.localities.len())
            .map(|i| graph.add_node(LocalityId::from_index(i)))
            .collect();
        for (i, r) in s.roads.iter().enumerate() {
            graph.add_edge(
                nodes[r.a.index()],
                nodes[r.b.index()],
                RoadId::from_index(i),
            );
        }
        RoadNetwork {
            graph,
            nodes,
            road_km: s.roads.iter().map(|r| r.km).collect(),
            road_hours: s
                .roads
                .iter()
                .map(|r| r.km / s.travel.speed(r.surface))
                .collect(),
            closures: s.roads.iter().map(|r| r.closed.clone()).collect(),
            codes: s.localities.iter().map(|l| l.code.clone()).collect(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Roads closed on `date`, as sorted ids.
    pub fn closed_on(&self, date: NaiveDate) -> Vec<u32> {
        (0..self.closures.len() as u32)
            .filter(|i| self.closures[*i as usize].iter().any(|r| r.contains(date)))
            .collect()
    }

    /// Roads closed on any day from `first` to `last`, as sorted ids.
    pub fn closed_between(&self, first: NaiveDate, last: NaiveDate) -> Vec<u32> {
        (0..self.closures.len() as u32)
            .filter(|i| {
                self.closures[*i as usize]
                    .iter()
                    .any(|r| r.from <= last && first <= r.to)
            })
            .collect()
    }

    /// The localities along the shortest road (in km) from `a` to `b` with
    /// the given roads (sorted ids) closed, both ends included; `None` when
    /// no open road joins them. Maps draw trips along what they drive.
    pub fn path(&self, a: LocalityId, b: LocalityId, closed: &[u32]) -> Option<Vec<LocalityId>> {
        let open = |e: petgraph::graph::EdgeReference<'_, RoadId>| {
            closed.binary_search(&e.weight().0).is_err()
        };
        let filtered = EdgeFiltered::from_fn(&self.graph, open);
        let goal = self.nodes[b.index()];
        astar(
            &filtered,
            self.nodes[a.index()],
            |n| n == goal,
            |e| self.road_km[e.weight().index()],
            |_| 0.0,
        )
        .map(|(_, nodes)| nodes.into_iter().map(|n| self.graph[n]).collect())
    }

    /// The distinct closure states of the horizon's weeks (roads closed on
    /// any day of a week count as closed all week; state 0 is all roads open)
    /// and the state of each week.
    pub fn weekly_states(&self, h: &crate::model::Horizon) -> (Vec<Vec<u32>>, Vec<usize>) {
        let mut states: Vec<Vec<u32>> = vec![Vec::new()];
        let mut week_state = Vec::with_capacity(h.weeks as usize);
        for w in 0..h.weeks {
            let monday = h.week_start(w);
            let mut closed: Vec<u32> = (0..7)
                .flat_map(|d| self.closed_on(monday + chrono::Days::new(d)))
                .collect();
            closed.sort_unstable();
            closed.dedup();
            let idx = states.iter().position(|c| *c == closed).unwrap_or_else(|| {
                states.push(closed);
                states.len() - 1
            });
            week_state.push(idx);
        }
        (states, week_state)
    }

    /// Travel matrix with every road open.
    pub fn open(&self) -> Arc<TravelMatrix> {
        self.with_closed(Vec::new())
    }

    /// Travel matrix for `date`, leaving out roads closed that day.
    pub fn on(&self, date: NaiveDate) -> Arc<TravelMatrix> {
        self.with_closed(self.closed_on(date))
    }

    /// Travel matrix with the given roads (sorted ids) closed.
    pub fn with_closed(&self, closed: Vec<u32>) -> Arc<TravelMatrix> {
        // The cache only memoises a pure function: a poisoned lock still holds valid entries.
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(m) = cache.get(&closed) {
            return Arc::clone(m);
        }
        let m = Arc::new(self.compute(&closed));
        cache.insert(closed, Arc::clone(&m));
        m
    }

    fn compute(&self, closed: &[u32]) -> TravelMatrix {
        let n = self.nodes.len();
        let open = |e: petgraph::graph::EdgeReference<'_, RoadId>| {
            closed.binary_search(&e.weight().0).is_err()
        };
        let filtered = EdgeFiltered::from_fn(&self.graph, open);
        let mut km = vec![f64::INFINITY; n * n];
        let mut hours = vec![f64::INFINITY; n * n];
        for (i, &src) in self.nodes.iter().enumerate() {
            let by_km = dijkstra(&filtered, src, None, |e| self.road_km[e.weight().index()]);
            let by_h = dijkstra(&filtered, src, None, |e| {
                self.road_hours[e.weight().index()]
            });
            for (node, d) in by_km {
                km[i * n + self.graph[node].index()] = d;
            }
            for (node, d) in by_h {
                hours[i * n + self.graph[node].index()] = d;
            }
        }
        TravelMatrix { n, km, hours }
    }

    /// Round-trip km `a → b → a` on `date`, or why it cannot be driven.
    pub fn round_trip_km(
        &self,
        a: LocalityId,
        b: LocalityId,
        date: NaiveDate,
    ) -> Result<f64, Unreachable> {
        let m = self.on(date);
        match (m.km(a, b), m.km(b, a)) {
            (Some(x), Some(y)) => Ok(x + y),
            _ => Err(Unreachable {
                from: self.codes[a.index()].clone(),
                to: self.codes[b.index()].clone(),
                date: Some(date),
            }),
        }
    }
}
