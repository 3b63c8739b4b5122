//! `itinera replan`: repair a published plan from a date on, under new
//! conditions, changing as few published visits as pays; write the new
//! plan, its diff against the published one, and publish it so calendar
//! events update in place.

use super::plan::{SolveArgs, finish, write_atomically};
use super::{Failure, read_plan, render};
use anyhow::Context as _;
use chrono::NaiveDate;
use clap::Args;
use itinera::calendar::{self, conflicts, status_quo};
use itinera::export::compare::diff_csv;
use itinera::network::RoadNetwork;
use itinera::plan::{diff::by_facility, replan};
use itinera::scenario::{Code, Diagnostic};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct ReplanArgs {
    #[command(flatten)]
    scenario: super::Source,
    /// The published plan.json to repair.
    #[arg(long, value_name = "PLAN")]
    current: PathBuf,
    /// Nothing before this date changes; replanning starts on the first
    /// Monday on or after it.
    #[arg(long, value_name = "DATE")]
    from: NaiveDate,
    /// Output folder for the new plan.json, diff.csv and the publication.
    #[arg(short, long)]
    output: PathBuf,
    #[command(flatten)]
    pub(crate) solve: SolveArgs,
}

pub fn run(a: &ReplanArgs) -> Result<(), Failure> {
    let s = a.scenario.load()?;
    let current = read_plan(&a.current)?;
    let net = RoadNetwork::new(&s);
    let opts = a.solve.options();
    let (prepared, sol) = super::live::with_line(a.solve.show_progress(), a.solve.lang, |progress| {
        replan::solve(&s, &net, &current, a.from, &opts, progress)
    })
    .map_err(|e| match e {
        replan::ReplanError::Plan(e) => Failure::Said(e.text(&s)),
        e => Failure::Invalid(vec![Diagnostic {
            code: Code::PlanMismatch,
            file: a.current.clone(),
            line: None,
            column: None,
            field: match e {
                replan::ReplanError::AfterHorizon { .. } => "--from".to_string(),
                _ => String::new(),
            },
            message: e.text(),
            fix: itinera::tr!(
                "replanifique un plan con el escenario y los what-if con que se hizo, desde una fecha dentro del horizonte",
                "replan a plan with the scenario and what-if files it was made from, from a date inside the horizon"
            ),
        }]),
    })?;
    let mut p = finish(&s, &net, &sol, &opts, a.solve.lang, |line| {
        eprintln!("{line}")
    })?;
    let changes = replan::finish(&s, &prepared, &current, &sol, &mut p);
    let path = a.output.join("plan.json");
    let json = serde_json::to_string_pretty(&p).context("encoding plan.json")?;
    let csv_path = a.output.join("diff.csv");
    let diff = diff_csv(&changes).map_err(Failure::from)?;
    let visits = calendar::merge(&s);
    let found = conflicts::find(&s, &net, &visits);
    let sq = status_quo::evaluate(&s, &net, &visits, &found);
    let published = if a.solve.no_export {
        itinera::output::write_private(&path, json.as_bytes())?;
        write_atomically(&csv_path, &diff)?;
        None
    } else {
        // The plan, its diff and its publication appear together.
        let extra = vec![
            (PathBuf::from("plan.json"), json.into_bytes()),
            (PathBuf::from("diff.csv"), diff),
        ];
        let target = super::export::Target {
            dir: &a.output,
            lang: a.solve.lang,
            earlier: Some(a.current.parent().unwrap_or(Path::new("."))),
            force: false,
            sections: Vec::new(),
            published_at: None,
        };
        Some(super::export::publish(&s, &p, &sq, &target, extra)?)
    };
    out!(
        "{}",
        render::plan_summary(&s, &net, &p, &sq, &path, a.solve.lang)
    );
    out!(
        "\n{}",
        render::replan_summary(&p, &s.costs.currency, a.solve.lang)
    );
    out!(
        "\n{} {} ({}; {} {}):\n{}",
        a.solve.lang.pick("cambios respecto de", "changes from"),
        current.label(),
        a.solve.lang.pick("visitas", "visits"),
        a.solve.lang.pick("también en", "also in"),
        csv_path.display(),
        render::diff_table(&by_facility(&changes), a.solve.lang)
    );
    if let Some(published) = published {
        out!("\n{published}");
    }
    if p.solver.status == itinera::plan::format::PlanStatus::TimeLimit {
        return Err(Failure::Answer(3));
    }
    Ok(())
}
