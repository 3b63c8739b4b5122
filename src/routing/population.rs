//! The population of the hybrid genetic search (Vidal 2022, section 3.1):
//! feasible and infeasible subpopulations ranked by a biased fitness that
//! rewards both cost and diversity (broken-pairs distance).

use rand::{Rng, RngExt};

use super::cost::{Cost, Penalties, route_cost};
use super::problem::Problem;

/// A complete solution: the clients of every route slot.
#[derive(Debug, Clone)]
pub struct Individual {
    /// Clients per route slot.
    pub routes: Vec<Vec<usize>>,
    /// Total cost and violations.
    pub cost: Cost,
    succ: Vec<usize>,
    pred: Vec<usize>,
    id: u64,
}

impl Individual {
    /// Evaluates the routes of each slot.
    pub fn new(problem: &Problem, slots: &[usize], routes: Vec<Vec<usize>>) -> Self {
        let n = problem.nodes();
        let mut cost = Cost::default();
        let mut succ = vec![0; n];
        let mut pred = vec![0; n];
        for (k, route) in routes.iter().enumerate() {
            cost.add(&route_cost(problem, slots[k], route));
            let depot = problem.vehicle_types()[slots[k]].depot;
            for (i, &c) in route.iter().enumerate() {
                pred[c] = if i == 0 { depot } else { route[i - 1] };
                succ[c] = route.get(i + 1).copied().unwrap_or(depot);
            }
        }
        Individual {
            routes,
            cost,
            succ,
            pred,
            id: 0,
        }
    }

    /// All clients route after route: the chromosome crossover works on.
    pub fn giant_tour(&self) -> Vec<usize> {
        self.routes.iter().flatten().copied().collect()
    }

    /// Share of clients whose neighbours differ (broken-pairs distance).
    fn distance(&self, other: &Individual, problem: &Problem) -> f64 {
        let depots = problem.depots();
        let mut differ = 0usize;
        for j in depots..problem.nodes() {
            if self.succ[j] != other.succ[j] && self.succ[j] != other.pred[j] {
                differ += 1;
            }
            if self.pred[j] < depots && other.pred[j] >= depots && other.pred[j] != other.succ[j] {
                differ += 1;
            }
        }
        differ as f64 / (problem.nodes() - depots).max(1) as f64
    }
}

struct Member {
    individual: Individual,
    /// Distances to the others of the subpopulation, closest first.
    near: Vec<(f64, u64)>,
    fitness: f64,
}

/// Sizes of the population (HGS-CVRP defaults).
#[derive(Debug, Clone, Copy)]
pub struct PopulationParams {
    /// Minimum subpopulation size.
    pub mu: usize,
    /// Offspring added before survivors are selected.
    pub lambda: usize,
    /// Elite individuals protected by the biased fitness.
    pub elite: usize,
    /// Closest individuals averaged for the diversity contribution.
    pub close: usize,
}

impl Default for PopulationParams {
    fn default() -> Self {
        PopulationParams {
            mu: 25,
            lambda: 40,
            elite: 4,
            close: 5,
        }
    }
}

/// Feasible and infeasible subpopulations and the best solution seen.
pub struct Population {
    params: PopulationParams,
    feasible: Vec<Member>,
    infeasible: Vec<Member>,
    next_id: u64,
    /// Best feasible solution found since the search began.
    pub best: Option<Individual>,
    /// Best infeasible solution (by penalized cost), kept for reporting when
    /// nothing feasible exists.
    pub best_infeasible: Option<Individual>,
}

impl Population {
    /// An empty population.
    pub fn new(params: PopulationParams) -> Self {
        Population {
            params,
            feasible: Vec::new(),
            infeasible: Vec::new(),
            next_id: 1,
            best: None,
            best_infeasible: None,
        }
    }

