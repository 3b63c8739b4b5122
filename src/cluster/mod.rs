//! Work for a cluster: a split folder holds a copy of the scenario, the
//! options and one self-contained job folder per independent piece of work
//! (a part of the decomposition, the whole program's bound, a variant of a
//! sweep), so that a scheduler (Slurm, Kubernetes, a local process pool)
//! can run each job anywhere the folder is shared, in any order, and a
//! merge brings the results together.
//!
//! ```text
//! DIR/split.json          what was split, with the digest
//! DIR/scenario/…          the scenario's files, copied
//! DIR/what-if/NN-….yaml   the what-if files, copied, in order
//! DIR/jobs.txt            one job folder per line (job-array index order)
//! DIR/<job>/job.json      the job; its result.json once solved
//! ```
//!
//! A digest of the copied files, the options and the itinera version is in
//! `split.json` and in every job and result: a job of another split, a
//! result of another split, or a scenario edited after the split is
//! refused rather than merged. The scenario holds personal data (national
//! ids as person ids), so every file is owner-only.

pub mod emit;

use crate::lang::Text;
use crate::optimize::split::{JobTrip, PartJob, PartResult};
use crate::plan::format::SolveOptions;
use crate::tr;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

/// The format tag of `split.json`.
pub const FORMAT: &str = "itinera.split/1";

/// What a split folder holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The parts of one plan (`plan --parts-to`), merged by `merge`.
    Plan,
    /// The variants of a sweep (`sweep --jobs-to`), collected by
    /// `sweep --collect`.
    Sweep,
}

/// `split.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Split {
    /// [`FORMAT`].
    pub format: String,
    /// Digest of the scenario copy, the what-ifs, the options and the
    /// version.
    pub digest: String,
    /// The itinera version that split it (solve and merge with the same).
    pub version: String,
    /// Plan parts or sweep variants.
    pub kind: Kind,
    /// The solver options of every job.
    pub options: SolveOptions,
    /// What-if files, relative to the folder, applied in order.
    pub what_if: Vec<String>,
    /// Job folders, in job-array order.
    pub jobs: Vec<String>,
    /// The greedy start of the whole plan (plan splits), which the merge
    /// compares with the merged plan as `plan` does.
    #[serde(default)]
    pub start: Option<Vec<JobTrip>>,
}

/// One job (`DIR/<job>/job.json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// A part of the decomposition.
    Part(PartJob),
    /// The whole program's column-generation bound.
    Bound {
        /// The split's digest.
        digest: String,
    },
    /// A sweep variant: the base scenario, or the base with one what-if.
    Variant {
        /// The split's digest.
        digest: String,
        /// Its folder in the sweep's output (`base`, or the what-if's name).
        name: String,
        /// Its what-if file, relative to the split folder (`None`: base).
        what_if: Option<String>,
    },
}

impl Job {
    /// The digest of the split it belongs to.
    pub fn digest(&self) -> &str {
        match self {
            Job::Part(p) => &p.digest,
            Job::Bound { digest } | Job::Variant { digest, .. } => digest,
        }
    }

    /// Candidate trips plus one (what resources follow); the whole
    /// program's for a bound or a variant.
    pub fn size(&self) -> Option<f64> {
        match self {
            Job::Part(p) => Some(p.size),
            _ => None,
        }
    }
}

/// A job's result (`DIR/<job>/result.json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// A part's trips, objective, bound and status.
    Part(PartResult),
    /// The whole program's bound, when column generation proved one.
    Bound {
        /// The split's digest.
        digest: String,
        /// What it proved.
        bound: Option<crate::optimize::colgen::Bound>,
        /// Seconds it ran.
        seconds: f64,
        /// When it was solved (UTC).
        finished: DateTime<Utc>,
    },
    /// A variant's plan (in `plan.json` beside it) and its exit code.
    Variant {
        /// The split's digest.
        digest: String,
        /// The answer `plan` would give (0, 3 time limit, 4 no plan in
        /// time, 5 infeasible rules); `plan.json` exists unless 4 or 5.
        code: u8,
        /// Seconds it ran.
        seconds: f64,
        /// When it was solved (UTC).
        finished: DateTime<Utc>,
    },
}

impl Outcome {
    /// The digest of the split it belongs to.
    pub fn digest(&self) -> &str {
        match self {
            Outcome::Part(p) => &p.digest,
            Outcome::Bound { digest, .. } | Outcome::Variant { digest, .. } => digest,
        }
    }

    /// When it was solved.
    pub fn finished(&self) -> DateTime<Utc> {
        match self {
            Outcome::Part(p) => p.finished,
            Outcome::Bound { finished, .. } | Outcome::Variant { finished, .. } => *finished,
        }
    }
}

