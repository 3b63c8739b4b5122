//! The scripts that run a split folder's jobs: on this machine with a
//! process pool (`run-local.sh`), on Slurm as one job array with the merge
//! as a dependent job (`submit.sh`, `part.sbatch`, `merge.sbatch`), or on
//! Kubernetes as an Indexed Job and a merge Job (`k8s/*.yaml`). Every
//! script finds the folder from its own path (or `ITINERA_SPLIT`), runs the
//! itinera binary copied into `DIR/bin` (so every node runs the version
//! that split, from the shared path), and writes the merged plan to
//! `DIR/out` unless told otherwise (`OUT`).

use super::{Folder, Kind};
use crate::lang::Lang;

/// Where the jobs run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// This machine, a process pool.
    Local,
    /// A Slurm cluster.
    Slurm,
    /// A Kubernetes cluster.
    K8s,
}

/// What one job asks of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resources {
    /// CPUs (the solver's threads).
    pub cpus: u32,
    /// Memory, MiB.
    pub mem_mb: u64,
    /// Wall time, minutes.
    pub minutes: u64,
}

/// Memory a job needs besides its program (the scenario, the road
/// network, the trips), MiB.
const BASE_MB: f64 = 512.0;
/// Memory per candidate trip of a part's program (its columns, HiGHS's
/// copies, the search's), MiB: the largest region of the generated ×40
/// network (1.1 M trips) peaked at 1.9 GB, the base included; a fifth more
/// for margin (BENCHMARKS.md, "Cluster").
const MB_PER_TRIP: f64 = 0.0018;
/// Wall time besides the solver's limit: building the program, the trips,
/// and a margin for a busy node (a scheduler kills a job at its limit).
const EXTRA_MINUTES: f64 = 10.0;
/// Wall time of a merge.
const MERGE_MINUTES: u64 = 60;

impl Resources {
    /// What a job of `size` candidate trips (the whole program's for a
    /// bound, a variant or the merge) asks for, with the split's threads
    /// and time limit.
    pub fn of(size: f64, threads: u32, time_limit: f64) -> Resources {
        Resources {
            cpus: threads.max(1),
            mem_mb: (BASE_MB + MB_PER_TRIP * size).ceil() as u64,
            minutes: (1.5 * time_limit / 60.0 + EXTRA_MINUTES).ceil() as u64,
        }
    }

    /// What a merge (or a sweep's collect) asks: one CPU, the largest
    /// job's memory, and time to lay out the weeks, route the supplies and
    /// publish (a ×40 merge: minutes).
    pub fn merge(largest: f64) -> Resources {
        Resources {
            cpus: 1,
            mem_mb: (BASE_MB + MB_PER_TRIP * largest).ceil() as u64,
            minutes: MERGE_MINUTES,
        }
    }

    /// The most of each of `all` (a job array asks the same of every task).
    pub fn most(all: &[Resources]) -> Resources {
        all.iter().fold(
            Resources {
                cpus: 1,
                mem_mb: 0,
                minutes: 0,
            },
            |a, r| Resources {
                cpus: a.cpus.max(r.cpus),
                mem_mb: a.mem_mb.max(r.mem_mb),
                minutes: a.minutes.max(r.minutes),
            },
        )
    }
}

/// A file to write into the split folder: its path there, its text, and
/// whether it is executable.
pub struct File {
    /// Relative path.
    pub path: &'static str,
    /// Contents.
    pub text: String,
    /// Whether to mark it executable.
    pub executable: bool,
}

/// What `target` needs, for the jobs of `folder` asking `jobs` each and
/// the merge asking `merge`; messages in `lang`.
pub fn files(
    folder: &Folder,
    target: Target,
    jobs: Resources,
    merge: Resources,
    lang: Lang,
) -> Vec<File> {
    let n = folder.split.jobs.len();
    let collect = collect_command(folder.split.kind, lang);
    match target {
        Target::Local => vec![File {
            path: "run-local.sh",
            text: local(n, jobs.cpus, &collect, lang),
            executable: true,
        }],
        Target::Slurm => vec![
            File {
                path: "submit.sh",
                text: submit(lang),
                executable: true,
            },
            File {
                path: "part.sbatch",
                text: part_sbatch(jobs, lang),
                executable: true,
            },
            File {
                path: "merge.sbatch",
                text: merge_sbatch(merge, &collect),
                executable: true,
            },
        ],
        Target::K8s => vec![
            File {
                path: "k8s/parts.yaml",
                text: k8s_parts(n, jobs),
                executable: false,
            },
            File {
                path: "k8s/merge.yaml",
                text: k8s_merge(merge, &collect),
                executable: false,
            },
        ],
    }
}

