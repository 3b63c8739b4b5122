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
}

pub fn run(a: &ExplainArgs, lang: Lang) -> Result<(), Failure> {
    let s = a.scenario.load()?;
    let plan = super::plan_for(&s, &a.plan)?;
    let net = RoadNetwork::new(&s);
    let ctx = itinera::optimize::Context::new(&s, &net);
    let only = |l: &str, sp: &str| {
        a.locality.as_deref().is_none_or(|x| x == l)
            && a.specialty.as_deref().is_none_or(|x| x == sp)
    };
    let every = a.locality.is_some() || a.specialty.is_some();
    let found = explain::explain(&ctx, &plan, &only, every);
    if a.json {
        let doc = serde_json::json!({ "schema": "itinera.explain/1", "scenario": s.name, "lists": found });
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
    for e in &found {
        outln!("{}", unattended::sentence(&s, &names, e, lang));
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
