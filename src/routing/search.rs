//! The hybrid genetic search loop (Vidal 2022, algorithm 1): ordered
//! crossover of two parents' giant tours, split, local search, repair of
//! infeasible offspring, and penalties adapted towards a target share of
//! feasible offspring.

use std::time::{Duration, Instant};

use rand::seq::SliceRandom;
use rand::{Rng, RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

use super::cost::Penalties;
use super::local_search::{LocalSearch, slots};
use super::population::{Individual, Population, PopulationParams};
use super::problem::{DIMS, Problem, ProblemError};
use super::split::split;

/// When the search stops and how it is shaped.
#[derive(Debug, Clone)]
pub struct SearchParams {
    /// Seed of the random generator: the same seed and budget give the same
    /// result when the budget is in iterations.
    pub seed: u64,
    /// Wall-clock budget; restarts the population when it stalls.
    pub time_limit: Option<Duration>,
    /// Iteration budget; the deterministic stop.
    pub max_iterations: Option<u64>,
    /// Iterations without improvement before stopping (without a time limit)
    /// or restarting (with one).
    pub stall: u64,
    /// Stop (rather than restart) after `stall` iterations without
    /// improvement even with a budget: for quick deterministic runs.
    pub stop_on_stall: bool,
    /// Granular neighbours per client.
    pub granular: usize,
    /// Population sizes.
    pub population: PopulationParams,
    /// Target share of feasible offspring after local search.
    pub target_feasible: f64,
}

impl Default for SearchParams {
    fn default() -> Self {
        SearchParams {
            seed: 1,
            time_limit: None,
            max_iterations: None,
            stall: 20_000,
            stop_on_stall: false,
            granular: 20,
            population: PopulationParams::default(),
            target_feasible: 0.2,
        }
    }
}

/// What the search found.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Best feasible solution, if any.
    pub best: Option<Individual>,
    /// Best infeasible solution, when no feasible one was found.
    pub best_infeasible: Option<Individual>,
    /// Vehicle type of every route slot.
    pub slots: Vec<usize>,
    /// Iterations run.
    pub iterations: u64,
    /// Time taken.
    pub elapsed: Duration,
}

/// Granular neighbourhoods: for each client the closest clients by a
/// time-window aware proximity (Vidal et al. 2013), made symmetric.
pub fn neighbours(problem: &Problem, granular: usize) -> Vec<Vec<usize>> {
    let n = problem.nodes();
    let first = problem.depots();
    let mut sets: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in first..n {
        let ci = problem.client(i);
        let mut order: Vec<(f64, usize)> = (first..n)
            .filter(|&j| j != i)
            .map(|j| {
                let cj = problem.client(j);
                let t = problem.time(i, j);
                let wait = (cj.window.0 - ci.service - t - ci.window.1).max(0) as f64;
                let warp = (ci.window.0 + ci.service + t - cj.window.1).max(0) as f64;
                (problem.distance(i, j) as f64 + 0.2 * wait + warp, j)
            })
            .collect();
        order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for &(_, j) in order.iter().take(granular) {
            sets[i].push(j);
            sets[j].push(i);
        }
    }
    for s in &mut sets {
        s.sort_unstable();
        s.dedup();
    }
    sets
}

fn initial_penalties(problem: &Problem) -> Penalties {
    let n = problem.nodes();
    let mut max_distance = 1;
    let mut total_distance = 0i128;
    let mut total_time = 0i128;
    for i in 0..n {
        for j in 0..n {
            max_distance = max_distance.max(problem.distance(i, j));
            total_distance += problem.distance(i, j) as i128;
            total_time += problem.time(i, j) as i128;
        }
    }
    let mut load = [1.0; DIMS];
    for (d, l) in load.iter_mut().enumerate() {
        let max_demand = problem
            .clients()
            .iter()
            .map(|c| c.demand[d])
            .max()
            .unwrap_or(0);
        if max_demand > 0 {
            *l = (max_distance as f64 / max_demand as f64).clamp(0.1, 1000.0);
        }
    }
    let unit = problem
        .vehicle_types()
        .iter()
        .map(|v| v.unit_cost)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let warp = if total_time > 0 {
        (total_distance as f64 / total_time as f64).max(0.1)
    } else {
        1.0
    };
    Penalties {
        load: load.map(|l| l * unit),
        warp: warp * unit,
        distance: unit,
        incompatible: 10.0 * unit * max_distance as f64 * n as f64,
    }
}