/// When the last of `results` was solved: the time of a merged plan, the
/// same however often it is merged.
pub fn finished(results: &[Outcome]) -> DateTime<Utc> {
    results
        .iter()
        .map(Outcome::finished)
        .max()
        .unwrap_or_default()
}

/// Why a split folder or one of its jobs cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A file is not what itinera wrote.
    #[error("{path}: {reason}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The folder to split into already holds files.
    #[error("{0} is not empty")]
    NotEmpty(PathBuf),
    /// A job, a result or the scenario copy does not belong to this split.
    #[error("{path} belongs to another split")]
    Foreign {
        /// The job or result.
        path: PathBuf,
    },
    /// The copied scenario or what-ifs changed after the split.
    #[error("{0}: the scenario changed after the split")]
    Changed(PathBuf),
    /// Jobs without a result.
    #[error("{} job(s) without a result", missing.len())]
    Missing {
        /// The split folder.
        dir: PathBuf,
        /// Job-array index and folder of each.
        missing: Vec<(usize, String)>,
    },
    /// A part whose bound is above its objective (a minimisation): a
    /// result edited by hand or from a broken solve.
    #[error("part {part}: bound {bound} above objective {objective}")]
    BoundAbove {
        /// The part's job folder.
        part: String,
        /// Its bound.
        bound: f64,
        /// Its objective.
        objective: f64,
    },
    /// A file could not be written.
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
}

