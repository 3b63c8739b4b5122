//! `itinera route`: solve a CVRPLIB or Solomon benchmark instance with the
//! supply-routing engine.

use super::Failure;
use anyhow::Context as _;
use clap::Args;
use itinera::routing::{self, SearchParams, formats};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Args)]
pub struct RouteArgs {
    /// Instance file: CVRPLIB `.vrp` (TSPLIB, EUC_2D) or Solomon `.txt`.
    file: PathBuf,
    /// Seconds to search; defaults to 0.1 per client (the benchmark budget).
    #[arg(long, value_name = "S")]
    time_limit: Option<f64>,
    /// Stop after this many iterations instead (deterministic).
    #[arg(long, value_name = "N", conflicts_with = "time_limit")]
    iterations: Option<u64>,
    /// Fleet size; by default as many vehicles as needed (CVRPLIB X
    /// convention) or the Solomon file's number.
    #[arg(long, value_name = "K")]
    vehicles: Option<usize>,
    /// Seed of the search.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print JSON (`cost`, `vehicles`, `routes`, ...) instead of text.
    #[arg(long)]
    json: bool,
}

/// The solution in CVRPLIB's solution-file format (`Route #k: …`, `Cost …`,
/// kept as the standard so it can be compared with published solutions),
/// then a summary line in the user's language.
pub fn run(a: &RouteArgs, lang: itinera::export::Lang) -> Result<(), Failure> {
    let mut instance = formats::read(&a.file).context("reading the instance")?;
    if let Some(k) = a.vehicles {
        instance = instance.with_fleet(k).context("--vehicles")?;
    }
    let clients = instance.problem.clients().len();
    let limit = a.time_limit.unwrap_or(0.1 * clients as f64);
    if !(limit.is_finite() && limit > 0.0) {
        return Err(anyhow::anyhow!(
            "{}",
            lang.pick(
                "--time-limit debe ser un número positivo de segundos",
                "--time-limit must be a positive number of seconds"
            )
        )
        .into());
    }
    let params = SearchParams {
        seed: a.seed,
        time_limit: a
            .iterations
            .is_none()
            .then(|| Duration::from_secs_f64(limit)),
        max_iterations: a.iterations,
        ..SearchParams::default()
    };
    let solution = routing::solve(&instance.problem, &params);
    let cost = solution.cost.cost as f64 / instance.scale;
    // Clients are numbered from 1, as in CVRPLIB solution files.
    let routes: Vec<Vec<usize>> = solution
        .routes
        .iter()
        .map(|r| r.clients.iter().map(|c| c + 1).collect())
        .collect();
    if a.json {
        let doc = serde_json::json!({
            "schema": "itinera.route/1",
            "instance": instance.name,
            "cost": cost,
            "vehicles": routes.len(),
            "feasible": solution.feasible,
            "violations": {
                "excess_load": solution.cost.excess_load,
                "time_warp": solution.cost.warp as f64 / instance.scale,
                "excess_distance": solution.cost.excess_distance as f64 / instance.scale,
            },
            "seconds": solution.elapsed.as_secs_f64(),
            "iterations": solution.iterations,
            "seed": a.seed,
            "routes": routes,
        });
        outln!(
            "{}",
            serde_json::to_string_pretty(&doc).context("encoding JSON")?
        );
    } else {
        for (k, r) in routes.iter().enumerate() {
            let ids: Vec<String> = r.iter().map(|c| c.to_string()).collect();
            outln!("Route #{}: {}", k + 1, ids.join(" "));
        }
        outln!("Cost {}", format_cost(cost, instance.scale));
        let verdict = if solution.feasible {
            lang.pick("factible", "feasible")
        } else {
            lang.pick(
                "NO FACTIBLE (se muestra la solución que menos viola)",
                "INFEASIBLE (least violating solution shown)",
            )
        };
        outln!(
            "{}",
            lang.fill(
                "{}: {} clientes, {} vehículos, {}, {} s, {} iteraciones",
                "{}: {} clients, {} vehicles, {}, {} s, {} iterations",
                &[
                    &instance.name,
                    &clients,
                    &routes.len(),
                    &verdict,
                    &lang.decimal(solution.elapsed.as_secs_f64(), 1),
                    &solution.iterations,
                ]
            )
        );
    }
    if solution.feasible {
        Ok(())
    } else {
        Err(Failure::Answer(4))
    }
}

fn format_cost(cost: f64, scale: f64) -> String {
    if scale == 1.0 {
        format!("{cost:.0}")
    } else {
        format!("{cost:.2}")
    }
}