/// Ordered crossover (OX) of two giant tours.
fn crossover(a: &[usize], b: &[usize], rng: &mut impl Rng, nodes: usize) -> Vec<usize> {
    let n = a.len();
    if n < 2 {
        return a.to_vec();
    }
    let start = rng.random_range(0..n);
    let mut end = rng.random_range(0..n);
    while end == start {
        end = rng.random_range(0..n);
    }
    let mut child = vec![usize::MAX; n];
    let mut taken = vec![false; nodes];
    let mut i = start;
    while i % n != (end + 1) % n {
        child[i % n] = a[i % n];
        taken[a[i % n]] = true;
        i += 1;
    }
    let mut pos = (end + 1) % n;
    for k in 1..=n {
        let c = b[(end + k) % n];
        if !taken[c] {
            child[pos] = c;
            pos = (pos + 1) % n;
        }
    }
    child
}

struct Feasibility {
    load: [Vec<bool>; DIMS],
    warp: Vec<bool>,
    distance: Vec<bool>,
}

/// Raises a penalty when too few solutions are feasible, lowers it when too
/// many are, within four orders of magnitude of its initial value (HGS-CVRP
/// bounds [0.1, 100000] in its own units; ours scale with the cost units).
fn adapt(p: &mut f64, initial: f64, record: &mut Vec<bool>, target: f64) {
    if record.is_empty() {
        return;
    }
    let share = record.iter().filter(|&&f| f).count() as f64 / record.len() as f64;
    if share < target - 0.05 {
        *p = (*p * 1.2).min(initial * 1e4);
    } else if share > target + 0.05 {
        *p = (*p * 0.85).max(initial * 1e-4);
    }
    record.clear();
}

/// The state of one search.
struct Search<'a> {
    problem: &'a Problem,
    params: &'a SearchParams,
    started: Instant,
    rng: Pcg64Mcg,
    slots: Vec<usize>,
    ls: LocalSearch<'a>,
    penalties: Penalties,
    initial: Penalties,
    population: Population,
    record: Feasibility,
    iterations: u64,
}

impl Search<'_> {
    fn out_of_budget(&self) -> bool {
        self.params
            .time_limit
            .is_some_and(|t| self.started.elapsed() >= t)
            || self
                .params
                .max_iterations
                .is_some_and(|m| self.iterations >= m)
    }

    /// Local search on a new solution, then repair when it is infeasible
    /// (half of the time); returns whether a new best was found.
    fn educate(&mut self, mut routes: Vec<Vec<usize>>) -> bool {
        self.iterations += 1;
        self.ls.run(&mut routes, self.penalties, &mut self.rng);
        let ind = Individual::new(self.problem, &self.slots, routes);
        for d in 0..DIMS {
            self.record.load[d].push(ind.cost.excess_load[d] == 0);
        }
        self.record.warp.push(ind.cost.warp == 0);
        self.record.distance.push(ind.cost.excess_distance == 0);
        let repair = (!ind.cost.feasible()).then(|| ind.routes.clone());
        let mut improved = self.population.add(self.problem, ind, &self.penalties);
        if let Some(mut routes) = repair
            && self.rng.random_bool(0.5)
        {
            self.ls
                .run(&mut routes, self.penalties.scaled(10.0), &mut self.rng);
            let ind = Individual::new(self.problem, &self.slots, routes);
            if ind.cost.feasible() {
                improved |= self.population.add(self.problem, ind, &self.penalties);
            }
        }
        improved
    }

    /// `count` random giant tours, split and educated.
    fn fill(&mut self, count: usize) {
        let mut giant: Vec<usize> = (self.problem.depots()..self.problem.nodes()).collect();
        for _ in 0..count {
            if self.out_of_budget() {
                break;
            }
            giant.shuffle(&mut self.rng);
            let routes = split(self.problem, &giant, &self.slots, &self.penalties);
            self.educate(routes);
        }
    }

    /// When the budget ends without a feasible solution: repair the least
    /// violating one under ever steeper penalties.
    fn last_resort(&mut self, ind: Individual) {
        let mut routes = ind.routes;
        for factor in [10.0, 100.0, 1000.0, 10_000.0] {
            self.ls
                .run(&mut routes, self.penalties.scaled(factor), &mut self.rng);
            let ind = Individual::new(self.problem, &self.slots, routes.clone());
            if ind.cost.feasible() {
                self.population.add(self.problem, ind, &self.penalties);
                return;
            }
        }
    }

    fn adapt_penalties(&mut self) {
        let target = self.params.target_feasible;
        let init = self.initial;
        for d in 0..DIMS {
            adapt(
                &mut self.penalties.load[d],
                init.load[d],
                &mut self.record.load[d],
                target,
            );
        }
        adapt(
            &mut self.penalties.warp,
            init.warp,
            &mut self.record.warp,
            target,
        );
        adapt(
            &mut self.penalties.distance,
            init.distance,
            &mut self.record.distance,
            target,
        );
        self.population.reprice(&self.penalties);
    }
}

