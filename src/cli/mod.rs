//! Subcommands and exit codes.
//!
//! Exit codes: 0 success (for `plan`: a plan within the requested gap);
//! 1 the command failed (I/O, internal); 2 the input is invalid (every problem
//! is printed to stderr); 3 `plan` (`replan`, `sweep`) hit its time limit above the requested gap
//! (the plan is written); 4 no plan was found in time; 5 the rules are
//! infeasible (the conflicting rule groups are printed); 6 `check` found
//! rule violations in the plan, or `ledger verify` an altered record.

/// Print to stdout like `print!`, but a failed write (a full disk, a closed
/// file) is an error of the command (exit 1), not a panic.
macro_rules! out {
    ($($t:tt)*) => {
        $crate::cli::write_stdout(format_args!($($t)*))?
    };
}

/// `println!` as [`out!`].
macro_rules! outln {
    () => {
        $crate::cli::write_stdout(format_args!("\n"))?
    };
    ($($t:tt)*) => {
        $crate::cli::write_stdout(format_args!("{}\n", format_args!($($t)*)))?
    };
}

mod actuals;
mod appointments;
mod cluster;
mod compare;
mod diff;
mod explain;
mod export;
mod frontier;
mod generate;
mod jornadas;
mod live;
mod plan;
mod replan;
mod route;
mod sweep;

mod render;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use itinera::calendar::{self, conflicts, status_quo};
use itinera::lang::{Lang, Text};
use itinera::model::Scenario;
use itinera::network::RoadNetwork;
use itinera::scenario::{self, ScenarioError};
use itinera::tr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The language chosen on the command line, for messages written outside
/// a command (the overrun hook in `main`).
static LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// The language of the command line (Spanish until it is parsed).
pub fn lang() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// Exit code for invalid input.
const EXIT_INVALID: u8 = 2;

#[derive(Parser)]
#[command(
    name = "itinera",
    version,
    about = "Unified rotation plans for itinerant medical specialists"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of everything itinera writes for people: messages, tables,
    /// calendars, sheets and the report (es: Spanish, en: English).
    #[arg(long, global = true, default_value = "es", value_name = "es|en")]
    lang: itinera::export::Lang,
}

