//! Large-neighbourhood search on the program itself: free the trips of a few
//! consecutive weeks, fix every other trip at the incumbent, and let HiGHS
//! solve what is left ("fix-and-optimise").
//!
//! Why: HiGHS's own primal heuristics rarely improve the greedy start of
//! these programs (Santa Cruz cardiology: not once in 150 s), while a window
//! of weeks is a small program it solves to optimality in a second or two.
//! Each step starts from the incumbent, so the plan never gets worse and
//! every plan it returns satisfies the whole program.

use highs_sys::HighsInt;
use std::time::Instant;

/// The columns a neighbourhood frees, per week: each with its own bounds.
#[derive(Clone, Debug, Default)]
pub struct WeekColumns {
    /// (column, lower, upper) of every trip and day variable of the week.
    pub cols: Vec<(usize, f64, f64)>,
}

/// Given a solution's columns and a week, the trip columns of a minimal set
/// of that week's trips whose days cannot be laid out, or `None` when they fit.
pub type Clash<'a> = dyn Fn(&[f64], u32) -> Option<Vec<usize>> + Sync + 'a;

/// What the search achieved.
pub struct Outcome {
    /// The best solution found (the start when nothing improved it).
    pub columns: Vec<f64>,
    /// Its objective without the constant part (infinite when the start's
    /// objective was unknown and no neighbourhood was solved).
    pub objective: f64,
}

/// Trip columns a neighbourhood frees, about: small enough for HiGHS to
/// solve a window in a second or two, large enough to move visits around.
const FREE_TRIPS: usize = 2_000;

/// Re-solves of one window after forbidding trips whose days clash.
const MAX_CUT_ROUNDS: usize = 8;

/// Branch-and-bound nodes HiGHS may spend on one window. A budget of work,
/// not of seconds, so that the same program gives the same plan on a busy
/// or an idle machine; the wall clock only ends the whole search.
const WINDOW_NODES: i32 = 500;

/// Search until `deadline` from `start` (objective `start_obj` without the
/// constant, or infinity when unknown), calling `progress` with each better
/// objective.
pub fn improve(
    mut model: highs::Model,
    start: Vec<f64>,
    start_obj: f64,
    weeks: &[WeekColumns],
    deadline: Instant,
    conflict: &Clash<'_>,
    mut progress: impl FnMut(f64),
) -> Outcome {
    let n = weeks.len();
    let mut best = start;
    let mut best_obj = start_obj;
    let per_week = weeks.iter().map(|w| w.cols.len()).sum::<usize>() / n.max(1);
    let window = (FREE_TRIPS / per_week.max(1)).clamp(2, n.max(2));
    let stride = (window / 2).max(1);
    let _ = model.try_set_option("mip_max_nodes", WINDOW_NODES);
    let mut first = 0usize;
    let mut unimproved_rounds = 0;
    let mut round_improved = false;
    if n == 0 {
        return Outcome {
            columns: best,
            objective: best_obj,
        };
    }
    loop {
        let left = deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64();
        if left < 0.2 {
            break;
        }
        // Fix everything at the incumbent, then free the window.
        let mut set: Vec<HighsInt> = Vec::new();
        let mut lo: Vec<f64> = Vec::new();
        let mut hi: Vec<f64> = Vec::new();
        for (w, wc) in weeks.iter().enumerate() {
            let free = (w + n - first) % n < window;
            for &(c, l, h) in &wc.cols {
                set.push(c as HighsInt);
                if free {
                    lo.push(l);
                    hi.push(h);
                } else {
                    let v = best[c].round().clamp(l, h);
                    lo.push(v);
                    hi.push(v);
                }
            }
        }
        change_bounds(&mut model, &set, &lo, &hi);
        for _ in 0..MAX_CUT_ROUNDS {
            let left = deadline
                .saturating_duration_since(Instant::now())
                .as_secs_f64();
            if left < 0.05 {
                break;
            }
            let _ = model.try_set_option("time_limit", left);
            let _ = model.try_set_solution(Some(&best), None, None, None);
            let Ok(solved) = model.try_solve() else {
                // A failed solve leaves no model to go on with.
                return Outcome {
                    columns: best,
                    objective: best_obj,
                };
            };
            let mut cuts = Vec::new();
            if solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible {
                let obj = solved.objective_value();
                let cols = solved.get_solution().columns().to_vec();
                // The program counts room-days per week; the days must also
                // be laid out one by one, which the window's plan may not
                // allow: forbid the trips that clash and solve again.
                cuts = (0..window)
                    .filter_map(|k| conflict(&cols, ((first + k) % n) as u32))
                    .collect();
                if cuts.is_empty()
                    && (!best_obj.is_finite() || obj < best_obj - 1e-6 * best_obj.abs().max(1.0))
                {
                    round_improved |= best_obj.is_finite();
                    best_obj = obj;
                    best = cols;
                    progress(best_obj);
                }
            }
            model = highs::Model::from(solved);
            if cuts.is_empty() {
                break;
            }
            for cut in cuts {
                add_no_good(&mut model, &cut);
            }
        }
        first = (first + stride) % n;
        if first < stride {
            // A full sweep over the horizon.
            if round_improved {
                unimproved_rounds = 0;
            } else {
                unimproved_rounds += 1;
            }
            round_improved = false;
            if unimproved_rounds >= 2 {
                break;
            }
        }
    }
    Outcome {
        columns: best,
        objective: best_obj,
    }
}