/// Runs the hybrid genetic search, from random solutions and `start` (clients
/// per route slot) when given.
pub fn search(problem: &Problem, params: &SearchParams, start: Option<Vec<Vec<usize>>>) -> Outcome {
    let neighbours = neighbours(problem, params.granular);
    let slots = slots(problem);
    let started = Instant::now();
    if problem.clients().is_empty() {
        return Outcome {
            best: Some(Individual::new(
                problem,
                &slots,
                vec![Vec::new(); slots.len()],
            )),
            best_infeasible: None,
            slots,
            iterations: 0,
            elapsed: started.elapsed(),
        };
    }
    let mut s = Search {
        problem,
        params,
        started,
        rng: Pcg64Mcg::seed_from_u64(params.seed),
        slots,
        ls: LocalSearch::new(problem, &neighbours),
        penalties: initial_penalties(problem),
        initial: initial_penalties(problem),
        population: Population::new(params.population),
        record: Feasibility {
            load: Default::default(),
            warp: Vec::new(),
            distance: Vec::new(),
        },
        iterations: 0,
    };
    // From scratch the population starts at four times its minimum size;
    // a good start needs only the minimum around it for diversity.
    let first_fill = match start {
        Some(routes) => {
            s.educate(routes);
            params.population.mu
        }
        None => 4 * params.population.mu,
    };
    s.fill(first_fill);
    let mut stalled = 0u64;
    let endless = params.time_limit.is_some() || params.max_iterations.is_some();
    while !s.out_of_budget() && !s.population.is_empty() {
        if (!endless || params.stop_on_stall) && stalled >= params.stall {
            break;
        }
        let a = s.population.parent(&mut s.rng).giant_tour();
        let b = s.population.parent(&mut s.rng).giant_tour();
        let child = crossover(&a, &b, &mut s.rng, problem.nodes());
        let routes = split(problem, &child, &s.slots, &s.penalties);
        let improved = s.educate(routes);
        stalled = if improved { 0 } else { stalled + 1 };
        if s.iterations.is_multiple_of(100) {
            s.adapt_penalties();
        }
        if endless && stalled >= params.stall {
            s.population.restart();
            stalled = 0;
            s.fill(4 * params.population.mu);
        }
    }
    if s.population.best.is_none()
        && let Some(ind) = s.population.best_infeasible.clone()
    {
        s.last_resort(ind);
    }
    Outcome {
        best: s.population.best.clone(),
        best_infeasible: s.population.best_infeasible.clone(),
        slots: s.slots,
        iterations: s.iterations,
        elapsed: s.started.elapsed(),
    }
}

/// A solution given as (vehicle type, nodes) routes, as clients per route
/// slot; every client must be in exactly one route.
pub fn to_slots(
    problem: &Problem,
    routes: &[(usize, Vec<usize>)],
) -> Result<Vec<Vec<usize>>, ProblemError> {
    let slots = slots(problem);
    let mut solution = vec![Vec::new(); slots.len()];
    let mut taken = vec![false; slots.len()];
    let mut seen = vec![false; problem.nodes()];
    for (vt, nodes) in routes {
        let k = (0..slots.len())
            .find(|&k| slots[k] == *vt && !taken[k])
            .ok_or(ProblemError::Start(
                "has more routes of a vehicle type than vehicles",
            ))?;
        taken[k] = true;
        for &c in nodes {
            if c < problem.depots() || c >= problem.nodes() || seen[c] {
                return Err(ProblemError::Start(
                    "visits a depot, an unknown client or a client twice",
                ));
            }
            seen[c] = true;
        }
        solution[k] = nodes.clone();
    }
    if seen[problem.depots()..].iter().any(|&s| !s) {
        return Err(ProblemError::Start("leaves a client out"));
    }
    Ok(solution)
}
