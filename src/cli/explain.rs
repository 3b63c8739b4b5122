//! `itinera explain`: why a waiting list goes longer than its maximum gap,
//! in the planner's words and numbers.

use super::{Failure, Source};
use anyhow::Context as _;
use clap::Args;
use itinera::export::lookup::Names;
use itinera::lang::Lang;
use itinera::network::RoadNetwork;
use itinera::plan::explain::{self, Explanation};
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
        outln!("{}", say(&s, &names, e, lang));
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

fn say(s: &itinera::model::Scenario, names: &Names<'_>, e: &Explanation, lang: Lang) -> String {
    let (town, specialty) = (
        names.locality_name(&e.locality),
        names.specialty_name(&e.specialty),
    );
    let head = if e.length == 0 {
        lang.fill(
            "{} — {}: visitada todas las semanas.",
            "{} — {}: visited every week.",
            &[&town, &specialty],
        )
    } else {
        let (from, to) = (
            s.horizon.week_start(e.weeks.0),
            s.horizon.week_start(e.weeks.1),
        );
        lang.fill(
            "{} — {}: {} semanas sin visita (del {} a la semana del {}; máximo {}).",
            "{} — {}: {} weeks without a visit (from {} to the week of {}; maximum {}).",
            &[
                &town,
                &specialty,
                &e.length,
                &lang.date(from),
                &lang.date(to),
                &e.max_gap,
            ],
        )
    };
    if e.unreachable() {
        return head
            + " "
            + &lang.fill(
                "Ningún legajo de {} puede llegar dentro de los días hábiles de una semana: hace falta un especialista con base más cerca o una ruta más corta.",
                "No {} record can get there within a week's working days: it needs a specialist based closer or a shorter route.",
                &[&specialty],
            );
    }
    if e.length == 0 {
        return head;
    }
    let mut places: Vec<(&String, &u32)> = e.went_to.iter().collect();
    places.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let places: Vec<String> = places
        .iter()
        .take(4)
        .map(|(l, n)| format!("{} ({n})", names.locality_name(l)))
        .collect();
    head + " "
        + &lang.fill(
            "{} persona(s) pueden llegar; de sus semanas: {} de licencia o feriado, {} con el camino cortado, {} en otros viajes{}, {} con el límite mensual cubierto, {} sin consultorio libre, {} libres sin enviar (el plan usó esas semanas donde más reducían la espera).",
            "{} person(s) can get there; of their weeks: {} on leave or a holiday, {} with the road closed, {} on other trips{}, {} at the monthly limit, {} without a free room, {} free and not sent (the plan used those weeks where they cut waiting most).",
            &[
                &e.persons,
                &e.unavailable,
                &e.road_closed,
                &e.elsewhere,
                &if places.is_empty() { String::new() } else { format!(" ({})", places.join(", ")) },
                &e.monthly_limit,
                &e.rooms_full,
                &e.free,
            ],
        )
}