impl ClusterError {
    /// The error in both languages, with what to do.
    pub fn text(&self) -> Text {
        match self {
            ClusterError::Io { path, source } => {
                let why = crate::scenario::io_reason(source);
                let path = path.display();
                tr!("{path}: {}", "{path}: {}", why.es; why.en)
            }
            ClusterError::Format { path, reason } => {
                let path = path.display();
                tr!(
                    "{path} no es un archivo de itinera ({reason}): vuelva a dividir con `itinera plan --parts-to` (o `sweep --jobs-to`) en otra carpeta",
                    "{path} is not an itinera file ({reason}): split again with `itinera plan --parts-to` (or `sweep --jobs-to`) into another folder"
                )
            }
            ClusterError::NotEmpty(dir) => {
                let dir = dir.display();
                tr!(
                    "{dir} no está vacía: elija una carpeta nueva para los trabajos",
                    "{dir} is not empty: choose a new folder for the jobs"
                )
            }
            ClusterError::Foreign { path } => {
                let path = path.display();
                tr!(
                    "{path} es de otra división (otro escenario, otras opciones u otra versión de itinera): bórrelo y vuelva a resolver ese trabajo",
                    "{path} belongs to another split (another scenario, other options or another itinera version): delete it and solve that job again"
                )
            }
            ClusterError::Changed(dir) => {
                let dir = dir.display();
                tr!(
                    "el escenario copiado en {dir} cambió después de dividir: divida de nuevo en otra carpeta",
                    "the scenario copied into {dir} changed after the split: split again into another folder"
                )
            }
            ClusterError::Missing { dir, missing } => {
                let ids = missing
                    .iter()
                    .map(|(i, name)| format!("{name} ({i})"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let indices = missing
                    .iter()
                    .map(|(i, _)| i.to_string())
                    .collect::<Vec<_>>()
                    .join(",");
                let dir = dir.display();
                tr!(
                    "faltan resultados de {} trabajo(s): {ids}. Resuélvalos con `itinera solve-part {dir}/<trabajo>`, o en Slurm con `bash {dir}/submit.sh` (lanza solo los que faltan, índices {indices})",
                    "{} job(s) have no result: {ids}. Solve them with `itinera solve-part {dir}/<job>`, or on Slurm with `bash {dir}/submit.sh` (it submits only the missing ones, indices {indices})",
                    missing.len(); missing.len()
                )
            }
            ClusterError::BoundAbove {
                part,
                bound,
                objective,
            } => tr!(
                "la parte {part} declara una cota ({bound:.0}) mayor que su objetivo ({objective:.0}), lo que no puede ser: borre su result.json y resuélvala de nuevo",
                "part {part} claims a bound ({bound:.0}) above its objective ({objective:.0}), which cannot be: delete its result.json and solve it again"
            ),
            ClusterError::Output(e) => e.text(),
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ClusterError + '_ {
    move |source| ClusterError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The folder of a split.
#[derive(Clone, Debug)]
pub struct Folder {
    /// Where it is.
    pub dir: PathBuf,
    /// Its `split.json`.
    pub split: Split,
}

/// Name of the scenario copy inside a split folder.
pub const SCENARIO: &str = "scenario";
/// Name of the folder of what-if copies.
const WHAT_IF: &str = "what-if";
/// The job and result files of each job folder.
pub const JOB: &str = "job.json";
/// See [`JOB`].
pub const RESULT: &str = "result.json";

/// Copy the scenario (its folder, or the folder of its scenario.yaml) and
/// the what-if files into the empty or missing folder `dir`; the digest of
/// the copy and `options` names the split. Jobs are added with
/// [`Folder::add_job`] and the split written with [`Folder::write`].
pub fn prepare(
    dir: &Path,
    scenario: &Path,
    what_ifs: &[PathBuf],
    options: &SolveOptions,
    kind: Kind,
) -> Result<Folder, ClusterError> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(io(dir))?;
        if entries.next().is_some() {
            return Err(ClusterError::NotEmpty(dir.to_path_buf()));
        }
    }
    create_private_dir(dir)?;
    let source = if scenario.is_file() {
        scenario.parent().unwrap_or(Path::new(".")).to_path_buf()
    } else {
        scenario.to_path_buf()
    };
    let skip = fs::canonicalize(dir).map_err(io(dir))?;
    copy_tree(&source, &dir.join(SCENARIO), &skip)?;
    create_private_dir(&dir.join(WHAT_IF))?;
    let mut what_if = Vec::new();
    for (i, w) in what_ifs.iter().enumerate() {
        let name = w
            .file_name()
            .map_or("what-if.yaml".into(), |n| n.to_string_lossy().into_owned());
        let rel = format!("{WHAT_IF}/{:02}-{name}", i + 1);
        let bytes = fs::read(w).map_err(io(w))?;
        crate::output::write_private(&dir.join(&rel), &bytes)?;
        what_if.push(rel);
    }
    let digest = digest(dir, &what_if, options, kind)?;
    Ok(Folder {
        dir: dir.to_path_buf(),
        split: Split {
            format: FORMAT.to_string(),
            digest,
            version: env!("CARGO_PKG_VERSION").to_string(),
            kind,
            options: options.clone(),
            what_if,
            jobs: Vec::new(),
            start: None,
        },
    })
}

impl Folder {
    /// Open a split folder (or the folder holding the job folder `path`),
    /// refusing one whose scenario copy changed since the split.
    pub fn open(path: &Path) -> Result<Folder, ClusterError> {
        let dir = if path.join(JOB).is_file() {
            path.parent().unwrap_or(Path::new(".")).to_path_buf()
        } else {
            path.to_path_buf()
        };
        let file = dir.join("split.json");
        let split: Split = read_json(&file)?;
        if split.format != FORMAT {
            return Err(ClusterError::Format {
                path: file,
                reason: format!("format {:?}, expected {FORMAT:?}", split.format),
            });
        }
        let now = digest(&dir, &split.what_if, &split.options, split.kind)?;
        if now != split.digest {
            return Err(ClusterError::Changed(dir));
        }
        Ok(Folder { dir, split })
    }

    /// The scenario copy.
    pub fn scenario(&self) -> PathBuf {
        self.dir.join(SCENARIO)
    }

    /// The what-if copies, in order.
    pub fn what_ifs(&self) -> Vec<PathBuf> {
        self.split
            .what_if
            .iter()
            .map(|w| self.dir.join(w))
            .collect()
    }

    /// Write `job` into its folder `name` and list it.
    pub fn add_job(&mut self, name: &str, job: &Job) -> Result<(), ClusterError> {
        let folder = self.dir.join(name);
        create_private_dir(&folder)?;
        write_json(&folder.join(JOB), job)?;
        self.split.jobs.push(name.to_string());
        Ok(())
    }

    /// Write `split.json` and `jobs.txt` (written last: a folder without
    /// them is an unfinished split).
    pub fn write(&self) -> Result<(), ClusterError> {
        let list: String = self.split.jobs.iter().map(|j| format!("{j}\n")).collect();
        crate::output::write_file(&self.dir.join("jobs.txt"), list.as_bytes())?;
        write_json(&self.dir.join("split.json"), &self.split)
    }

    /// The job in folder `job`, checked to be of this split.
    pub fn job(&self, job: &Path) -> Result<Job, ClusterError> {
        let path = job.join(JOB);
        let j: Job = read_json(&path)?;
        if j.digest() != self.split.digest {
            return Err(ClusterError::Foreign { path });
        }
        Ok(j)
    }

    /// The result in job folder `job`, if there is one of this split.
    pub fn result(&self, job: &Path) -> Result<Option<Outcome>, ClusterError> {
        let path = job.join(RESULT);
        if !path.exists() {
            return Ok(None);
        }
        let r: Outcome = read_json(&path)?;
        if r.digest() != self.split.digest {
            return Err(ClusterError::Foreign { path });
        }
        Ok(Some(r))
    }

    /// Write a job's result (atomically: a killed job leaves none).
    pub fn write_result(&self, job: &Path, r: &Outcome) -> Result<(), ClusterError> {
        write_json(&job.join(RESULT), r)
    }

    /// Every job's result, in job order; every missing one is named.
    pub fn results(&self) -> Result<Vec<Outcome>, ClusterError> {
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for (i, name) in self.split.jobs.iter().enumerate() {
            match self.result(&self.dir.join(name))? {
                Some(r) => found.push(r),
                None => missing.push((i, name.clone())),
            }
        }
        if !missing.is_empty() {
            return Err(ClusterError::Missing {
                dir: self.dir.clone(),
                missing,
            });
        }
        for r in &found {
            if let Outcome::Part(p) = r
                && let (Some(b), Some(o)) = (p.bound, p.objective)
                && b > o + 1e-6 * o.abs().max(1.0)
            {
                return Err(ClusterError::BoundAbove {
                    part: self.split.jobs[p.part.min(self.split.jobs.len() - 1)].clone(),
                    bound: b,
                    objective: o,
                });
            }
        }
        Ok(found)
    }
}

/// Digest of the scenario copy, the what-ifs, the options, the kind and
/// the version (SHA-256, hex).
fn digest(
    dir: &Path,
    what_if: &[String],
    options: &SolveOptions,
    kind: Kind,
) -> Result<String, ClusterError> {
    let mut h = Sha256::new();
    let mut files = Vec::new();
    list_files(&dir.join(SCENARIO), Path::new(""), &mut files)?;
    files.sort();
    for rel in &files {
        let path = dir.join(SCENARIO).join(rel);
        let bytes = fs::read(&path).map_err(io(&path))?;
        feed(&mut h, rel.to_string_lossy().as_bytes());
        feed(&mut h, &bytes);
    }
    for w in what_if {
        let path = dir.join(w);
        let bytes = fs::read(&path).map_err(io(&path))?;
        feed(&mut h, w.as_bytes());
        feed(&mut h, &bytes);
    }
    let opts = serde_json::to_vec(&(options, kind)).map_err(|e| ClusterError::Format {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    })?;
    feed(&mut h, &opts);
    feed(&mut h, env!("CARGO_PKG_VERSION").as_bytes());
    Ok(h.finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>())
}

/// Length-prefixed, so that no two sequences of pieces hash alike.
fn feed(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// Regular files under `dir`, relative to it (hidden entries skipped).
fn list_files(dir: &Path, rel: &Path, out: &mut Vec<PathBuf>) -> Result<(), ClusterError> {
    let here = dir.join(rel);
    for entry in fs::read_dir(&here).map_err(io(&here))? {
        let entry = entry.map_err(io(&here))?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type().map_err(io(&entry.path()))?;
        if kind.is_dir() {
            list_files(dir, &rel.join(&name), out)?;
        } else if kind.is_file() {
            out.push(rel.join(&name));
        }
    }
    Ok(())
}

/// Copy the regular files under `from` to `to` (hidden entries and the
/// folder `skip`, the split itself, left out), owner-only.
fn copy_tree(from: &Path, to: &Path, skip: &Path) -> Result<(), ClusterError> {
    create_private_dir(to)?;
    for entry in fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type().map_err(io(&path))?;
        if kind.is_dir() {
            if fs::canonicalize(&path).is_ok_and(|p| p == skip) {
                continue;
            }
            copy_tree(&path, &to.join(entry.file_name()), skip)?;
        } else if kind.is_file() {
            let bytes = fs::read(&path).map_err(io(&path))?;
            crate::output::write_private(&to.join(entry.file_name()), &bytes)?;
        }
    }
    Ok(())
}

/// A folder only its owner can enter (it holds personal data).
fn create_private_dir(dir: &Path) -> Result<(), ClusterError> {
    fs::create_dir_all(dir).map_err(io(dir))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(io(dir))?;
    }
    Ok(())
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ClusterError> {
    let bytes = fs::read(path).map_err(io(path))?;
    serde_json::from_slice(&bytes).map_err(|e| ClusterError::Format {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), ClusterError> {
    let json = serde_json::to_vec_pretty(value).map_err(|e| ClusterError::Format {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    Ok(crate::output::write_private(path, &json)?)
}
