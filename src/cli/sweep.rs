//! `itinera sweep`: the base scenario and one variant per what-if file,
//! solved in parallel, each plan written to its own folder, and one
//! comparison of them all with the base plan and the status quo.

use super::plan::{finish, write_atomically};
use super::{Failure, load};
use anyhow::Context as _;
use clap::Args;
use itinera::export::{Lang, compare};
use itinera::model::Scenario;
use itinera::network::RoadNetwork;
use itinera::optimize::Options;
use itinera::plan::format::Plan;
use itinera::plan::metrics::backlog_total;
use itinera::scenario::{self, ScenarioError};
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args)]
pub struct SweepArgs {
    /// Base scenario folder (or its scenario.yaml).
    scenario: PathBuf,
    /// What-if files: each one, applied to the base alone, is a variant.
    #[arg(long = "what-if", value_name = "FILE", num_args = 1.., required = true)]
    what_if: Vec<PathBuf>,
    /// Output folder: status-quo/, base/ and one folder per variant, each
    /// with its plan.json (and, for a variant, diff.csv against the base
    /// plan), then compare.html and compare.csv.
    #[arg(short, long)]
    output: PathBuf,
    /// Seconds the solver may spend on each variant.
    #[arg(long, default_value_t = 30.0)]
    time_limit: f64,
    /// Relative gap at which each solve stops.
    #[arg(long, default_value_t = 0.005)]
    gap: f64,
    /// Solver threads per variant.
    #[arg(long, default_value_t = 1)]
    threads: u32,
    /// Variants solved at once (default: the cores divided by --threads).
    #[arg(long)]
    jobs: Option<usize>,
    /// The global `--lang` (set by `cli::run`).
    #[arg(skip)]
    pub(crate) lang: Lang,
}

/// A scenario to solve and the folder its plan goes to.
struct Variant {
    folder: String,
    scenario: Scenario,
}

