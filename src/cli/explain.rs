//! `itinera explain`: why a waiting list goes longer than its maximum gap,
//! in the planner's words and numbers.

use super::{Failure, Source};
use anyhow::Context as _;
use clap::Args;
use itinera::export::lookup::Names;
use itinera::export::report::unattended;
use itinera::lang::Lang;
use itinera::network::RoadNetwork;
use itinera::plan::explain;
use std::path::PathBuf;

#[derive(Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    scenario: Source,
    /// The plan (plan.json or its folder).
    plan: PathBuf,
    /// Only this locality (id); with it, the list is explained even within
    /// its maximum gap.
    #[arg(long)]
    locality: Option<String>,
    /// Only this specialty (id); as `--locality`.
    #[arg(long)]
    specialty: Option<String>,
    /// Print JSON (schema itinera.explain/1).
    #[arg(long)]
    json: bool,
    /// Also solve again with a visit forced in each list's run and report
    /// what it costs (one solve per list, each with --time-limit).
    #[arg(long)]
    cost: bool,
    /// Seconds each forced solve may spend (with --cost).
    #[arg(long, default_value_t = 30.0)]
    time_limit: f64,
    /// Solver threads (with --cost).
    #[arg(long, default_value_t = 2)]
    threads: u32,
}

pub fn run(a: &ExplainArgs, lang: Lang) -> Result<(), Failure> {
    let s = a.scenario.load()?;
    known(
        a.locality.as_deref(),
        s.localities
            .iter()
            .map(|l| (l.code.as_str(), l.name.as_str())),
        "--locality",
        "localities.csv",
    )?;
    known(
        a.specialty.as_deref(),
        s.specialties
            .iter()
            .map(|x| (x.code.as_str(), x.name.as_str())),
        "--specialty",
        "specialties.csv",
    )?;
    let plan = super::plan_for(&s, &a.plan)?;
    let net = RoadNetwork::new(&s);
    let ctx = itinera::optimize::Context::new(&s, &net);
    let only = |l: &str, sp: &str| {
        a.locality.as_deref().is_none_or(|x| x == l)
            && a.specialty.as_deref().is_none_or(|x| x == sp)
    };
    let every = a.locality.is_some() || a.specialty.is_some();
    let found = explain::explain(&ctx, &plan, &only, every);
    let opts = itinera::optimize::Options {
        time_limit: a.time_limit,
        threads: a.threads,
        ..itinera::optimize::Options::default()
    };
    let mut costs = Vec::new();
    if a.cost {
        for e in found.iter().filter(|e| e.length > 0) {
            costs.push(
                explain::forced_cost(&s, &net, &plan, e, &opts)
                    .map_err(|e| Failure::Said(e.text(&s)))?,
            );
        }
    }
    if a.json {
        let lists: Vec<serde_json::Value> = found
            .iter()
            .enumerate()
            .map(|(i, e)| serde_json::json!({ "list": e, "forced": costs.get(i) }))
            .collect();
        let doc = serde_json::json!({ "schema": "itinera.explain/1", "scenario": s.name, "lists": lists });
        outln!(
            "{}",
            serde_json::to_string_pretty(&doc).context("encoding JSON")?
        );
        return Ok(());
    }
    let names = Names::new(&s);
    if found.is_empty() {
        outln!(
            "{}",
            lang.pick(
                "ninguna lista de espera pasa más que su máximo sin visita",
                "no waiting list goes longer than its maximum without a visit"
            )
        );
    }
    for (i, e) in found.iter().enumerate() {
        outln!("{}", unattended::sentence(&s, &names, e, lang));
        if let Some(c) = costs.get(i) {
            outln!("  {}", forced(c, lang));
        }
    }
    // Free weeks not sent may be the budget's doing.
    for b in &plan.solver.options.budgets {
        if found.iter().any(|e| e.free > 0) {
            outln!(
                "{}",
                lang.fill(
                    "El plan se hizo con un presupuesto de viaje ({} ≤ {}): parte de las semanas libres sin enviar se deben a él (`itinera frontier` muestra lo que compra cada presupuesto).",
                    "The plan was made under a travel budget ({} ≤ {}): some of the free weeks not sent are its doing (`itinera frontier` shows what each budget buys).",
                    &[&b.code(), &lang.int(b.limit)]
                )
            );
        }
    }
    Ok(())
}

/// An id given on the command line must be one of the scenario's, or the
/// answer would be an empty list the planner could take for "all is well".
fn known<'a>(
    id: Option<&str>,
    codes: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    flag: &str,
    table: &str,
) -> Result<(), Failure> {
    let Some(id) = id else { return Ok(()) };
    if codes.clone().any(|(c, _)| c == id) {
        return Ok(());
    }
    // Ids whose code or name resembles what was typed ("Tres Lagos" for
    // its code).
    let typed = id.to_lowercase();
    let near: Vec<&str> = codes
        .filter(|(c, n)| {
            let (c, n) = (c.to_lowercase(), n.to_lowercase());
            c.contains(&typed) || typed.contains(&c) || n.contains(&typed)
        })
        .map(|(c, _)| c)
        .take(5)
        .collect();
    let hint = if near.is_empty() {
        String::new()
    } else {
        format!(" ({})", near.join(", "))
    };
    Err(Failure::Said(itinera::tr!(
        "{} {}: no existe en {} del escenario; use el id de la columna code{}",
        "{} {}: not in the scenario's {}; use an id from its code column{}",
        flag,
        id,
        table,
        hint
    )))
}

fn forced(c: &explain::Forced, lang: Lang) -> String {
    match c {
        explain::Forced::Infeasible => lang
            .pick(
                "Forzar una visita en esas semanas es imposible con las reglas del escenario (y el presupuesto del plan, si tiene).",
                "Forcing a visit in those weeks is impossible under the scenario's rules (and the plan's budget, if any).",
            )
            .to_string(),
        explain::Forced::NoPlanInTime => lang
            .pick(
                "Con una visita forzada no se halló plan en el tiempo dado: pruebe con más --time-limit.",
                "With a visit forced no plan was found in the time given: try a longer --time-limit.",
            )
            .to_string(),
        explain::Forced::Plan { objective, bound, extra } => {
            let gap = bound.map_or("-".to_string(), |b| lang.percent(itinera::optimize::relative_gap(*objective, b)));
            lang.fill(
                "Forzar una visita en esas semanas: el mejor plan hallado cuesta {} más (objetivo {}, brecha {}).",
                "Forcing a visit in those weeks: the best plan found costs {} more (objective {}, gap {}).",
                &[&lang.int(*extra), &lang.int(*objective), &gap],
            )
        }
    }
}
