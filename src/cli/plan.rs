//! `itinera plan`: optimize, write plan.json atomically, summarise.

use super::{Failure, render};
use anyhow::Context as _;
use clap::Args;
use itinera::calendar::{self, conflicts, status_quo};
use itinera::network::RoadNetwork;
use itinera::optimize::{Method, Options, Status};
use itinera::plan;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct PlanArgs {
    #[command(flatten)]
    scenario: super::Source,
    /// Output folder (created if missing).
    #[arg(short, long, default_value = "out")]
    output: PathBuf,
    #[command(flatten)]
    pub(crate) solve: SolveArgs,
    /// Keep every confirmed visit exactly (instead of pricing changes).
    #[arg(long)]
    pin_confirmed: bool,
    /// Add valid waiting-list inequalities: a tighter bound when the solver
    /// has time for a larger root LP (longer time limits).
    #[arg(long)]
    strengthen: bool,
    /// Also write the whole integer program to FILE (.mps or .lp), for
    /// any other MIP solver; its optimum is the best plan's objective.
    #[arg(long, value_name = "FILE", value_parser = model_path)]
    export_model: Option<PathBuf>,
    /// A travel budget over the whole plan, as a hard rule: km=N (km
    /// driven) or cost=N (travel cost in the scenario's currency); give
    /// both to cap both.
    #[arg(long, value_name = "km=N|cost=N", value_parser = budget)]
    budget: Vec<itinera::optimize::Budget>,
    /// Instead of solving, write each independent part of the program as
    /// a job folder under DIR (with the scenario, the options and its share
    /// of the start and of shared rooms), for `itinera solve-part` on a
    /// cluster and `itinera merge` (docs/cluster.md).
    #[arg(long, value_name = "DIR", conflicts_with = "export_model")]
    pub(crate) parts_to: Option<PathBuf>,
    /// With `--parts-to`: the scripts that run the jobs (local: a process
    /// pool on this machine; slurm: a job array and a dependent merge; k8s:
    /// an Indexed Job and a merge Job).
    #[arg(long, value_enum, default_value_t = super::cluster::Emit::Local, requires = "parts_to")]
    pub(crate) emit: super::cluster::Emit,
}

/// `--budget km=N` or `cost=N`.
fn budget(text: &str) -> Result<itinera::optimize::Budget, String> {
    itinera::optimize::Budget::parse(text).map_err(|e| e.get(crate::cli::lang()).to_string())
}

/// A model file path HiGHS can write: `.mps` or `.lp`.
fn model_path(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    match path.extension().and_then(|e| e.to_str()) {
        Some("mps" | "lp") => Ok(path),
        _ => Err("the model file must end in .mps or .lp".to_string()),
    }
}

/// How `plan` and `replan` solve and what they write besides plan.json.
#[derive(Args)]
pub struct SolveArgs {
    /// Seconds the solver may spend.
    #[arg(long, default_value_t = 30.0)]
    pub time_limit: f64,
    /// Relative gap at which to stop (0.005 = 0.5 %).
    #[arg(long, default_value_t = 0.005)]
    pub gap: f64,
    /// Solver threads.
    #[arg(long, default_value_t = 2)]
    pub threads: u32,
    /// Write only the plan (no calendars, FHIR, map or report).
    #[arg(long)]
    pub no_export: bool,
    /// The global `--lang` (set by `cli::run`).
    #[arg(skip)]
    pub lang: itinera::export::Lang,
    /// No progress on stderr.
    #[arg(long, short)]
    pub quiet: bool,
    /// How to solve: colgen (bound by column generation over visit
    /// patterns, plan by a neighbourhood search over the whole program) or
    /// compact (HiGHS's bound per component of specialties); docs/model.md.
    #[arg(long, value_enum, default_value_t = MethodArg::Colgen)]
    pub method: MethodArg,
    /// Share of the time limit the column-generation bound may use (with
    /// `--method colgen`): alongside the search on large programs, before
    /// it (at most 0.25) on small ones.
    #[arg(long, default_value_t = 1.0, value_name = "SHARE", value_parser = share)]
    pub bound_share: f64,
}

