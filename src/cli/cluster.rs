//! Work for a cluster: `plan --parts-to` and `sweep --jobs-to` write a
//! split folder (`itinera::cluster`), `solve-part` solves one of its jobs,
//! `merge` brings a plan's parts together and publishes the plan as `plan`
//! does (`sweep --collect` does the same for a sweep, in `sweep`).

use super::{Failure, Source};
use clap::Args;
use itinera::cluster::emit::{self, Resources, Target};
use itinera::cluster::{self, ClusterError, Folder, Job, Kind, Outcome};
use itinera::export::Lang;
use itinera::model::Scenario;
use itinera::network::RoadNetwork;
use itinera::optimize::{Context, Options, split};
use itinera::plan::format::SolveOptions;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `--emit`: where the jobs of a split run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Emit {
    Local,
    Slurm,
    K8s,
}

impl From<Emit> for Target {
    fn from(e: Emit) -> Target {
        match e {
            Emit::Local => Target::Local,
            Emit::Slurm => Target::Slurm,
            Emit::K8s => Target::K8s,
        }
    }
}

impl From<ClusterError> for Failure {
    fn from(e: ClusterError) -> Self {
        Failure::Said(e.text())
    }
}

/// `plan --parts-to DIR`: the parts of the program (and its bound) as
/// jobs, with the scripts of `emit`.
pub fn split_plan(
    source: &Source,
    s: &Scenario,
    net: &RoadNetwork,
    opts: &Options,
    dir: &Path,
    emit: Emit,
    lang: Lang,
) -> Result<(), Failure> {
    let written = into_new_folder(dir, || {
        let mut folder = cluster::prepare(
            dir,
            &source.scenario,
            &source.what_if,
            &SolveOptions::of(opts),
            Kind::Plan,
        )?;
        let ctx = Context::new(s, net).with_budgets(opts.budgets.clone());
        let jobs = split::split(&ctx, opts, &folder.split.digest);
        // The bound (column generation over visit patterns) and the merge
        // hold no compact program: the largest part's memory covers them
        // (the ×40 bound job peaked at 0.4 GB, its largest part at 1.9).
        let largest = jobs.parts.iter().map(|p| p.size).fold(1.0, f64::max);
        let mut asks = Vec::new();
        for p in &jobs.parts {
            folder.add_job(&format!("part-{}", p.part), &Job::Part(p.clone()))?;
            asks.push(Resources::of(p.size, p.threads, p.time_limit));
        }
        if jobs.bound {
            let digest = folder.split.digest.clone();
            folder.add_job("bound", &Job::Bound { digest })?;
            asks.push(Resources::of(largest, opts.threads, opts.time_limit));
        }
        folder.split.start = jobs.start;
        let merge = Resources::merge(largest);
        write_scripts(&folder, emit.into(), Resources::most(&asks), merge, lang)?;
        folder.write()?;
        Ok((folder, jobs.parts.len(), jobs.bound))
    });
    let (folder, parts, bound) = written?;
    outln!(
        "{}",
        lang.fill(
            "{} parte(s){} escritas en {}",
            "{} part(s){} written to {}",
            &[
                &parts,
                &if bound {
                    lang.pick(
                        " y la cota del programa entero",
                        " and the whole program's bound",
                    )
                } else {
                    ""
                },
                &folder.dir.display(),
            ]
        )
    );
    next_steps(&folder, emit, lang)
}

/// Write a split into `dir` with `write`; when it fails, remove what it
/// wrote, so that no half-written split is left behind (a folder that
/// held files is never touched: `cluster::prepare` refuses it).
pub fn into_new_folder<T>(
    dir: &Path,
    write: impl FnOnce() -> Result<T, Failure>,
) -> Result<T, Failure> {
    let was_empty = std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_none());
    let written = write();
    if written.is_err() && was_empty {
        let _ = std::fs::remove_dir_all(dir);
    }
    written
}

/// What to run next, for `emit`.
pub fn next_steps(folder: &Folder, emit: Emit, lang: Lang) -> Result<(), Failure> {
    let d = folder.dir.display();
    match emit {
        Emit::Local => outln!(
            "{}",
            lang.fill(
                "resuélvalas aquí con `bash {}/run-local.sh` (o una a una con `itinera solve-part {}/<trabajo>`, y luego `itinera merge {} -o SALIDA`)",
                "solve them here with `bash {}/run-local.sh` (or one by one with `itinera solve-part {}/<job>`, then `itinera merge {} -o OUT`)",
                &[&d, &d, &d]
            )
        ),
        Emit::Slurm => outln!(
            "{}",
            lang.fill(
                "envíelas a Slurm con `bash {}/submit.sh` (la carpeta debe estar en el sistema de archivos compartido; docs/cluster.md)",
                "submit them to Slurm with `bash {}/submit.sh` (the folder must be on the shared filesystem; docs/cluster.md)",
                &[&d]
            )
        ),
        Emit::K8s => outln!(
            "{}",
            lang.fill(
                "copie {} al volumen itinera-split y aplique {}/k8s/parts.yaml, luego k8s/merge.yaml (docs/cluster.md)",
                "copy {} to the itinera-split volume and apply {}/k8s/parts.yaml, then k8s/merge.yaml (docs/cluster.md)",
                &[&d, &d]
            )
        ),
    }
    Ok(())
}

