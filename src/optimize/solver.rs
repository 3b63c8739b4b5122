//! Running HiGHS on the program good_lp built, keeping what good_lp drops:
//! the model status as an answer (not an error), the dual bound and the gap.

use super::lns;
use super::parts::Parts;
use super::vars::Book;
use ::highs::{HighsModelStatus, HighsSolutionStatus};
use good_lp::{Expression, SolverModel, highs};
use serde::Serialize;
use std::io::{BufRead, BufReader, Seek};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// What the solver concluded about the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Proven optimal (gap zero).
    Optimal,
    /// A plan within the requested gap of the bound.
    FeasibleWithGap,
    /// Time ran out with a plan, above the requested gap.
    TimeLimit,
    /// Time ran out before any plan was found.
    NoSolution,
    /// The rules contradict each other.
    Infeasible,
}

impl Status {
    /// Whether a plan comes with this status.
    pub fn has_plan(self) -> bool {
        matches!(
            self,
            Status::Optimal | Status::FeasibleWithGap | Status::TimeLimit
        )
    }
}

/// Solver settings.
#[derive(Clone, Debug)]
pub struct Settings {
    pub time_limit: f64,
    pub gap: f64,
    pub threads: u32,
    /// Whether the neighbourhood search follows the root node (decided
    /// from the options and the part's size, never from the clock).
    pub search: bool,
    /// Whether HiGHS solves the root node for the program's own bound
    /// first. Without it (the bound comes from column generation) the
    /// search starts at once from the warm start and has all the time.
    pub root: bool,
}

/// Progress of a running solve (objective values include the constant part).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    /// Best plan's objective so far.
    pub incumbent: Option<f64>,
    /// Best proven lower bound so far.
    pub bound: Option<f64>,
    /// Relative gap in percent.
    pub gap_percent: Option<f64>,
    /// Seconds since the solve started.
    pub seconds: f64,
    /// Of the parts the program was split into (`parts.1`), how many the
    /// figures cover (`parts.0`): while some part has not reported, the
    /// plan and bound are sums over the others and there is no gap.
    pub parts: (usize, usize),
}

/// Outcome of one solve.
pub struct Raw {
    pub status: Status,
    pub objective: Option<f64>,
    pub bound: Option<f64>,
    pub columns: Option<Vec<f64>>,
}

/// The solver failed (not a model answer: a bug or a broken installation).
#[derive(Debug, thiserror::Error)]
#[error("HiGHS failed: {0}")]
pub struct SolverError(pub String);

/// The neighbourhood search that follows the root node (see `lns`).
pub struct Search<'a> {
    /// The columns of each group of records, week by week (see `lns::hoods`).
    pub groups: &'a [Vec<lns::WeekColumns>],
    /// Trip columns of a solution's week whose days cannot be laid out
    /// together (a minimal clashing set), or `None` when the week fits.
    pub conflict: &'a lns::Clash<'a>,
}

/// Share of the time HiGHS may spend on the root node when a neighbourhood
/// search follows (Santa Cruz: the root's cut rounds would otherwise take
/// all of it, and later rounds barely move the bound).
const ROOT_SHARE: f64 = 0.5;