pub fn run(a: &SweepArgs) -> Result<(), Failure> {
    let base = load(&a.scenario)?;
    let variants = variants(&base, &a.what_if)?;
    let opts = Options {
        time_limit: a.time_limit,
        gap: a.gap,
        threads: a.threads,
        ..Options::default()
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = a
        .jobs
        .unwrap_or((cores / a.threads.max(1) as usize).max(1))
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .context("starting the worker threads")?;
    eprintln!(
        "{}",
        a.lang.fill(
            "barrido: {} variantes, {} a la vez, {} hilo(s) de solver cada una, {} s cada una",
            "sweep: {} variants, {} at a time, {} solver thread(s) each, {} s each",
            &[&variants.len(), &jobs, &a.threads, &a.time_limit]
        )
    );
    let solved: Vec<Result<Plan, Failure>> = pool.install(|| {
        variants
            .par_iter()
            .map(|v| {
                let started = Instant::now();
                let net = RoadNetwork::new(&v.scenario);
                let sol = itinera::plan::solve(&v.scenario, &net, &opts, None)
                    .map_err(|e| Failure::Said(e.text(&v.scenario)))?;
                let p = finish(&v.scenario, &net, &sol, &opts, a.lang, |line| {
                    eprintln!("{}: {line}", v.folder)
                });
                let status = p.as_ref().map_or(a.lang.pick("sin plan", "no plan"), |p| {
                    a.lang.status(p.solver.status.code())
                });
                eprintln!(
                    "{}",
                    a.lang.fill(
                        "{}: {} en {} s",
                        "{}: {} in {} s",
                        &[
                            &v.folder,
                            &status,
                            &a.lang.decimal(started.elapsed().as_secs_f64(), 0)
                        ]
                    )
                );
                p
            })
            .collect()
    });
    // The status quo, on the base scenario.
    let net = RoadNetwork::new(&base);
    let mut sq = itinera::plan::status_quo::as_plan(&base, &net);
    if let Some((routes, supply)) = itinera::logistics::plan_supply(&base, &net, sq.made_visits()) {
        sq.routes = routes;
        sq.supply = Some(supply);
    }
    write_plan(a, "status-quo", &sq)?;
    let mut columns: Vec<(String, Plan)> = Vec::new();
    let mut curves = Vec::new();
    let mut worst = 0u8;
    for (v, p) in variants.iter().zip(solved) {
        match p {
            Ok(p) => {
                write_plan(a, &v.folder, &p)?;
                if p.solver.status == itinera::plan::format::PlanStatus::TimeLimit {
                    worst = worst.max(3);
                }
                curves.push((v.folder.clone(), backlog_total(&v.scenario, &p.visits)));
                columns.push((v.folder.clone(), p));
            }
            Err(Failure::Answer(code)) => worst = worst.max(code),
            Err(e) => return Err(e),
        }
        if v.folder == "base" {
            // The status quo right after the base plan, the reference.
            curves.push(("status-quo".to_string(), backlog_total(&base, &sq.visits)));
            columns.push(("status-quo".to_string(), sq.clone()));
        }
    }
    // What each variant changes against the base plan, visit by visit.
    if let Some((_, base_plan)) = columns.iter().find(|(l, _)| l == "base") {
        for (label, p) in columns
            .iter()
            .filter(|(l, _)| l != "base" && l != "status-quo")
        {
            let changes = itinera::plan::diff::diff(base_plan, p);
            let bytes = compare::diff_csv(&changes).map_err(Failure::from)?;
            let path = a.output.join(label).join("diff.csv");
            write_atomically(&path, &bytes)?;
        }
    }
    let cols = compare::compare(&columns);
    out!("{}", compare::table(&cols, a.lang));
    let csv = compare::csv(&cols, a.lang).map_err(Failure::from)?;
    let csv_path = a.output.join("compare.csv");
    write_atomically(&csv_path, &csv)?;
    let page = compare::html(&cols, Some(&curves), a.lang).map_err(Failure::from)?;
    let html_path = a.output.join("compare.html");
    write_atomically(&html_path, page.as_bytes())?;
    outln!(
        "\n{}",
        a.lang.fill(
            "escrito en {}: {} planes, compare.html, compare.csv",
            "written to {}: {} plans, compare.html, compare.csv",
            &[&a.output.display(), &columns.len()]
        )
    );
    if worst > 0 {
        return Err(Failure::Answer(worst));
    }
    Ok(())
}

/// The base and one variant per what-if file, each checked before any
/// solving starts: every problem of every file is reported at once.
fn variants(base: &Scenario, files: &[PathBuf]) -> Result<Vec<Variant>, Failure> {
    let mut out = vec![Variant {
        folder: "base".to_string(),
        scenario: base.clone(),
    }];
    let mut problems = Vec::new();
    for f in files {
        match scenario::apply_what_if(base.clone(), f) {
            Ok(s) => {
                let name = s.what_if.last().map_or("variant", |w| w.name.as_str());
                let mut folder = itinera::export::events::slug(name);
                if folder.is_empty() || ["base", "status-quo"].contains(&folder.as_str()) {
                    folder = format!("what-if-{folder}");
                }
                let taken = |f: &str| out.iter().any(|v: &Variant| v.folder == f);
                if taken(&folder) {
                    let mut k = 2;
                    while taken(&format!("{folder}-{k}")) {
                        k += 1;
                    }
                    folder = format!("{folder}-{k}");
                }
                out.push(Variant {
                    folder,
                    scenario: s,
                });
            }
            Err(ScenarioError::Invalid(d)) => problems.extend(d),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Failure::Invalid(problems))
    }
}

fn write_plan(a: &SweepArgs, folder: &str, p: &Plan) -> Result<(), Failure> {
    let path = a.output.join(folder).join("plan.json");
    let json = serde_json::to_string_pretty(p).context("encoding plan.json")?;
    itinera::output::write_private(&path, json.as_bytes())?;
    Ok(())
}
