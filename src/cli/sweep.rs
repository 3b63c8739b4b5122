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
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Args)]
pub struct SweepArgs {
    /// Base scenario folder (or its scenario.yaml).
    #[arg(required_unless_present = "collect")]
    scenario: Option<PathBuf>,
    /// What-if files: each one, applied to the base alone, is a variant.
    #[arg(long = "what-if", value_name = "FILE", num_args = 1.., required_unless_present = "collect")]
    what_if: Vec<PathBuf>,
    /// Output folder: status-quo/, base/ and one folder per variant, each
    /// with its plan.json (and, for a variant, diff.csv against the base
    /// plan), then compare.html and compare.csv.
    #[arg(short, long, required_unless_present = "jobs_to")]
    output: Option<PathBuf>,
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
    /// Instead of solving, write each variant as a job folder under DIR,
    /// for `itinera solve-part` on a cluster and `sweep --collect DIR`
    /// (docs/cluster.md).
    #[arg(long, value_name = "DIR", conflicts_with = "collect")]
    jobs_to: Option<PathBuf>,
    /// With `--jobs-to`: the scripts that run the jobs (local, slurm, k8s).
    #[arg(long, value_enum, default_value_t = super::cluster::Emit::Local, requires = "jobs_to")]
    emit: super::cluster::Emit,
    /// Compare the variants solved from a `--jobs-to DIR` folder, as a
    /// sweep does once its variants are solved.
    #[arg(long, value_name = "DIR")]
    collect: Option<PathBuf>,
    /// No progress lines on stderr.
    #[arg(long, short)]
    quiet: bool,
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
    if let Some(dir) = &a.collect {
        return collect(a, dir);
    }
    let Some(scenario) = &a.scenario else {
        return Err(Failure::Other(anyhow::anyhow!("a scenario is required")));
    };
    let base = load(scenario)?;
    let variants = variants(&base, &a.what_if)?;
    let opts = Options {
        time_limit: a.time_limit,
        gap: a.gap,
        threads: a.threads,
        ..Options::default()
    };
    if let Some(dir) = &a.jobs_to {
        return split_sweep(a, scenario, &base, &variants, &opts, dir);
    }
    let output = output(a)?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = a
        .jobs
        .unwrap_or((cores / a.threads.max(1) as usize).max(1))
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .context("starting the worker threads")?;
    if !a.quiet {
        eprintln!(
            "{}",
            a.lang.fill(
                "barrido: {} variantes, {} a la vez, {} hilo(s) de solver cada una, {} s cada una",
                "sweep: {} variants, {} at a time, {} solver thread(s) each, {} s each",
                &[&variants.len(), &jobs, &a.threads, &a.time_limit]
            )
        );
    }
    let solved: Vec<Result<Plan, Failure>> = pool.install(|| {
        variants
            .par_iter()
            .map(|v| {
                let net = RoadNetwork::new(&v.scenario);
                match solve_variant(&v.scenario, &net, &opts, &v.folder, a.lang)? {
                    (_, Some(p)) => Ok(p),
                    (code, None) => Err(Failure::Answer(code)),
                }
            })
            .collect()
    });
    compare_all(a, &base, &variants, solved, output)
}

/// The output folder (clap requires it unless `--jobs-to`).
fn output(a: &SweepArgs) -> Result<&Path, Failure> {
    a.output
        .as_deref()
        .ok_or_else(|| Failure::Other(anyhow::anyhow!("--output is required")))
}

/// Solve one variant as `plan` would, saying its status and time on
/// stderr; its exit code (0, or 3 at the time limit) and plan, or 4 or 5
/// and none.
pub fn solve_variant(
    s: &Scenario,
    net: &RoadNetwork,
    opts: &Options,
    label: &str,
    lang: Lang,
) -> Result<(u8, Option<Plan>), Failure> {
    let started = Instant::now();
    let sol = itinera::plan::solve(s, net, opts, None).map_err(|e| Failure::Said(e.text(s)))?;
    let p = finish(s, net, &sol, opts, lang, |line| {
        eprintln!("{label}: {line}")
    });
    let status = p.as_ref().map_or(lang.pick("sin plan", "no plan"), |p| {
        lang.status(p.solver.status.code())
    });
    eprintln!(
        "{}",
        lang.fill(
            "{}: {} en {} s",
            "{}: {} in {} s",
            &[
                &label,
                &status,
                &lang.decimal(started.elapsed().as_secs_f64(), 0)
            ]
        )
    );
    match p {
        Ok(p) => {
            let code = if p.solver.status == itinera::plan::format::PlanStatus::TimeLimit {
                3
            } else {
                0
            };
            Ok((code, Some(p)))
        }
        Err(Failure::Answer(code)) => Ok((code, None)),
        Err(e) => Err(e),
    }
}