/// The command that brings the results together, as arguments after the
/// binary (the split folder is `$DIR`, the output `$OUT`).
fn collect_command(kind: Kind, lang: Lang) -> String {
    let l = match lang {
        Lang::Es => "",
        Lang::En => " --lang en",
    };
    match kind {
        Kind::Plan => format!("merge{l} \"$DIR\" -o \"$OUT\""),
        Kind::Sweep => format!("sweep{l} --collect \"$DIR\" -o \"$OUT\""),
    }
}

/// How a script finds its folder, binary and output folder.
const PRELUDE: &str = r#"set -euo pipefail
DIR="${ITINERA_SPLIT:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
ITINERA="${ITINERA:-$DIR/bin/itinera}"
OUT="${OUT:-$DIR/out}"
"#;

fn local(n: usize, threads: u32, collect: &str, lang: Lang) -> String {
    let (intro, done) = match lang {
        Lang::Es => (
            "# itinera: resuelve en esta máquina los trabajos de esta división que no\n# tienen resultado, JOBS a la vez (por omisión, los núcleos divididos por los\n# hilos de cada uno), y luego los reúne. Seguro de repetir: un trabajo resuelto\n# no se vuelve a resolver.",
            "trabajos terminados; reuniendo en",
        ),
        Lang::En => (
            "# itinera: solve on this machine the jobs of this split that have no\n# result, JOBS at a time (by default, the cores divided by each one's\n# threads), then bring them together. Safe to repeat: a solved job is not\n# solved again.",
            "jobs finished; merging into",
        ),
    };
    format!(
        r#"#!/bin/bash
{intro}
{PRELUDE}JOBS="${{JOBS:-$(( $(nproc) / {threads} > 0 ? $(nproc) / {threads} : 1 ))}}"
mkdir -p "$DIR/logs"
# {n} job(s); each writes its log to logs/<job>.log. A failed job does not
# stop the others; the merge names every job without a result.
xargs -P "$JOBS" -I{{}} sh -c '"$0" solve-part "$1/{{}}" > "$1/logs/{{}}.log" 2>&1' "$ITINERA" "$DIR" < "$DIR/jobs.txt" || true
echo "{done} $OUT" >&2
exec "$ITINERA" {collect}
"#
    )
}

fn submit(lang: Lang) -> String {
    let (intro, parts, merge, none) = match lang {
        Lang::Es => (
            "# itinera: envía a Slurm los trabajos de esta división que no tienen resultado,\n# como un solo arreglo de trabajos, y la reunión como trabajo dependiente\n# (corre solo si todos terminan bien). Repetirlo tras una falla reenvía solo lo\n# que falta. Los argumentos se pasan a sbatch: bash submit.sh --partition=larga",
            "partes: arreglo",
            "reunión: trabajo",
            "todas las partes tienen resultado",
        ),
        Lang::En => (
            "# itinera: submit to Slurm the jobs of this split that have no result, as\n# one job array, and the merge as a dependent job (it runs only when all of\n# them succeed). Running it again after a failure resubmits only what is\n# missing. Arguments go to sbatch: bash submit.sh --partition=long",
            "parts: array",
            "merge: job",
            "every part has a result",
        ),
    };
    format!(
        r#"#!/bin/bash
{intro}
{PRELUDE}mkdir -p "$DIR/logs"
todo=()
i=0
while read -r job; do
  [ -f "$DIR/$job/result.json" ] || todo+=("$i")
  i=$((i + 1))
done < "$DIR/jobs.txt"
after=()
if [ "${{#todo[@]}}" -gt 0 ]; then
  list=$(IFS=,; echo "${{todo[*]}}")
  array=$(sbatch --parsable --array="$list" --chdir="$DIR" \
    --output="$DIR/logs/part-%a.out" \
    --export=ALL,ITINERA_SPLIT="$DIR",ITINERA="$ITINERA" "$@" "$DIR/part.sbatch")
  array="${{array%%;*}}"
  echo "{parts} $array ($list)"
  after=(--dependency=afterok:"$array" --kill-on-invalid-dep=yes)
else
  echo "{none}"
fi
merge=$(sbatch --parsable "${{after[@]}}" --chdir="$DIR" \
  --output="$DIR/logs/merge.out" \
  --export=ALL,ITINERA_SPLIT="$DIR",ITINERA="$ITINERA",OUT="$OUT" "$@" "$DIR/merge.sbatch")
echo "{merge} ${{merge%%;*}}"
"#
    )
}