/// `--method`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    Colgen,
    Compact,
}

impl From<MethodArg> for Method {
    fn from(m: MethodArg) -> Method {
        match m {
            MethodArg::Colgen => Method::ColumnGeneration,
            MethodArg::Compact => Method::Compact,
        }
    }
}

impl SolveArgs {
    /// Solver options from the command line.
    pub fn options(&self) -> Options {
        Options {
            time_limit: self.time_limit,
            gap: self.gap,
            threads: self.threads,
            method: self.method.into(),
            bound_share: self.bound_share,
            ..Options::default()
        }
    }

    /// Whether to show progress: not asked to be quiet, and a terminal.
    pub fn show_progress(&self) -> bool {
        !self.quiet && std::io::stderr().is_terminal()
    }
}

/// A share of the time limit: a number above 0, at most 1.
fn share(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if x > 0.0 && x <= 1.0 => Ok(x),
        _ => Err(crate::cli::lang()
            .pick(
                "use un número mayor que 0 y hasta 1 (`--method compact` prescinde de la cota por generación de columnas)",
                "use a number above 0 and at most 1 (`--method compact` goes without the column-generation bound)",
            )
            .to_string()),
    }
}

pub fn run(a: &PlanArgs) -> Result<(), Failure> {
    let s = a.scenario.load()?;
    let net = RoadNetwork::new(&s);
    let opts = Options {
        pin_confirmed: a.pin_confirmed,
        strengthen: a.strengthen,
        budgets: a.budget.clone(),
        ..a.solve.options()
    };
    if let Some(dir) = &a.parts_to {
        return super::cluster::split_plan(&a.scenario, &s, &net, &opts, dir, a.emit, a.solve.lang);
    }
    let sol = super::live::with_line(a.solve.show_progress(), a.solve.lang, |progress| {
        plan::solve(&s, &net, &opts, progress)
    })
    .map_err(|e| Failure::Said(e.text(&s)))?;
    if let Some(path) = &a.export_model {
        export_model(&s, &net, &opts, &sol.cuts, path, a.solve.lang)?;
    }
    let to = Output {
        dir: &a.output,
        no_export: a.solve.no_export,
        lang: a.solve.lang,
        published_at: None,
    };
    publish(&s, &net, &sol, &opts, &to)
}

/// Where and how [`publish`] writes a plan.
pub struct Output<'a> {
    /// The output folder.
    pub dir: &'a Path,
    /// Only plan.json, no publication.
    pub no_export: bool,
    /// Language of the summary and the publication.
    pub lang: itinera::export::Lang,
    /// The publication's time (`export::Target::published_at`).
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Finish a solved program (`finish`) and write its plan.json, with its
/// publication unless `--no-export`, and the summary: what `plan` does
/// after the solve, and `merge` after bringing a split's parts together.
pub fn publish(
    s: &itinera::model::Scenario,
    net: &RoadNetwork,
    sol: &itinera::optimize::Solution,
    opts: &Options,
    to: &Output<'_>,
) -> Result<(), Failure> {
    let p = finish(s, net, sol, opts, to.lang, |line| eprintln!("{line}"))?;
    let path = to.dir.join("plan.json");
    let json = serde_json::to_string_pretty(&p).context("encoding plan.json")?;
    let visits = calendar::merge(s);
    let found = conflicts::find(s, net, &visits);
    let sq = status_quo::evaluate(s, net, &visits, &found);
    if to.no_export {
        itinera::output::write_private(&path, json.as_bytes())?;
        out!("{}", render::plan_summary(s, net, &p, &sq, &path, to.lang));
    } else {
        // plan.json goes with its publication, so the two always agree.
        let extra = vec![(PathBuf::from("plan.json"), json.into_bytes())];
        let target = super::export::Target {
            dir: to.dir,
            lang: to.lang,
            earlier: None,
            force: false,
            sections: Vec::new(),
            published_at: to.published_at,
        };
        let published = super::export::publish(s, &p, &sq, &target, extra)?;
        out!("{}", render::plan_summary(s, net, &p, &sq, &path, to.lang));
        out!("\n{published}");
    }
    // The plan's status, which follows the gap after any room repair.
    if p.solver.status == plan::format::PlanStatus::TimeLimit {
        return Err(Failure::Answer(3));
    }
    Ok(())
}