#[derive(Subcommand)]
enum Command {
    /// Check a scenario and print a one-line summary of what it holds.
    Validate {
        #[command(flatten)]
        scenario: Source,
    },
    /// Merge both institutions' calendars and list where they collide.
    Conflicts {
        #[command(flatten)]
        scenario: Source,
        /// Print JSON (schema itinera.conflicts/1) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Optimize one unified rotation plan and write DIR/plan.json.
    Plan(plan::PlanArgs),
    /// Verify a plan against every rule, independently of the optimizer.
    Check {
        #[command(flatten)]
        scenario: Source,
        /// The plan.json to verify.
        plan: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Publish a plan: ICS/CSV calendars, FHIR bundles, GeoJSON and report.html.
    Export(export::ExportArgs),
    /// Compare plans side by side (table, CSV, JSON, HTML).
    Compare(compare::CompareArgs),
    /// What changes from one plan to another: kept, moved, reassigned,
    /// cancelled and new visits per facility.
    Diff(diff::DiffArgs),
    /// Solve the base and one variant per what-if file in parallel, and
    /// compare them all with the base plan and the status quo.
    Sweep(sweep::SweepArgs),
    /// Repair a published plan from a date on under new conditions (a
    /// leave, a closure), changing as few published visits as pays; write
    /// the new plan, its diff and an updated publication.
    Replan(replan::ReplanArgs),
    /// Write a synthetic scenario of any size (same seed, same files).
    Generate(generate::GenerateArgs),
    /// Solve a vehicle-routing benchmark instance (CVRPLIB .vrp, Solomon .txt).
    Route(route::RouteArgs),
    /// Summarise the candidate trips the optimizer chooses from.
    Trips {
        #[command(flatten)]
        scenario: Source,
    },
    /// Programmed against delivered: what really happened at each visit
    /// (held, patients seen, no-shows) per specialty, facility and month.
    Actuals(actuals::ActualsArgs),
    /// Where and when extraordinary care days (jornadas) pay off for a
    /// plan, written as a what-if overlay.
    Jornadas(jornadas::JornadasArgs),
    /// Why a waiting list goes longer than its maximum without a visit:
    /// what each specialist who could go was doing in those weeks.
    Explain(explain::ExplainArgs),
    /// The trade-off frontier: the plan solved along travel budgets (km or
    /// cost), each point checked, as frontier.csv and frontier.html.
    Frontier(frontier::FrontierArgs),
    /// Book the waiting patients into a plan's consultation slots, in an
    /// appointment ledger (re-run after a replan: moves and re-books).
    Book(appointments::BookArgs),
    /// The messages due to patients at a time (booking notices, changes,
    /// cancellations, reminders, waiting-list checks), as an outbox for a
    /// messaging gateway and a call list.
    Contact(appointments::ContactArgs),
    /// Apply patients' responses (confirm, cancel, reschedule, not needed,
    /// wrong number, no answer); safe to repeat.
    Respond(appointments::RespondArgs),
    /// Take in appointment requests (by message or from a health post):
    /// each joins the list and is offered the first free slot.
    Request(appointments::RequestArgs),
    /// The appointment ledger: stats for the planner, or verify its record.
    Ledger(appointments::LedgerArgs),
    /// Write synthetic, pseudonymous patients for a scenario's waiting lists.
    Patients(appointments::PatientsArgs),
    /// Solve one job of a split folder (`plan --parts-to`, `sweep
    /// --jobs-to`): a part, the bound or a variant; a job with its result
    /// is left as it is.
    SolvePart(cluster::SolvePartArgs),
    /// Bring the parts of a split plan together and publish the plan as
    /// `plan` does.
    Merge(cluster::MergeArgs),
    /// Score the existing calendars as they stand (the status quo).
    Evaluate {
        #[command(flatten)]
        scenario: Source,
        /// Print JSON (schema itinera.status-quo/1) instead of tables.
        #[arg(long)]
        json: bool,
        /// Also write the existing calendars as a plan (itinera.plan/1), for
        /// `compare` and `export`.
        #[arg(long, value_name = "FILE")]
        as_plan: Option<PathBuf>,
    },
}

/// The scenario a command works on: a folder, and the what-if overlays
/// that patch it, in order.
#[derive(clap::Args)]
pub(crate) struct Source {
    /// Scenario folder (or its scenario.yaml).
    pub scenario: PathBuf,
    /// What-if files that patch the scenario, applied in order
    /// (docs/what-if.md).
    #[arg(long = "what-if", value_name = "FILE", num_args = 1..)]
    pub what_if: Vec<PathBuf>,
}

impl Source {
    /// The scenario with its overlays applied.
    pub fn load(&self) -> Result<Scenario, Failure> {
        let s = load(&self.scenario)?;
        scenario::apply_what_ifs(s, &self.what_if).map_err(|e| match e {
            ScenarioError::Invalid(d) => Failure::Invalid(d),
        })
    }
}

/// Write to stdout and flush, so a write error surfaces here.
pub(crate) fn write_stdout(args: std::fmt::Arguments<'_>) -> Result<(), Failure> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_fmt(args).and_then(|_| out.flush()).map_err(|e| {
        Failure::Other(anyhow::anyhow!(
            "{}",
            lang().fill(
                "escribiendo en la salida estándar: {}",
                "writing to standard output: {}",
                &[&scenario::io_reason(&e).get(lang())]
            )
        ))
    })
}

/// Why a command stopped.
pub(crate) enum Failure {
    Invalid(Vec<scenario::Diagnostic>),
    Other(anyhow::Error),
    /// A failure the library words in both languages.
    Said(Text),
    /// The command ran and answered, with a non-zero exit code of its own.
    Answer(u8),
}

impl From<itinera::output::OutputError> for Failure {
    fn from(e: itinera::output::OutputError) -> Self {
        Failure::Said(e.text())
    }
}

impl From<itinera::export::ExportError> for Failure {
    fn from(e: itinera::export::ExportError) -> Self {
        Failure::Said(e.text())
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Other(e)
    }
}