fn part_sbatch(r: Resources, lang: Lang) -> String {
    let site = match lang {
        Lang::Es => "# Lo que su sitio necesite antes de correr (módulos, variables), aquí:",
        Lang::En => "# Whatever your site needs before running (modules, variables), here:",
    };
    format!(
        r#"#!/bin/bash
#SBATCH --job-name=itinera-part
#SBATCH --cpus-per-task={cpus}
#SBATCH --mem={mem}M
#SBATCH --time={minutes}
#SBATCH --nodes=1
#SBATCH --ntasks=1
{site}
# module load gcc
set -euo pipefail
DIR="${{ITINERA_SPLIT:?}}"
job=$(sed -n "$((SLURM_ARRAY_TASK_ID + 1))p" "$DIR/jobs.txt")
exec "${{ITINERA:-$DIR/bin/itinera}}" solve-part "$DIR/$job"
"#,
        cpus = r.cpus,
        mem = r.mem_mb,
        minutes = r.minutes
    )
}

fn merge_sbatch(r: Resources, collect: &str) -> String {
    format!(
        r#"#!/bin/bash
#SBATCH --job-name=itinera-merge
#SBATCH --cpus-per-task={cpus}
#SBATCH --mem={mem}M
#SBATCH --time={minutes}
#SBATCH --nodes=1
#SBATCH --ntasks=1
set -euo pipefail
DIR="${{ITINERA_SPLIT:?}}"
ITINERA="${{ITINERA:-$DIR/bin/itinera}}"
OUT="${{OUT:-$DIR/out}}"
# Exit 3 (a plan written, its gap above --gap) is a plan, not a failure
# of the job; the log says the gap.
"$ITINERA" {collect} --quiet || {{ code=$?; [ "$code" -eq 3 ] || exit "$code"; }}
"#,
        cpus = r.cpus,
        mem = r.mem_mb,
        minutes = r.minutes
    )
}

/// Where the split folder is mounted in a pod.
const MOUNT: &str = "/split";

fn k8s_resources(r: Resources) -> String {
    format!(
        "          resources:\n            requests:\n              cpu: \"{c}\"\n              memory: {m}Mi\n            limits:\n              memory: {m}Mi\n",
        c = r.cpus,
        m = r.mem_mb
    )
}

fn k8s_volume() -> String {
    format!(
        "          volumeMounts:\n            - name: split\n              mountPath: {MOUNT}\n      volumes:\n        - name: split\n          persistentVolumeClaim:\n            claimName: itinera-split\n"
    )
}

fn k8s_parts(n: usize, r: Resources) -> String {
    format!(
        r#"# itinera: the parts of a split as an Indexed Job: pod k solves the job on
# line k+1 of jobs.txt. The split folder is the volume claim itinera-split,
# mounted at {MOUNT}; the binary runs from it (bin/itinera, glibc: a Debian
# 12 image). Apply with `kubectl apply -f parts.yaml`, then merge.yaml once
# `kubectl wait --for=condition=complete job/itinera-parts` returns.
apiVersion: batch/v1
kind: Job
metadata:
  name: itinera-parts
  labels:
    app.kubernetes.io/name: itinera
spec:
  completionMode: Indexed
  completions: {n}
  parallelism: {n}
  backoffLimitPerIndex: 1
  activeDeadlineSeconds: {deadline}
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: part
          image: debian:12-slim
          command: ["/bin/bash", "-c"]
          args:
            - exec {MOUNT}/bin/itinera solve-part "{MOUNT}/$(sed -n "$((JOB_COMPLETION_INDEX + 1))p" {MOUNT}/jobs.txt)"
{res}{vol}"#,
        deadline = r.minutes * 60,
        res = k8s_resources(r),
        vol = k8s_volume()
    )
}

fn k8s_merge(r: Resources, collect: &str) -> String {
    format!(
        r#"# itinera: the merge of a split, once every part has its result; the plan
# is written to out/ in the split's volume.
apiVersion: batch/v1
kind: Job
metadata:
  name: itinera-merge
  labels:
    app.kubernetes.io/name: itinera
spec:
  completions: 1
  backoffLimit: 0
  activeDeadlineSeconds: {deadline}
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: merge
          image: debian:12-slim
          command: ["/bin/bash", "-c"]
          args:
            - DIR={MOUNT} OUT={MOUNT}/out; exec {MOUNT}/bin/itinera {collect} --quiet
{res}{vol}"#,
        deadline = r.minutes * 60,
        collect = collect.replace('"', ""),
        res = k8s_resources(r),
        vol = k8s_volume()
    )
}