    /// Adds an individual; returns whether it is a new best feasible one.
    pub fn add(&mut self, problem: &Problem, mut ind: Individual, penalties: &Penalties) -> bool {
        ind.id = self.next_id;
        self.next_id += 1;
        let feasible = ind.cost.feasible();
        let improved = if feasible {
            let better = self
                .best
                .as_ref()
                .is_none_or(|b| ind.cost.cost < b.cost.cost);
            if better {
                self.best = Some(ind.clone());
            }
            better
        } else {
            if self
                .best_infeasible
                .as_ref()
                .is_none_or(|b| ind.cost.penalized(penalties) < b.cost.penalized(penalties))
            {
                self.best_infeasible = Some(ind.clone());
            }
            false
        };
        let params = self.params;
        let sub = if feasible {
            &mut self.feasible
        } else {
            &mut self.infeasible
        };
        let mut near = Vec::with_capacity(sub.len());
        for m in sub.iter_mut() {
            let d = ind.distance(&m.individual, problem);
            insert_sorted(&mut m.near, (d, ind.id));
            near.push((d, m.individual.id));
        }
        near.sort_by(|a, b| a.0.total_cmp(&b.0));
        let key = ind.cost.penalized(penalties);
        let at = sub.partition_point(|m| m.individual.cost.penalized(penalties) <= key);
        sub.insert(
            at,
            Member {
                individual: ind,
                near,
                fitness: 0.0,
            },
        );
        if sub.len() > params.mu + params.lambda {
            while sub.len() > params.mu {
                remove_worst(sub, &params);
            }
        }
        improved
    }

    /// Re-sorts the infeasible subpopulation after the penalties changed.
    pub fn reprice(&mut self, penalties: &Penalties) {
        self.infeasible.sort_by(|a, b| {
            a.individual
                .cost
                .penalized(penalties)
                .total_cmp(&b.individual.cost.penalized(penalties))
        });
    }

    /// Picks a parent by binary tournament on biased fitness.
    pub fn parent(&mut self, rng: &mut impl Rng) -> &Individual {
        update_fitness(&mut self.feasible, &self.params);
        update_fitness(&mut self.infeasible, &self.params);
        let total = self.feasible.len() + self.infeasible.len();
        let a = rng.random_range(0..total);
        let b = rng.random_range(0..total);
        let pick = |i: usize| -> &Member {
            if i < self.feasible.len() {
                &self.feasible[i]
            } else {
                &self.infeasible[i - self.feasible.len()]
            }
        };
        let (ma, mb) = (pick(a), pick(b));
        if ma.fitness <= mb.fitness {
            &ma.individual
        } else {
            &mb.individual
        }
    }

    /// Number of individuals.
    pub fn len(&self) -> usize {
        self.feasible.len() + self.infeasible.len()
    }

    /// Whether the population is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops every individual but keeps the best ones found.
    pub fn restart(&mut self) {
        self.feasible.clear();
        self.infeasible.clear();
    }
}

fn insert_sorted(v: &mut Vec<(f64, u64)>, item: (f64, u64)) {
    let at = v.partition_point(|x| x.0 <= item.0);
    v.insert(at, item);
}

fn diversity(m: &Member, close: usize) -> f64 {
    let k = close.min(m.near.len());
    if k == 0 {
        return 0.0;
    }
    m.near[..k].iter().map(|x| x.0).sum::<f64>() / k as f64
}

/// Biased fitness: rank in cost plus a weighted rank in diversity (lower is
/// better). The subpopulation is kept sorted by penalized cost.
fn update_fitness(sub: &mut [Member], params: &PopulationParams) {
    let n = sub.len();
    if n <= 1 {
        for m in sub.iter_mut() {
            m.fitness = 0.0;
        }
        return;
    }
    let mut by_diversity: Vec<(f64, usize)> = (0..n)
        .map(|i| (-diversity(&sub[i], params.close), i))
        .collect();
    by_diversity.sort_by(|a, b| a.0.total_cmp(&b.0));
    let elite_weight = 1.0 - params.elite as f64 / n as f64;
    for (rank, &(_, i)) in by_diversity.iter().enumerate() {
        let div_rank = rank as f64 / (n - 1) as f64;
        let fit_rank = i as f64 / (n - 1) as f64;
        sub[i].fitness = fit_rank + elite_weight * div_rank;
    }
}

/// Removes the individual with the worst biased fitness, clones first.
fn remove_worst(sub: &mut Vec<Member>, params: &PopulationParams) {
    update_fitness(sub, params);
    let mut worst = 1;
    let mut worst_clone = false;
    let mut worst_fit = f64::NEG_INFINITY;
    for (i, m) in sub.iter().enumerate().skip(1) {
        let clone = m.near.first().is_some_and(|x| x.0 < 1e-9);
        if (clone && !worst_clone) || (clone == worst_clone && m.fitness > worst_fit) {
            worst = i;
            worst_clone = clone;
            worst_fit = m.fitness;
        }
    }
    let gone = sub.remove(worst).individual.id;
    for m in sub.iter_mut() {
        if let Some(p) = m.near.iter().position(|x| x.1 == gone) {
            m.near.remove(p);
        }
    }
}