/// Copy this binary into `DIR/bin` (every node runs the version that
/// split) and write the scripts of `target`.
pub fn write_scripts(
    folder: &Folder,
    target: Target,
    jobs: Resources,
    merge: Resources,
    lang: Lang,
) -> Result<(), Failure> {
    let exe = std::env::current_exe().map_err(|e| {
        Failure::Said(itinera::tr!(
            "no se encuentra el ejecutable de itinera para copiarlo: {}",
            "cannot find the itinera executable to copy it: {}",
            e; e
        ))
    })?;
    let bin = folder.dir.join("bin").join("itinera");
    let bytes = std::fs::read(&exe).map_err(|e| {
        Failure::Said(itinera::tr!(
            "leyendo {}: {}",
            "reading {}: {}",
            exe.display(), e; exe.display(), e
        ))
    })?;
    itinera::output::write_file(&bin, &bytes)?;
    executable(&bin)?;
    for f in emit::files(folder, target, jobs, merge, lang) {
        let path = folder.dir.join(f.path);
        itinera::output::write_file(&path, f.text.as_bytes())?;
        if f.executable {
            executable(&path)?;
        }
    }
    Ok(())
}

fn executable(path: &Path) -> Result<(), Failure> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).map_err(|e| {
            ClusterError::Io {
                path: path.to_path_buf(),
                source: e,
            }
        })?;
    }
    Ok(())
}