/// Solve `parts` with HiGHS.
///
/// With a `search` (and a warm start), HiGHS solves the root node of the
/// whole program (its bound is the one reported; skipped when
/// `settings.root` is false), then the neighbourhood search improves the
/// plan for the rest of the time, with the room rows of `parts.shares`
/// lowered to this program's share so that plans of separately solved
/// components fit together.
pub fn run(
    book: Book,
    mut parts: Parts,
    settings: &Settings,
    warm: Option<&[f64]>,
    search: Option<Search<'_>>,
    progress: Option<&(dyn Fn(Progress) + Sync)>,
) -> Result<Raw, SolverError> {
    let constant = parts.constant;
    let shares = std::mem::take(&mut parts.shares);
    let search = search.filter(|_| warm.is_some());
    let mut model = highs_model(book, parts)?;
    let set = |m: &mut ::highs::Model, k: &str, v: f64| m.try_set_option(k, v).map(|_| ());
    let root_time = if search.is_some() {
        settings.time_limit * ROOT_SHARE
    } else {
        settings.time_limit
    };
    set(&mut model, "time_limit", root_time.max(0.01))
        .and_then(|_| set(&mut model, "mip_rel_gap", settings.gap.max(0.0)))
        .map_err(|e| SolverError(format!("setting options: {e:?}")))?;
    model
        .try_set_option("threads", settings.threads.max(1) as i32)
        .map_err(|e| SolverError(format!("setting threads: {e:?}")))?;
    if let (false, Some(sr), Some(w)) = (settings.root, &search, warm) {
        // No root node: the search alone, its sub-programs guarded each.
        let deadline = Instant::now() + Duration::from_secs_f64(settings.time_limit.max(0.01));
        let _overseer = super::watchdog::Overseer::watch(deadline, settings.time_limit);
        lns::set_row_upper(&mut model, &shares);
        return Ok(search_from(
            model,
            w.to_vec(),
            None,
            sr,
            constant,
            deadline,
            settings,
            progress,
        ));
    }
    let log = progress.map(|_| log_path());
    if let Some(path) = &log {
        let _ = std::fs::remove_file(path);
        let path = path.to_string_lossy().into_owned();
        model
            .try_set_option("log_file", path.as_str())
            .and_then(|_| model.try_set_option("output_flag", true))
            .and_then(|_| model.try_set_option("log_to_console", false))
            .map_err(|e| SolverError(format!("setting the log: {e:?}")))?;
    }
    if search.is_some() {
        // HiGHS's branching rarely finds better plans than the neighbourhood
        // search: stop after the root node, whose bound is the one reported.
        model
            .try_set_option("mip_max_nodes", 1)
            .map_err(|e| SolverError(format!("setting mip_max_nodes: {e:?}")))?;
    }
    if let Some(w) = warm {
        // A rejected start (it never should be) only costs the head start.
        let _ = model.try_set_solution(Some(w), None, None, None);
    }
    let done = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(settings.time_limit.max(0.01));
    // Held until the last solve of this model (the search's) is over.
    let _guard = super::watchdog::Guard::install(
        &mut model,
        deadline + Duration::from_secs_f64(super::watchdog::GRACE_SECONDS),
    );
    let _overseer = super::watchdog::Overseer::watch(deadline, settings.time_limit);
    let solved = std::thread::scope(|scope| {
        if let (Some(cb), Some(path)) = (progress, log.clone()) {
            let done = Arc::clone(&done);
            scope.spawn(move || follow_log(path, constant, started, &done, cb));
        }
        let r = model.try_solve();
        done.store(true, Ordering::Relaxed);
        r
    })
    .map_err(|e| SolverError(format!("solve: {e:?}")))?;
    if let Some(path) = &log {
        let _ = std::fs::remove_file(path);
    }
    let raw = read(&solved, constant)?;
    let (Some(sr), Some(w)) = (search, warm) else {
        return Ok(raw);
    };
    if !matches!(raw.status, Status::TimeLimit | Status::FeasibleWithGap) {
        return Ok(raw);
    }
    // The search starts from HiGHS's plan when it fits the shares, else from the warm start.
    let fits = {
        let rows = solved.get_solution().rows().to_vec();
        shares.iter().all(|(r, cap)| rows[*r] <= cap + 1e-6)
            && raw.columns.as_deref().is_some_and(|c| {
                // The weeks searched (a replan's fixed weeks are not), each
                // laid out once whatever groups have columns in it.
                let weeks: std::collections::BTreeSet<u32> = sr
                    .groups
                    .iter()
                    .flat_map(|g| {
                        g.iter()
                            .enumerate()
                            .filter(|(_, w)| !w.cols.is_empty())
                            .map(|(i, _)| i as u32)
                    })
                    .collect();
                weeks
                    .into_iter()
                    .all(|week| (sr.conflict)(c, week).is_none())
            })
    };
    let start = match &raw.columns {
        Some(c) if fits => c.clone(),
        _ => w.to_vec(),
    };
    let mut model = ::highs::Model::from(solved);
    lns::set_row_upper(&mut model, &shares);
    // The search never returns worse than its start, and every plan it
    // returns fits the shares and lays out: HiGHS's own plan is kept only
    // as that start, when it fits.
    Ok(search_from(
        model, start, raw.bound, &sr, constant, deadline, settings, progress,
    ))
}

