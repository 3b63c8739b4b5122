//! `itinera jornadas`: where and when extraordinary care days pay off for a
//! plan, written as a what-if overlay that `plan`, `sweep` and `replan`
//! apply.

use super::{Failure, Source};
use clap::Args;
use itinera::export::lookup::Names;
use itinera::lang::Lang;
use itinera::plan::jornadas;
use std::path::PathBuf;

#[derive(Args)]
pub struct JornadasArgs {
    #[command(flatten)]
    scenario: Source,
    /// The plan the jornadas add to (plan.json or its folder).
    plan: PathBuf,
    /// How many extraordinary care days to hold, at most.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1000))]
    extra_days: u32,
    /// At most this many at one facility.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=1000))]
    max_per_facility: u32,
    /// Candidate dates: `weekends` (every Saturday of the horizon) or a file
    /// with one date (YYYY-MM-DD) per line.
    #[arg(long, default_value = "weekends")]
    dates: String,
    /// The what-if overlay to write.
    #[arg(short, long, value_name = "OVERLAY.yaml")]
    output: PathBuf,
}

pub fn run(a: &JornadasArgs, lang: Lang) -> Result<(), Failure> {
    let s = a.scenario.load()?;
    let plan = super::plan_for(&s, &a.plan)?;
    let dates = if a.dates == "weekends" {
        jornadas::weekends(&s)
    } else {
        let text = std::fs::read_to_string(&a.dates).map_err(|e| {
            Failure::Said(
                itinera::scenario::io_reason(&e)
                    .around(&format!("{}: {{}}", a.dates), &format!("{}: {{}}", a.dates)),
            )
        })?;
        let mut out = Vec::new();
        for (i, line) in text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
        {
            let d = chrono::NaiveDate::parse_from_str(line.trim(), "%Y-%m-%d").map_err(|_| {
                let (f, n) = (&a.dates, i + 1);
                Failure::Said(itinera::tr!(
                    "{f}:{n}: no es una fecha AAAA-MM-DD",
                    "{f}:{n}: not a YYYY-MM-DD date"
                ))
            })?;
            out.push(d);
        }
        out
    };
    let chosen = jornadas::choose(
        &s,
        &plan,
        a.extra_days as usize,
        a.max_per_facility as usize,
        &dates,
    );
    let name = a
        .output
        .file_stem()
        .map_or("jornadas".to_string(), |x| x.to_string_lossy().into_owned());
    itinera::output::write_file(&a.output, jornadas::overlay(&name, &chosen).as_bytes())?;
    // The overlay must apply to the scenario it was made for.
    itinera::scenario::apply_what_if(s.clone(), &a.output).map_err(|e| match e {
        itinera::scenario::ScenarioError::Invalid(d) => Failure::Invalid(d),
    })?;
    let names = Names::new(&s);
    let rows: Vec<Vec<String>> = chosen
        .iter()
        .map(|c| {
            vec![
                lang.date(c.date),
                names.facility_name(&c.facility),
                names.specialty_name(&c.specialty),
                lang.int(c.programmed),
                lang.int(c.served),
                lang.int(c.saved),
            ]
        })
        .collect();
    out!(
        "{}",
        super::render::table(
            &[
                lang.pick("fecha", "date"),
                lang.pick("establecimiento", "facility"),
                lang.pick("especialidad", "specialty"),
                lang.pick("servicios programados", "services programmed"),
                lang.pick("pacientes que atiende", "patients it serves"),
                lang.pick(
                    "ahorro (pacientes-semana ponderados)",
                    "saved (weighted patient-weeks)"
                ),
            ],
            &rows
        )
    );
    let saved: f64 = chosen.iter().map(|c| c.saved).sum();
    outln!(
        "{}",
        lang.fill(
            "{} jornadas ({} pedidas) ahorran {} {} de espera ponderada al plan tal como está; escritas en {} (úselas con --what-if)",
            "{} jornadas ({} asked for) save {} {} of weighted waiting on the plan as it is; written to {} (use them with --what-if)",
            &[&chosen.len(), &a.extra_days, &lang.int(saved), &s.costs.currency, &a.output.display()]
        )
    );
    Ok(())
}
