//! The trade-off frontier: the plan solved along travel budgets, from a
//! small share of what the unconstrained plan uses up to all of it, so a
//! planner sees what each extra kilometre (or peso) of travel buys in
//! waiting, and how certain each point is (its proven gap).
//!
//! Points are independent: they are solved side by side, one solver thread
//! each. The caller finishes each point's plan (supply routes, the
//! checker) before it is kept: those stages come after this one.

use super::format::Plan;
use super::{PlanError, assemble, solve};
use crate::model::Scenario;
use crate::network::RoadNetwork;
use crate::optimize::budget::Kind;
use crate::optimize::{Budget, Options};
use rayon::prelude::*;

/// One point of the frontier.
pub struct Point {
    /// The budget it was solved under (`None`: unconstrained).
    pub budget: Option<Budget>,
    /// Its plan (checked): its own solve's, or a smaller budget's when that
    /// one is better (it fits this budget too).
    pub plan: Plan,
    /// The point whose solve made `plan`, when not this one.
    pub plan_of: Option<usize>,
    /// The best proven bound at this budget: its own solve's, or a larger
    /// budget's when higher (the optimum can only fall as the budget grows,
    /// so a larger budget's bound holds here too).
    pub bound: Option<f64>,
}

impl Point {
    /// Relative gap between the point's plan and its bound.
    pub fn gap(&self) -> Option<f64> {
        Some(crate::optimize::relative_gap(
            self.plan.solver.objective?,
            self.bound?,
        ))
    }
}

/// Make the frontier monotone, as the true one is: a plan within a smaller
/// budget also fits every larger one, and a bound at a larger budget also
/// bounds every smaller one. `points` in order of budget.
pub fn settle(points: &mut [Point]) {
    let objective = |p: &Point| p.plan.solver.objective.unwrap_or(f64::INFINITY);
    for k in 1..points.len() {
        let best = (0..k)
            .min_by(|a, b| objective(&points[*a]).total_cmp(&objective(&points[*b])))
            .filter(|j| objective(&points[*j]) < objective(&points[k]));
        if let Some(j) = best {
            points[k].plan = points[j].plan.clone();
            points[k].plan_of = Some(points[j].plan_of.unwrap_or(j));
        }
    }
    for k in (0..points.len().saturating_sub(1)).rev() {
        if let Some(b) = points[k + 1].bound
            && points[k].bound.is_none_or(|own| own < b)
        {
            points[k].bound = Some(b);
        }
    }
}

/// What a plan uses of a budget of `kind`.
pub fn used(plan: &Plan, kind: Kind) -> f64 {
    match kind {
        Kind::Km => plan.metrics.km,
        Kind::Cost => plan.metrics.travel_cost,
    }
}

/// What the caller does with each point's plan before it is kept (supply
/// routes, the checker): `Err` with the reason refuses it.
pub type Finish<'a> = dyn Fn(&mut Plan) -> Result<(), crate::lang::Text> + Sync + 'a;

/// Solve the unconstrained plan, then `points − 1` budgets of `kind` at
/// equal shares of what it uses (1/points, 2/points, …), each with `opts`
/// on one thread, `opts.threads` points at a time, each plan passed to
/// `finish`. Points in order of budget, the unconstrained one last, made
/// monotone (see [`settle`]).
pub fn frontier(
    s: &Scenario,
    net: &RoadNetwork,
    opts: &Options,
    kind: Kind,
    points: usize,
    finish: &Finish<'_>,
) -> Result<Vec<Point>, PlanError> {
    let one = Options {
        threads: 1,
        budgets: Vec::new(),
        ..opts.clone()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1) as usize)
        .build()
        .map_err(|e| PlanError::Frontier {
            limit: f64::INFINITY,
            reason: crate::tr!(
                "no se pudo crear el grupo de hilos: {}",
                "could not build the thread pool: {}",
                e
            ),
        })?;
    let point = |budget: Option<Budget>| -> Result<Point, PlanError> {
        let o = Options {
            budgets: budget.into_iter().collect(),
            ..one.clone()
        };
        let limit = budget.map_or(f64::INFINITY, |b| b.limit);
        let sol = solve(s, net, &o, None)?;
        if !sol.status.has_plan() {
            return Err(PlanError::Frontier {
                limit,
                reason: {
                    let code = super::format::PlanStatus::from(sol.status).code();
                    crate::tr!(
                        "{}",
                        "{}",
                        crate::lang::Lang::Es.status(code);
                        crate::lang::Lang::En.status(code)
                    )
                },
            });
        }
        let mut plan = assemble(s, net, &sol, super::format::SolveOptions::of(&o))?;
        finish(&mut plan).map_err(|reason| PlanError::Frontier { limit, reason })?;
        let bound = plan.solver.bound;
        Ok(Point {
            budget,
            plan,
            plan_of: None,
            bound,
        })
    };
    let free = pool.install(|| point(None))?;
    let top = used(&free.plan, kind);
    let budgets: Vec<Budget> = (1..points.max(2))
        .map(|k| Budget {
            kind,
            limit: (top * k as f64 / points.max(2) as f64).floor(),
        })
        .collect();
    let mut out: Vec<Point> = pool.install(|| {
        budgets
            .par_iter()
            .map(|b| point(Some(*b)))
            .collect::<Result<Vec<_>, _>>()
    })?;
    out.push(free);
    settle(&mut out);
    Ok(out)
}