/// The plan of a solved program, with its supply routes; when there is no
/// plan, `say` gets the reasons and the answer is the exit code (4 no plan
/// in time, 5 infeasible rules).
pub fn finish(
    s: &itinera::model::Scenario,
    net: &RoadNetwork,
    sol: &itinera::optimize::Solution,
    opts: &Options,
    lang: itinera::export::Lang,
    say: impl Fn(String),
) -> Result<itinera::plan::format::Plan, Failure> {
    if !sol.status.has_plan() {
        let l = |es: &'static str, en: &'static str| lang.pick(es, en);
        say(render::status_label(sol.status, lang).to_string());
        say(format!(
            "{}: {} {}, {} {} ({} {}, {} {}), {} {:.1} s, {} {:.1} s",
            l("programa", "program"),
            sol.size.rows,
            l("filas", "rows"),
            sol.size.columns,
            l("columnas", "columns"),
            sol.size.binaries,
            l("binarias", "binary"),
            sol.size.integers,
            l("enteras", "integer"),
            l("armado en", "built in"),
            sol.build_seconds,
            l("resuelto durante", "solved for"),
            sol.solve_seconds
        ));
        if sol.status == Status::Infeasible {
            for g in &sol.conflicting_groups {
                say(format!(
                    "  {}: {}",
                    l(
                        "relajar este grupo de reglas las vuelve compatibles",
                        "relaxing this rule group makes the rules feasible"
                    ),
                    g.describe(lang)
                ));
            }
            return Err(Failure::Answer(5));
        }
        return Err(Failure::Answer(4));
    }
    let mut p = plan::assemble(s, net, sol, plan::format::SolveOptions::of(opts))
        .map_err(|e| Failure::Said(e.text(s)))?;
    if sol.size.binaries == 0 && !s.demand.is_empty() {
        say(lang
            .pick(
                "nada que planificar: ningún especialista puede hacer un viaje en el horizonte (licencias, feriados, límites mensuales, rutas cerradas o sin tiempo de viaje); todas las listas siguen esperando. `itinera trips` muestra los viajes posibles por especialista.",
                "nothing can be planned: no specialist can make a trip within the horizon (leave, holidays, monthly limits, closed roads or no time to drive); every waiting list keeps waiting. `itinera trips` shows the possible trips per specialist.",
            )
            .to_string());
    }
    if let Some((routes, supply)) = itinera::logistics::plan_supply(s, net, p.made_visits()) {
        p.routes = routes;
        p.supply = Some(supply);
    }
    Ok(p)
}

pub use itinera::output::write_file as write_atomically;

/// Write the whole program to `path` through a temporary file beside it
/// (same extension, which sets the format), so no half-written model is left.
fn export_model(
    s: &itinera::model::Scenario,
    net: &RoadNetwork,
    opts: &Options,
    cuts: &[itinera::optimize::NoGood],
    path: &Path,
    lang: itinera::export::Lang,
) -> Result<(), Failure> {
    let tmp = itinera::output::temp_beside(path)?;
    let ctx = itinera::optimize::Context::new(s, net).with_budgets(opts.budgets.clone());
    let written = itinera::optimize::export_model(&ctx, opts, cuts, tmp.path())
        .map_err(|e| anyhow::anyhow!("{e}"))
        .and_then(|size| tmp.persist().map(|_| size).map_err(anyhow::Error::from));
    match written {
        Ok(size) => {
            eprintln!(
                "{}",
                lang.fill(
                    "modelo escrito en {}: {} filas, {} columnas ({} binarias, {} enteras)",
                    "model written to {}: {} rows, {} columns ({} binary, {} integer)",
                    &[
                        &path.display(),
                        &size.rows,
                        &size.columns,
                        &size.binaries,
                        &size.integers
                    ]
                )
            );
            Ok(())
        }
        Err(e) => Err(Failure::Other(e)),
    }
}