/// The neighbourhood search from the plan `start` until `deadline`: the
/// best plan found, with the `bound` already proven.
#[allow(clippy::too_many_arguments)]
fn search_from(
    model: ::highs::Model,
    start: Vec<f64>,
    bound: Option<f64>,
    sr: &Search<'_>,
    constant: f64,
    deadline: Instant,
    settings: &Settings,
    progress: Option<&(dyn Fn(Progress) + Sync)>,
) -> Raw {
    let started = Instant::now();
    let out = lns::improve(
        model,
        start,
        sr.groups,
        settings.threads,
        deadline,
        sr.conflict,
        |obj| {
            if let Some(cb) = progress {
                let incumbent = obj + constant;
                cb(Progress {
                    parts: (1, 1),
                    incumbent: Some(incumbent),
                    bound,
                    gap_percent: bound.map(|b| relative_gap(incumbent, b) * 100.0),
                    seconds: started.elapsed().as_secs_f64(),
                });
            }
        },
    );
    let objective = out.objective + constant;
    Raw {
        status: status_of_gap(bound.map(|b| relative_gap(objective, b)), settings.gap),
        objective: Some(objective),
        bound,
        columns: Some(out.columns),
    }
}

/// The status of a plan at relative `gap` from its bound (none: no bound)
/// when `target` was asked for: the one mapping of gaps to statuses.
pub fn status_of_gap(gap: Option<f64>, target: f64) -> Status {
    match gap {
        Some(g) if g <= 1e-9 => Status::Optimal,
        Some(g) if g <= target => Status::FeasibleWithGap,
        _ => Status::TimeLimit,
    }
}

/// Read HiGHS's answer.
fn read(solved: &::highs::SolvedModel, constant: f64) -> Result<Raw, SolverError> {
    let feasible = solved.primal_solution_status() == HighsSolutionStatus::Feasible;
    let status = match solved.status() {
        HighsModelStatus::Optimal if feasible => {
            if solved.mip_gap().is_finite() && solved.mip_gap() > 1e-9 {
                Status::FeasibleWithGap
            } else {
                Status::Optimal
            }
        }
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            Status::Infeasible
        }
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedMemoryLimit => {
            if feasible {
                Status::TimeLimit
            } else {
                Status::NoSolution
            }
        }
        other => return Err(SolverError(format!("unexpected model status {other:?}"))),
    };
    if !status.has_plan() {
        return Ok(Raw {
            status,
            objective: None,
            bound: None,
            columns: None,
        });
    }
    let objective = solved.objective_value() + constant;
    // Unknown when HiGHS stopped before proving any bound. A proven optimum is
    // its own bound (also for a pure LP, which has no MIP bound).
    // A proven optimum is its own bound: HiGHS leaves `mip_dual_bound`
    // meaningless for a program with no integer column (nothing can be
    // planned: no candidate trip), where it read 6 % of the objective.
    let bound = if status == Status::Optimal {
        Some(objective)
    } else {
        solved
            .double_info_value(c"mip_dual_bound")
            .ok()
            .filter(|b| b.is_finite())
            .map(|b| b + constant)
    };
    Ok(Raw {
        status,
        objective: Some(objective),
        bound,
        columns: Some(solved.get_solution().columns().to_vec()),
    })
}

/// (objective − bound) / |objective|, as HiGHS defines the MIP gap.
pub fn relative_gap(objective: f64, bound: f64) -> f64 {
    if objective.abs() < 1e-9 {
        0.0
    } else {
        ((objective - bound) / objective.abs()).max(0.0)
    }
}

