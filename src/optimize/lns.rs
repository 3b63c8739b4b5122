//! Large-neighbourhood search on the program itself: free the trips of one
//! component of specialties in a few consecutive weeks, fix every other trip
//! at the incumbent, and let HiGHS solve what is left ("fix-and-optimise"),
//! cut out of the whole program (see `submip`).
//!
//! Why: HiGHS's own primal heuristics rarely improve the greedy start of
//! these programs (Santa Cruz cardiology: not once in 150 s), while a window
//! of weeks is a small program it solves in a second or less. Each step
//! starts from the incumbent, so the plan never gets worse and every plan it
//! returns satisfies the whole program and lays out day by day.

use super::submip::Program;
use highs_sys::HighsInt;
use std::time::Instant;

/// A column the search may free, with its bounds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Col {
    pub col: usize,
    pub lower: f64,
    pub upper: f64,
    /// The trip choice it belongs to (a record's week): when a
    /// neighbourhood's plan cannot be laid out, the choices of the clashing
    /// trips are held at the incumbent together.
    pub unit: usize,
}

/// The columns of one group of records (a component of specialties) in one
/// week.
#[derive(Clone, Debug, Default)]
pub struct WeekColumns {
    /// Every trip and day variable of the week.
    pub cols: Vec<Col>,
}

/// One neighbourhood: the columns it frees (every other searchable column
/// stays at the incumbent) and the weeks whose day layout it may change.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hood {
    pub cols: Vec<Col>,
    /// Weeks of the freed columns.
    pub weeks: Vec<u32>,
}

/// Given a solution's columns and a week, the trip columns of a minimal set
/// of that week's trips whose days cannot be laid out, or `None` when they fit.
pub type Clash<'a> = dyn Fn(&[f64], u32) -> Option<Vec<usize>> + Sync + 'a;

/// What the search achieved.
pub struct Outcome {
    /// The best solution found (the start when nothing improved it).
    pub columns: Vec<f64>,
    /// Its objective without the constant part.
    pub objective: f64,
}

/// Columns a neighbourhood frees, about: small enough for HiGHS to solve it
/// within its node budget, large enough to move visits around.
const FREE_COLUMNS: usize = 1_000;

/// Seconds one neighbourhood may take at most, besides its node budget: a
/// root node can take long before any node is counted (seen: 13 s on one
/// Santa Cruz window), and the time is better spent on the next one. Only a
/// neighbourhood that reaches it makes the search depend on the machine.
const HOOD_SECONDS: f64 = 3.0;

/// Re-solves of one neighbourhood after forbidding trips whose days clash.
const MAX_CUT_ROUNDS: usize = 8;

/// Branch-and-bound nodes HiGHS may spend on one neighbourhood. A budget of
/// work, not of seconds, so that the same program gives the same plan on a
/// busy or an idle machine; the wall clock only ends the whole search.
const WINDOW_NODES: i32 = 500;

/// The neighbourhoods of a program: for each group of records (`groups[g]`,
/// its columns week by week), windows of consecutive weeks (wrapping round
/// the horizon) holding about `FREE_COLUMNS` columns, overlapping by half.
/// Groups take turns, so that a search stopped by the clock has moved
/// every group, and a group's window is as long as its own size allows:
/// a small specialty moves a whole season at once.
pub fn hoods(groups: &[Vec<WeekColumns>], free_columns: usize) -> Vec<Hood> {
    let per_group: Vec<Vec<Hood>> = groups
        .iter()
        .map(|weeks| {
            let n = weeks.len();
            let total: usize = weeks.iter().map(|w| w.cols.len()).sum();
            if n == 0 || total == 0 {
                return Vec::new();
            }
            let per_week = (total / n).max(1);
            let window = (free_columns / per_week).clamp(2.min(n), n);
            // A window of the whole horizon is one neighbourhood.
            let stride = if window >= n { n } else { (window / 2).max(1) };
            (0..n)
                .step_by(stride)
                .map(|first| {
                    let mut h = Hood::default();
                    for k in 0..window {
                        let w = (first + k) % n;
                        if !weeks[w].cols.is_empty() {
                            h.cols.extend_from_slice(&weeks[w].cols);
                            h.weeks.push(w as u32);
                        }
                    }
                    h
                })
                .filter(|h| !h.cols.is_empty())
                .collect()
        })
        .collect();
    let longest = per_group.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = Vec::new();
    for i in 0..longest {
        out.extend(per_group.iter().filter_map(|g| g.get(i).cloned()));
    }
    out
}