/// Parse the command line, run the command, map the outcome to an exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang;
    let _ = LANG.set(lang);
    let outcome = match cli.command {
        Command::Validate { scenario } => validate(&scenario, lang),
        Command::Conflicts { scenario, json } => show_conflicts(&scenario, json, lang),
        Command::Evaluate {
            scenario,
            json,
            as_plan,
        } => evaluate(&scenario, json, as_plan.as_deref(), lang),
        Command::Trips { scenario } => trips(&scenario, lang),
        Command::Plan(mut args) => {
            args.solve.lang = lang;
            plan::run(&args)
        }
        Command::Export(mut args) => {
            args.lang = lang;
            export::run(&args)
        }
        Command::Compare(mut args) => {
            args.lang = lang;
            compare::run(&args)
        }
        Command::Sweep(mut args) => {
            args.lang = lang;
            sweep::run(&args)
        }
        Command::Diff(mut args) => {
            args.lang = lang;
            diff::run(&args)
        }
        Command::Replan(mut args) => {
            args.solve.lang = lang;
            replan::run(&args)
        }
        Command::Generate(args) => generate::run(&args, lang),
        Command::Route(args) => route::run(&args, lang),
        Command::Book(args) => appointments::book(&args, lang),
        Command::Actuals(args) => actuals::run(&args, lang),
        Command::Frontier(args) => frontier::run(&args, lang),
        Command::Explain(args) => explain::run(&args, lang),
        Command::Jornadas(args) => jornadas::run(&args, lang),
        Command::SolvePart(args) => cluster::solve_part(&args, lang),
        Command::Merge(args) => cluster::merge(&args, lang),
        Command::Ledger(args) => appointments::ledger(&args, lang),
        Command::Contact(args) => appointments::contact(&args, lang),
        Command::Respond(args) => appointments::respond(&args, lang),
        Command::Request(args) => appointments::request(&args, lang),
        Command::Patients(args) => appointments::patients(&args, lang),
        Command::Check {
            scenario,
            plan,
            json,
        } => check(&scenario, &plan, json, lang),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Invalid(diags)) => {
            for d in &diags {
                eprintln!("{}", d.render(lang));
            }
            let n = diags.len();
            eprintln!(
                "{}",
                lang.fill(
                    "error: {} problema(s) en los datos; los códigos se explican en docs/errors.md",
                    "error: the input has {} problem(s); codes are explained in docs/errors.md",
                    &[&n]
                )
            );
            ExitCode::from(EXIT_INVALID)
        }
        Err(Failure::Other(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
        Err(Failure::Said(text)) => {
            eprintln!("error: {}", text.get(lang));
            ExitCode::FAILURE
        }
        Err(Failure::Answer(code)) => ExitCode::from(code),
    }
}

pub(crate) fn load(path: &Path) -> Result<Scenario, Failure> {
    if path.is_file() && path.extension().is_some_and(|e| e == "json") {
        // `check plan.json scenario/`: the arguments are the wrong way round.
        return Err(Failure::Invalid(vec![scenario::Diagnostic {
            code: scenario::Code::FileUnreadable,
            file: path.to_path_buf(),
            line: None,
            column: None,
            field: "SCENARIO".to_string(),
            message: tr!(
                "es un archivo JSON (¿un plan?), no un escenario",
                "this is a JSON file (a plan?), not a scenario"
            ),
            fix: tr!(
                "dé primero la carpeta del escenario (o su scenario.yaml) y después el plan: `itinera check ESCENARIO PLAN`",
                "give the scenario folder (or its scenario.yaml) first, then the plan: `itinera check SCENARIO PLAN`"
            ),
        }]));
    }
    scenario::load(path).map_err(|e| match e {
        ScenarioError::Invalid(d) => Failure::Invalid(d),
    })
}

fn validate(source: &Source, lang: Lang) -> Result<(), Failure> {
    let s = source.load()?;
    // The patients beside the scenario, when there are any, are checked too.
    let dir = if source.scenario.is_file() {
        source
            .scenario
            .parent()
            .unwrap_or(Path::new("."))
            .to_path_buf()
    } else {
        source.scenario.clone()
    };
    let patients = dir.join(scenario::PATIENTS_FILE);
    let patients = if patients.is_file() {
        let list = scenario::load_patients(&s, &patients).map_err(|e| match e {
            ScenarioError::Invalid(d) => Failure::Invalid(d),
        })?;
        Some(list.len())
    } else {
        None
    };
    outln!(
        "{}: {} — {}",
        s.label(),
        lang.pick("correcto", "ok"),
        summary(&s, lang)
    );
    if let Some(n) = patients {
        outln!(
            "{}",
            lang.fill(
                "patients.csv: correcto — {} derivaciones en lista de espera",
                "patients.csv: ok — {} referrals on the waiting lists",
                &[&n]
            )
        );
    }
    Ok(())
}