fn log_path() -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    std::env::temp_dir().join(format!(
        "itinera-highs-{}-{}.log",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Read HiGHS's MIP log as it grows and report each progress line.
fn follow_log(
    path: PathBuf,
    constant: f64,
    started: Instant,
    done: &AtomicBool,
    cb: &(dyn Fn(Progress) + Sync),
) {
    let mut offset = 0u64;
    loop {
        let finished = done.load(Ordering::Relaxed);
        if let Ok(mut f) = std::fs::File::open(&path)
            && f.seek(std::io::SeekFrom::Start(offset)).is_ok()
        {
            let mut reader = BufReader::new(f);
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 {
                if !line.ends_with('\n') {
                    break;
                }
                offset += line.len() as u64;
                if let Some(mut p) = parse_progress(&line) {
                    p.incumbent = p.incumbent.map(|x| x + constant);
                    p.bound = p.bound.map(|x| x + constant);
                    p.seconds = started.elapsed().as_secs_f64();
                    cb(p);
                }
                line.clear();
            }
        }
        if finished {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Parse one row of HiGHS's branch-and-bound table:
/// `[src] proc inqueue leaves expl% bestbound bestsol gap% cuts inlp confl lpiters time`.
pub fn parse_progress(line: &str) -> Option<Progress> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    if !tokens.last()?.ends_with('s') {
        return None;
    }
    let i = tokens.iter().position(|t| t.ends_with('%'))?;
    let num = |t: &str| {
        t.trim_end_matches('%')
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
    };
    let bound = num(tokens.get(i + 1)?);
    let incumbent = num(tokens.get(i + 2)?);
    let gap = tokens.get(i + 3).and_then(|t| num(t));
    bound?;
    Some(Progress {
        parts: (1, 1),
        incumbent,
        bound,
        gap_percent: gap,
        seconds: 0.0,
    })
}

/// HiGHS spins for ever on a coefficient that is not a number (inside a
/// dual simplex iteration, where nothing can interrupt it): refuse such a
/// program, naming the rows, whatever let the value through.
fn check_finite(parts: &Parts) -> Result<(), SolverError> {
    use good_lp::IntoAffineExpression;
    let finite = |e: &Expression| {
        e.constant().is_finite() && e.linear_coefficients().all(|(_, c)| c.is_finite())
    };
    if !finite(&parts.objective) || !parts.constant.is_finite() {
        return Err(SolverError(
            "the objective has a weight that is not a finite number; check the scenario's weights and waiting weights".to_string(),
        ));
    }
    if let Some((g, _)) = parts.rows.iter().find(|(_, c)| !finite(c.expression())) {
        return Err(SolverError(format!(
            "the {g:?} rows have a coefficient that is not a finite number; check the scenario's numbers"
        )));
    }
    Ok(())
}

/// The program as a quiet HiGHS model (the objective's constant aside).
fn highs_model(book: Book, parts: Parts) -> Result<::highs::Model, SolverError> {
    check_finite(&parts)?;
    let mut problem = book.vars.minimise(parts.objective).using(highs);
    for (_, row) in parts.rows {
        problem.add_constraint(row);
    }
    let mut model = problem
        .try_into_inner()
        .map_err(|e| SolverError(e.to_string()))?;
    model.make_quiet();
    Ok(model)
}

/// Write `parts` as a model file HiGHS can read and any MIP solver too:
/// MPS for a `.mps` path, CPLEX LP for `.lp`. The objective's constant goes
/// in as HiGHS's objective offset, so the file's optimum is the plan's
/// objective in currency.
pub fn write_model(book: Book, parts: Parts, path: &std::path::Path) -> Result<(), SolverError> {
    let constant = parts.constant;
    let mut model = highs_model(book, parts)?;
    let name = std::ffi::CString::new(path.to_string_lossy().as_bytes())
        .map_err(|_| SolverError(format!("{}: a path without NUL bytes", path.display())))?;
    // SAFETY: `model` owns a live HiGHS instance for the duration of both
    // calls, and `name` is a NUL-terminated string that outlives them.
    let status = unsafe {
        highs_sys::Highs_changeObjectiveOffset(model.as_mut_ptr(), constant);
        highs_sys::Highs_writeModel(model.as_mut_ptr(), name.as_ptr())
    };
    if status == highs_sys::STATUS_ERROR {
        return Err(SolverError(format!(
            "HiGHS could not write {}",
            path.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_highs_branch_and_bound_rows() {
        let p = parse_progress(
            " H       0       0         0   0.00%   1234.5          5678.9            78.26%        0      0      0         0     0.1s\n",
        )
        .unwrap();
        assert_eq!(p.bound, Some(1234.5));
        assert_eq!(p.incumbent, Some(5678.9));
        assert_eq!(p.gap_percent, Some(78.26));
        let none = parse_progress(
            "         0       0         0   0.00%   1234.5   inf   inf   0 0 0 0 0.1s",
        )
        .unwrap();
        assert_eq!(none.incumbent, None);
        assert!(parse_progress("Presolving model").is_none());
    }

    #[test]
    fn gap_is_relative_to_the_objective() {
        assert_eq!(relative_gap(100.0, 99.0), 0.01);
        assert_eq!(relative_gap(0.0, 0.0), 0.0);
    }
}