/// Search until `deadline` from `start` (a plan of the whole program of
/// `model`), calling `progress` with its objective and then each better one
/// (without the constant); every sub-program HiGHS solves asks for
/// `threads`. Neighbourhoods of each size (see [`hoods`]) are solved in turn
/// until one full turn brings no improvement (from the same incumbent,
/// another turn would find the same); then neighbourhoods twice as large,
/// until the largest converge too or the deadline passes.
pub fn improve(
    mut model: highs::Model,
    start: Vec<f64>,
    groups: &[Vec<WeekColumns>],
    threads: u32,
    deadline: Instant,
    conflict: &Clash<'_>,
    mut progress: impl FnMut(f64),
) -> Outcome {
    let mut searched: Vec<usize> = groups
        .iter()
        .flatten()
        .flat_map(|w| w.cols.iter().map(|c| c.col))
        .collect();
    searched.sort_unstable();
    searched.dedup();
    let mut program = Program::read(&mut model, &searched);
    drop(model);
    let mut best_obj = program.objective(&start);
    let mut best = start;
    progress(best_obj);
    let groups_with_columns = groups
        .iter()
        .filter(|g| g.iter().any(|w| !w.cols.is_empty()))
        .count();
    let mut size = FREE_COLUMNS;
    let mut hoods = self::hoods(groups, size);
    let mut unimproved = 0usize;
    let mut next = 0usize;
    while !hoods.is_empty() {
        if deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
            < 0.2
        {
            break;
        }
        if unimproved >= hoods.len() {
            // A full turn without improvement: nothing of this size
            // improves the incumbent. Twice as large, until every group is
            // one neighbourhood over the whole horizon.
            if hoods.len() <= groups_with_columns {
                break;
            }
            size *= 2;
            hoods = self::hoods(groups, size);
            unimproved = 0;
            next = 0;
            continue;
        }
        let hood = hoods[next].clone();
        next = (next + 1) % hoods.len();
        unimproved += 1;
        // Trip choices held at the incumbent after a clash.
        let mut held: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
        for _ in 0..MAX_CUT_ROUNDS {
            let free: Vec<(usize, f64, f64)> = hood
                .cols
                .iter()
                .filter(|c| !held.contains(&c.unit))
                .map(|c| (c.col, c.lower, c.upper))
                .collect();
            let left = deadline
                .saturating_duration_since(Instant::now())
                .as_secs_f64();
            if left < 0.05 {
                break;
            }
            let options = |m: &mut highs::Model| {
                let _ = m.try_set_option("threads", threads.max(1) as i32);
                let _ = m.try_set_option("time_limit", left.min(HOOD_SECONDS));
                let _ = m.try_set_option("mip_max_nodes", WINDOW_NODES);
                let _ = m.try_set_option("mip_rel_gap", 1e-4);
                // Restarts re-run the root node's cut loop over and over
                // (seen: 16 s on one Santa Cruz window); the node budget
                // is the search's measure of work.
                let _ = m.try_set_option("mip_allow_restart", false);
            };
            let Some(found) = program.solve(&best, &free, &options, deadline) else {
                break;
            };
            // The program counts room-days per week; the days must also be
            // laid out one by one, which the neighbourhood's plan may not
            // allow: forbid the trips that clash (for good: the row stays for
            // later neighbourhoods), hold their records' weeks as they were
            // (their layout was the incumbent's) and solve again.
            let cuts: Vec<Vec<usize>> = hood
                .weeks
                .iter()
                .filter_map(|w| conflict(&found.columns, *w))
                .collect();
            if cuts.is_empty() {
                if found.objective < best_obj - 1e-6 * best_obj.abs().max(1.0) {
                    unimproved = 0;
                    best_obj = found.objective;
                    best = found.columns;
                    progress(best_obj);
                }
                break;
            }
            for cut in cuts {
                held.extend(
                    hood.cols
                        .iter()
                        .filter(|c| cut.contains(&c.col))
                        .map(|c| c.unit),
                );
                let entries: Vec<(usize, f64)> = cut.iter().map(|c| (*c, 1.0)).collect();
                program.add_row(f64::NEG_INFINITY, cut.len() as f64 - 1.0, &entries);
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

#[cfg(test)]
mod tests {
    use super::*;
    use good_lp::{Expression, ProblemVariables, SolverModel, highs, variable};
    use std::time::Duration;

    /// Four weeks, each with a better trip (a, worth 3) and a worse one
    /// (b, worth 2), at most one a week; the start takes b every week.
    fn program() -> (highs::Model, Vec<Vec<WeekColumns>>, Vec<f64>) {
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
        let weeks: Vec<WeekColumns> = (0..4)
            .map(|w| WeekColumns {
                cols: (0..2)
                    .map(|k| Col {
                        col: 2 * w + k,
                        lower: 0.0,
                        upper: 1.0,
                        unit: w,
                    })
                    .collect(),
            })
            .collect();
        let weeks = vec![weeks];
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
        let out = improve(model, start, &weeks, 1, deadline, &clash, |o| seen.push(o));
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
        let out = improve(model, start.clone(), &weeks, 1, deadline, &clash, |_| {});
        assert_eq!(out.objective, -8.0);
        assert_eq!(out.columns, start);
    }

    fn week(cols: std::ops::Range<usize>) -> WeekColumns {
        WeekColumns {
            cols: cols
                .map(|col| Col {
                    col,
                    lower: 0.0,
                    upper: 1.0,
                    unit: col,
                })
                .collect(),
        }
    }

    #[test]
    fn neighbourhoods_take_turns_and_cover_every_week() {
        // A large group (1,000 columns a week: windows of two weeks) and a
        // small one (10 a week: one window over the whole horizon).
        let big: Vec<WeekColumns> = (0..6).map(|w| week(w * 1000..(w + 1) * 1000)).collect();
        let small: Vec<WeekColumns> = (0..6)
            .map(|w| week(10_000 + w * 10..10_000 + (w + 1) * 10))
            .collect();
        let hs = hoods(&[big, small], 1_000);
        assert_eq!(
            hs.len(),
            6 + 1,
            "6 windows of 2 weeks, stride 1; 1 of 6 weeks"
        );
        assert_eq!(hs[0].weeks, vec![0, 1]);
        assert_eq!(hs[1].weeks, vec![0, 1, 2, 3, 4, 5], "the groups take turns");
        assert_eq!(hs[2].weeks, vec![1, 2]);
        assert_eq!(hs[6].weeks, vec![5, 0], "windows wrap round the horizon");
        for w in 0..6 {
            assert!(hs.iter().any(|h| h.weeks.contains(&w)));
        }
        assert!(hs[0].cols.iter().all(|c| c.col < 2000));
        assert!(hs[1].cols.iter().all(|c| c.col >= 10_000));
    }

    #[test]
    fn neighbourhoods_grow_when_a_turn_finds_nothing() {
        // Four weeks of 500 columns (windows of two weeks at first); the
        // only improvement takes the first column of weeks 0 and 2
        // together, which no two-week window holds.
        let mut vars = ProblemVariables::new();
        let cols: Vec<_> = (0..2000).map(|_| vars.add(variable().binary())).collect();
        let objective: Expression = -1.0 * cols[0] - 1.0 * cols[1000];
        let mut p = vars.minimise(objective).using(highs);
        p.add_constraint((cols[0] - cols[1000]).eq(0.0));
        let mut model = p.try_into_inner().unwrap();
        model.make_quiet();
        let weeks: Vec<WeekColumns> = (0..4).map(|w| week(w * 500..(w + 1) * 500)).collect();
        assert_eq!(
            hoods(std::slice::from_ref(&weeks), FREE_COLUMNS)[0].weeks,
            vec![0, 1]
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        let out = improve(
            model,
            vec![0.0; 2000],
            &[weeks],
            1,
            deadline,
            &|_: &[f64], _| None,
            |_| {},
        );
        assert_eq!(out.objective, -2.0);
    }
}