/// `sweep --jobs-to DIR`: one job per variant.
fn split_sweep(
    a: &SweepArgs,
    scenario: &Path,
    base: &Scenario,
    variants: &[Variant],
    opts: &Options,
    dir: &Path,
) -> Result<(), Failure> {
    use itinera::cluster::{self, Job, Kind, emit::Resources};
    let folder = super::cluster::into_new_folder(dir, || {
        let mut folder = cluster::prepare(
            dir,
            scenario,
            &a.what_if,
            &itinera::plan::format::SolveOptions::of(opts),
            Kind::Sweep,
        )?;
        let net = RoadNetwork::new(base);
        let size =
            itinera::optimize::split::program_size(&itinera::optimize::Context::new(base, &net));
        for (i, v) in variants.iter().enumerate() {
            let job = Job::Variant {
                digest: folder.split.digest.clone(),
                name: v.folder.clone(),
                what_if: i.checked_sub(1).map(|k| folder.split.what_if[k].clone()),
            };
            folder.add_job(&format!("variant-{}", v.folder), &job)?;
        }
        let each = Resources::of(size, opts.threads, opts.time_limit);
        super::cluster::write_scripts(
            &folder,
            a.emit.into(),
            each,
            Resources::merge(size),
            a.lang,
        )?;
        folder.write()?;
        Ok(folder)
    })?;
    outln!(
        "{}",
        a.lang.fill(
            "{} variante(s) escritas en {}",
            "{} variant(s) written to {}",
            &[&variants.len(), &folder.dir.display()]
        )
    );
    super::cluster::next_steps(&folder, a.emit, a.lang)
}

/// `sweep --collect DIR`: the variants' plans from their job folders,
/// compared as a sweep compares them.
fn collect(a: &SweepArgs, dir: &Path) -> Result<(), Failure> {
    use itinera::cluster::{Folder, Kind, Outcome};
    let folder = Folder::open(dir)?;
    if folder.split.kind != Kind::Sweep {
        return Err(Failure::Said(itinera::tr!(
            "{} es un plan dividido en partes: reúnalo con `itinera merge {} -o SALIDA`",
            "{} is a plan split into parts: merge it with `itinera merge {} -o OUT`",
            dir.display(), dir.display(); dir.display(), dir.display()
        )));
    }
    let results = folder.results()?;
    let base = super::cluster::scenario_of(&folder, None)?;
    let variants = variants(&base, &folder.what_ifs())?;
    let mut solved = Vec::new();
    for (job, r) in folder.split.jobs.iter().zip(results) {
        let Outcome::Variant { code, .. } = r else {
            return Err(itinera::cluster::ClusterError::Foreign {
                path: folder.dir.join(job),
            }
            .into());
        };
        let path = folder.dir.join(job).join("plan.json");
        solved.push(if path.exists() {
            let bytes = std::fs::read(&path).with_context(|| path.display().to_string())?;
            let p: Plan = serde_json::from_slice(&bytes)
                .with_context(|| format!("reading {}", path.display()))?;
            Ok(p)
        } else {
            Err(Failure::Answer(code))
        });
    }
    compare_all(a, &base, &variants, solved, output(a)?)
}

/// Write each plan, its diff against the base and the comparison of them
/// all with the status quo; the worst exit code of the variants.
fn compare_all(
    a: &SweepArgs,
    base: &Scenario,
    variants: &[Variant],
    solved: Vec<Result<Plan, Failure>>,
    out_dir: &Path,
) -> Result<(), Failure> {
    // The status quo, on the base scenario.
    let net = RoadNetwork::new(base);
    let mut sq = itinera::plan::status_quo::as_plan(base, &net);
    if let Some((routes, supply)) = itinera::logistics::plan_supply(base, &net, sq.made_visits()) {
        sq.routes = routes;
        sq.supply = Some(supply);
    }
    write_plan(out_dir, "status-quo", &sq)?;
    let mut columns: Vec<(String, Plan)> = Vec::new();
    let mut curves = Vec::new();
    let mut worst = 0u8;
    for (v, p) in variants.iter().zip(solved) {
        match p {
            Ok(p) => {
                write_plan(out_dir, &v.folder, &p)?;
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
            curves.push(("status-quo".to_string(), backlog_total(base, &sq.visits)));
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
            let path = out_dir.join(label).join("diff.csv");
            write_atomically(&path, &bytes)?;
        }
    }
    let cols = compare::compare(&columns);
    out!("{}", compare::table(&cols, a.lang));
    let csv = compare::csv(&cols, a.lang).map_err(Failure::from)?;
    let csv_path = out_dir.join("compare.csv");
    write_atomically(&csv_path, &csv)?;
    let page = compare::html(&cols, Some(&curves), a.lang).map_err(Failure::from)?;
    let html_path = out_dir.join("compare.html");
    write_atomically(&html_path, page.as_bytes())?;
    outln!(
        "\n{}",
        a.lang.fill(
            "escrito en {}: {} planes, compare.html, compare.csv",
            "written to {}: {} plans, compare.html, compare.csv",
            &[&out_dir.display(), &columns.len()]
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

fn write_plan(out_dir: &Path, folder: &str, p: &Plan) -> Result<(), Failure> {
    let path = out_dir.join(folder).join("plan.json");
    let json = serde_json::to_string_pretty(p).context("encoding plan.json")?;
    itinera::output::write_private(&path, json.as_bytes())?;
    Ok(())
}