/// What a valid scenario holds, in one line.
pub(crate) fn summary(s: &Scenario, lang: Lang) -> String {
    lang.fill(
        "{} semanas desde el {}, {} instituciones, {} especialidades, {} localidades, {} caminos, {} establecimientos, {} personas ({} legajos), {} listas de espera, {} visitas existentes",
        "{} weeks from {}, {} institutions, {} specialties, {} localities, {} roads, {} facilities, {} persons ({} records), {} waiting lists, {} existing visits",
        &[
            &s.horizon.weeks,
            &lang.date(s.horizon.start),
            &s.institutions.len(),
            &s.specialties.len(),
            &s.localities.len(),
            &s.roads.len(),
            &s.facilities.len(),
            &s.persons.len(),
            &s.specialists.len(),
            &s.demand.len(),
            &s.calendar.len(),
        ],
    )
}

fn show_conflicts(source: &Source, json: bool, lang: Lang) -> Result<(), Failure> {
    let s = source.load()?;
    let net = RoadNetwork::new(&s);
    let visits = calendar::merge(&s);
    let found = conflicts::find(&s, &net, &visits);
    if json {
        let doc = render::conflicts_json(&s, &found, lang);
        outln!(
            "{}",
            serde_json::to_string_pretty(&doc).context("encoding JSON")?
        );
    } else {
        out!("{}", render::conflicts_table(&s, &visits, &found, lang));
    }
    Ok(())
}

fn evaluate(
    source: &Source,
    json: bool,
    as_plan: Option<&Path>,
    lang: Lang,
) -> Result<(), Failure> {
    let s = source.load()?;
    let net = RoadNetwork::new(&s);
    let visits = calendar::merge(&s);
    let found = conflicts::find(&s, &net, &visits);
    let sq = status_quo::evaluate(&s, &net, &visits, &found);
    if json {
        let doc = serde_json::json!({
            "schema": "itinera.status-quo/1",
            "scenario": s.name,
            "currency": s.costs.currency,
            "metrics": sq,
        });
        outln!(
            "{}",
            serde_json::to_string_pretty(&doc).context("encoding JSON")?
        );
    } else {
        out!("{}", render::status_quo_tables(&s, &sq, lang));
    }
    if let Some(out) = as_plan {
        let mut p = itinera::plan::status_quo::as_plan(&s, &net);
        if let Some((routes, supply)) = itinera::logistics::plan_supply(&s, &net, p.made_visits()) {
            p.routes = routes;
            p.supply = Some(supply);
        }
        let json = serde_json::to_string_pretty(&p).context("encoding plan.json")?;
        itinera::output::write_private(out, json.as_bytes())?;
    }
    Ok(())
}

fn trips(source: &Source, lang: Lang) -> Result<(), Failure> {
    let s = source.load()?;
    let net = RoadNetwork::new(&s);
    let catalog = itinera::trips::TripCatalog::build(&s, &net);
    out!("{}", render::trips_table(&s, &catalog, lang));
    Ok(())
}

fn check(
    source: &Source,
    plan_path: &Path,
    json: bool,
    lang: itinera::export::Lang,
) -> Result<(), Failure> {
    let s = source.load()?;
    let plan = plan_for(&s, plan_path)?;
    let net = RoadNetwork::new(&s);
    let found = itinera::check::check(&s, &net, &plan);
    if json {
        let doc = serde_json::json!({"schema": "itinera.check/1", "plan": plan_path, "violations": render::json_in(lang, &found)});
        outln!(
            "{}",
            serde_json::to_string_pretty(&doc).context("encoding JSON")?
        );
    } else {
        out!("{}", render::violations(&plan, &found, lang));
    }
    if found.is_empty() {
        Ok(())
    } else {
        Err(Failure::Answer(6))
    }
}