/// Lower the upper bound of `rows` (row index, new upper bound).
pub fn set_row_upper(model: &mut highs::Model, rows: &[(usize, f64)]) {
    let set: Vec<HighsInt> = rows.iter().map(|(r, _)| *r as HighsInt).collect();
    let lo = vec![f64::NEG_INFINITY; rows.len()];
    let hi: Vec<f64> = rows.iter().map(|(_, u)| *u).collect();
    // SAFETY: as in `change_bounds`, for rows of this model.
    unsafe {
        highs_sys::Highs_changeRowsBoundsBySet(
            model.as_mut_ptr(),
            set.len() as HighsInt,
            set.as_ptr(),
            lo.as_ptr(),
            hi.as_ptr(),
        );
    }
}

/// Forbid choosing all of these binary columns together.
fn add_no_good(model: &mut highs::Model, cols: &[usize]) {
    let idx: Vec<HighsInt> = cols.iter().map(|c| *c as HighsInt).collect();
    let val = vec![1.0; cols.len()];
    // SAFETY: as in `change_bounds`; `idx` and `val` have the count's length.
    unsafe {
        highs_sys::Highs_addRow(
            model.as_mut_ptr(),
            f64::NEG_INFINITY,
            cols.len() as f64 - 1.0,
            idx.len() as HighsInt,
            idx.as_ptr(),
            val.as_ptr(),
        );
    }
}

fn change_bounds(model: &mut highs::Model, set: &[HighsInt], lo: &[f64], hi: &[f64]) {
    debug_assert!(set.len() == lo.len() && lo.len() == hi.len());
    // SAFETY: the pointer is the live HiGHS instance owned by `model`; the
    // three slices have the same length, passed as the count, and the
    // column indices come from the program that built this model.
    unsafe {
        highs_sys::Highs_changeColsBoundsBySet(
            model.as_mut_ptr(),
            set.len() as HighsInt,
            set.as_ptr(),
            lo.as_ptr(),
            hi.as_ptr(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use good_lp::{Expression, ProblemVariables, SolverModel, highs, variable};
    use std::time::Duration;

    /// Four weeks, each with a better trip (a, worth 3) and a worse one
    /// (b, worth 2), at most one a week; the start takes b every week.
    fn program() -> (highs::Model, Vec<WeekColumns>, Vec<f64>) {
        let mut vars = ProblemVariables::new();
        let cols: Vec<_> = (0..8).map(|_| vars.add(variable().binary())).collect();
        let mut objective = Expression::default();
        for w in 0..4 {
            objective += -3.0 * cols[2 * w] - 2.0 * cols[2 * w + 1];
        }
        let mut p = vars.minimise(objective).using(highs);
        for w in 0..4 {
            p.add_constraint((cols[2 * w] + cols[2 * w + 1]).leq(1.0));
        }
        let mut model = p.try_into_inner().unwrap();
        model.make_quiet();
        let weeks = (0..4)
            .map(|w| WeekColumns {
                cols: vec![(2 * w, 0.0, 1.0), (2 * w + 1, 0.0, 1.0)],
            })
            .collect();
        let start = (0..8).map(|c| (c % 2) as f64).collect();
        (model, weeks, start)
    }

    #[test]
    fn improves_the_start_and_respects_clashes() {
        let (model, weeks, start) = program();
        // The better trip of week 2 (column 4) cannot be laid out.
        let clash = |cols: &[f64], w: u32| (w == 2 && cols[4] > 0.5).then(|| vec![4]);
        let mut seen = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(5);
        let out = improve(model, start, -8.0, &weeks, deadline, &clash, |o| {
            seen.push(o)
        });
        assert!((out.objective + 11.0).abs() < 1e-9, "{}", out.objective);
        assert_eq!(out.columns[4].round(), 0.0, "the clash is respected");
        assert_eq!(out.columns[5].round(), 1.0);
        assert!(
            seen.windows(2).all(|w| w[1] < w[0]),
            "only improvements are reported"
        );
    }

    #[test]
    fn never_returns_worse_than_the_start() {
        let (model, weeks, start) = program();
        // Every better trip clashes: the start is already the best plan.
        let clash = |cols: &[f64], w: u32| {
            let c = 2 * w as usize;
            (cols[c] > 0.5).then(|| vec![c])
        };
        let deadline = Instant::now() + Duration::from_secs(5);
        let out = improve(model, start.clone(), -8.0, &weeks, deadline, &clash, |_| {});
        assert_eq!(out.objective, -8.0);
        assert_eq!(out.columns, start);
    }
}