#[derive(Args)]
pub struct SolvePartArgs {
    /// A job folder of a split: DIR/part-K, DIR/bound or DIR/variant-NAME.
    job: PathBuf,
    /// Solve it again even when it has a result.
    #[arg(long)]
    force: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

/// The split's scenario: for a plan, with every what-if; for a sweep
/// variant, with its own what-if only.
pub fn scenario_of(folder: &Folder, what_if: Option<&str>) -> Result<Scenario, Failure> {
    let base = super::load(&folder.scenario())?;
    let files: Vec<PathBuf> = match (folder.split.kind, what_if) {
        (Kind::Plan, _) => folder.what_ifs(),
        (Kind::Sweep, Some(w)) => vec![folder.dir.join(w)],
        (Kind::Sweep, None) => Vec::new(),
    };
    itinera::scenario::apply_what_ifs(base, &files).map_err(|e| match e {
        itinera::scenario::ScenarioError::Invalid(d) => Failure::Invalid(d),
    })
}

pub fn solve_part(a: &SolvePartArgs, lang: Lang) -> Result<(), Failure> {
    let job_dir = a.job.as_path();
    let folder = Folder::open(job_dir)?;
    let job = folder.job(job_dir)?;
    let name = job_dir
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    if !a.force && folder.result(job_dir)?.is_some() {
        if !a.quiet {
            eprintln!(
                "{}",
                lang.fill(
                    "{}: ya tiene su resultado (--force para resolverlo de nuevo)",
                    "{}: already has its result (--force to solve it again)",
                    &[&name]
                )
            );
        }
        return Ok(());
    }
    let opts = folder.split.options.options();
    let started = Instant::now();
    let outcome = match &job {
        Job::Part(p) => {
            let s = scenario_of(&folder, None)?;
            let net = RoadNetwork::new(&s);
            let ctx = Context::new(&s, &net).with_budgets(opts.budgets.clone());
            let r = split::solve_part(&ctx, &opts, p)
                .map_err(|e| Failure::Said(itinera::plan::PlanError::Solver(e).text(&s)))?;
            if !a.quiet {
                eprintln!(
                    "{}",
                    lang.fill(
                        "{} ({} de {}): {}, objetivo {}, cota {}, {} s",
                        "{} ({} of {}): {}, objective {}, bound {}, {} s",
                        &[
                            &name,
                            &(p.part + 1),
                            &p.parts,
                            &super::render::status_label(r.status, lang),
                            &r.objective.map_or("—".into(), |o| lang.decimal(o, 0)),
                            &r.bound.map_or("—".into(), |b| lang.decimal(b, 0)),
                            &lang.decimal(r.seconds, 1),
                        ]
                    )
                );
            }
            Outcome::Part(r)
        }
        Job::Bound { digest } => {
            let s = scenario_of(&folder, None)?;
            let net = RoadNetwork::new(&s);
            let ctx = Context::new(&s, &net).with_budgets(opts.budgets.clone());
            let bound = itinera::plan::prove_bound(&ctx, &opts);
            if !a.quiet {
                eprintln!(
                    "{}",
                    lang.fill(
                        "{}: cota {}, {} s",
                        "{}: bound {}, {} s",
                        &[
                            &name,
                            &bound
                                .as_ref()
                                .map_or("—".into(), |b| lang.decimal(b.value, 0)),
                            &lang.decimal(started.elapsed().as_secs_f64(), 1),
                        ]
                    )
                );
            }
            Outcome::Bound {
                digest: digest.clone(),
                bound,
                seconds: started.elapsed().as_secs_f64(),
                finished: chrono::Utc::now(),
            }
        }
        Job::Variant {
            digest, what_if, ..
        } => {
            let s = scenario_of(&folder, what_if.as_deref())?;
            let net = RoadNetwork::new(&s);
            let (code, plan) = super::sweep::solve_variant(&s, &net, &opts, &name, lang)?;
            if let Some(p) = plan {
                let json = serde_json::to_string_pretty(&p)
                    .map_err(|e| Failure::Other(anyhow::anyhow!("encoding plan.json: {e}")))?;
                itinera::output::write_private(&job_dir.join("plan.json"), json.as_bytes())?;
            }
            Outcome::Variant {
                digest: digest.clone(),
                code,
                seconds: started.elapsed().as_secs_f64(),
                finished: chrono::Utc::now(),
            }
        }
    };
    folder.write_result(job_dir, &outcome)?;
    Ok(())
}

#[derive(Args)]
pub struct MergeArgs {
    /// The split folder (`plan --parts-to DIR`).
    dir: PathBuf,
    /// Output folder (created if missing).
    #[arg(short, long, default_value = "out")]
    output: PathBuf,
    /// Write only the plan (no calendars, FHIR, map or report).
    #[arg(long)]
    no_export: bool,
    /// Print nothing on stderr but errors.
    #[arg(long, short)]
    quiet: bool,
}

pub fn merge(a: &MergeArgs, lang: Lang) -> Result<(), Failure> {
    let folder = Folder::open(&a.dir)?;
    if folder.split.kind != Kind::Plan {
        return Err(Failure::Said(itinera::tr!(
            "{} es un barrido: reúnalo con `itinera sweep --collect {} -o SALIDA`",
            "{} is a sweep: collect it with `itinera sweep --collect {} -o OUT`",
            a.dir.display(), a.dir.display(); a.dir.display(), a.dir.display()
        )));
    }
    let results = folder.results()?;
    let finished = cluster::finished(&results);
    let s = scenario_of(&folder, None)?;
    let net = RoadNetwork::new(&s);
    let opts = folder.split.options.options();
    let ctx = Context::new(&s, &net).with_budgets(opts.budgets.clone());
    let mut parts = Vec::new();
    let mut bound = None;
    for r in results {
        match r {
            Outcome::Part(p) => parts.push(p),
            Outcome::Bound { bound: b, .. } => bound = b,
            Outcome::Variant { .. } => {
                return Err(ClusterError::Foreign {
                    path: folder.dir.clone(),
                }
                .into());
            }
        }
    }
    let n = parts.len();
    let sol = split::merge(&ctx, &opts, parts, folder.split.start.as_deref())
        .map_err(|e| Failure::Said(itinera::plan::PlanError::Solver(e).text(&s)))?;
    if let (Some(b), Some(o)) = (&bound, sol.objective)
        && b.value > o + 1e-6 * o.abs().max(1.0)
    {
        return Err(ClusterError::BoundAbove {
            part: "bound".to_string(),
            bound: b.value,
            objective: o,
        }
        .into());
    }
    let sol = itinera::plan::conclude(&ctx, &net, sol, Vec::new(), bound)
        .map_err(|e| Failure::Said(e.text(&s)))?;
    if !a.quiet {
        eprintln!(
            "{}",
            lang.fill(
                "{} parte(s) reunidas de {}",
                "{} part(s) merged from {}",
                &[&n, &folder.dir.display()]
            )
        );
    }
    let to = super::plan::Output {
        dir: &a.output,
        no_export: a.no_export,
        lang,
        published_at: Some(finished),
    };
    super::plan::publish(&s, &net, &sol, &opts, &to)
}