/// Read a plan.json; problems are input errors with line and column.
pub(crate) fn read_plan(plan_path: &Path) -> Result<itinera::plan::format::Plan, Failure> {
    // A folder written by `plan` stands for its plan.json.
    let folder_plan = plan_path.join("plan.json");
    let plan_path = if plan_path.is_dir() && folder_plan.is_file() {
        folder_plan.as_path()
    } else {
        plan_path
    };
    let unreadable = |message: Text, fix: Text| {
        let mut d = plan_diagnostic(plan_path, None, message);
        d.fix = fix;
        Failure::Invalid(vec![d])
    };
    if plan_path.is_dir() {
        let fix = if plan_path.join("scenario.yaml").is_file() {
            tr!(
                "es la carpeta de un escenario: quizás los argumentos están al revés (primero ESCENARIO, después PLAN)",
                "this is a scenario folder: the arguments may be the wrong way round (SCENARIO first, then PLAN)"
            )
        } else {
            tr!(
                "dé el archivo plan.json, o la carpeta que escribió `itinera plan -o`",
                "give the plan.json file, or the folder `itinera plan -o` wrote"
            )
        };
        return Err(unreadable(
            tr!("una carpeta sin plan.json", "a folder without a plan.json"),
            fix,
        ));
    }
    // A publication stopped half-way is finished (or undone) before reading.
    if let Some(dir) = plan_path.parent() {
        itinera::output::recover(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })?;
    }
    let text = match std::fs::read(plan_path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
            unreadable(
                tr!("el archivo no es texto UTF-8", "the file is not UTF-8 text"),
                plan_fix(),
            )
        })?,
        Err(e) => {
            return Err(unreadable(
                itinera::scenario::io_reason(&e)
                    .around("no se puede leer: {}", "cannot be read: {}"),
                tr!(
                    "revise la ruta: dé un plan.json escrito por `itinera plan`",
                    "check the path: pass a plan.json written by `itinera plan`"
                ),
            ));
        }
    };
    // The schema first: a plan of another version fails on the field it
    // changed, which would hide the real cause.
    let schema = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("schema").and_then(|s| s.as_str()).map(str::to_string));
    if let Some(schema) = schema.filter(|s| s != itinera::plan::format::SCHEMA) {
        let ours = itinera::plan::format::SCHEMA;
        return Err(unreadable(
            tr!(
                "el esquema del plan es `{schema}`; este itinera lee `{ours}`",
                "the plan's schema is `{schema}`; this itinera reads `{ours}`"
            ),
            tr!(
                "planifique el escenario otra vez con esta versión de itinera",
                "plan the scenario again with this version of itinera"
            ),
        ));
    }
    serde_json::from_str(&text).map_err(|e| {
        Failure::Invalid(vec![plan_diagnostic(
            plan_path,
            Some((e.line() as u64, e.column() as u64)),
            Text::same(e.to_string()).around("JSON inválido: {}", "invalid JSON: {}"),
        )])
    })
}

/// A plan made for `s`: the scenario it names is this one (E1602 otherwise).
pub(crate) fn plan_for(
    s: &Scenario,
    plan_path: &Path,
) -> Result<itinera::plan::format::Plan, Failure> {
    let plan = read_plan(plan_path)?;
    if plan.scenario != s.name {
        return Err(Failure::Invalid(vec![scenario::Diagnostic {
            code: scenario::Code::PlanMismatch,
            file: plan_path.to_path_buf(),
            line: None,
            column: None,
            field: "scenario".to_string(),
            message: {
                let (theirs, ours) = (&plan.scenario, &s.name);
                tr!(
                    "el plan se hizo para el escenario \"{theirs}\", no para \"{ours}\"",
                    "the plan was made for scenario \"{theirs}\", not \"{ours}\""
                )
            },
            fix: tr!(
                "dé el escenario con que se hizo el plan",
                "give the scenario the plan was made from"
            ),
        }]));
    }
    Ok(plan)
}

fn plan_diagnostic(path: &Path, at: Option<(u64, u64)>, message: Text) -> scenario::Diagnostic {
    scenario::Diagnostic {
        code: scenario::Code::PlanUnreadable,
        file: path.to_path_buf(),
        line: at.map(|a| a.0),
        column: at.map(|a| a.1),
        field: String::new(),
        message,
        fix: plan_fix(),
    }
}

fn plan_fix() -> Text {
    tr!(
        "dé un plan.json escrito por `itinera plan` (esquema itinera.plan/1)",
        "pass a plan.json written by `itinera plan` (schema itinera.plan/1)"
    )
}
