//! The program a neighbourhood leaves free, cut out of the whole one.
//!
//! Why: HiGHS given the whole program with most columns fixed presolves all
//! of it for every neighbourhood (Santa Cruz: 2 s of 178k rows and 308k
//! columns to keep 2k), then restarts its root node several times; cut out
//! here in a few milliseconds, the same neighbourhood is a program of a few
//! thousand columns. Fixed columns enter the rows they touch as constants.

use highs_sys::HighsInt;
use std::collections::BTreeSet;

/// A program read once from HiGHS, with the rows added since (no-goods).
pub struct Program {
    cost: Vec<f64>,
    lower: Vec<f64>,
    upper: Vec<f64>,
    integer: Vec<bool>,
    row_lower: Vec<f64>,
    row_upper: Vec<f64>,
    /// Row by row: (column, coefficient).
    rows: Vec<Vec<(usize, f64)>>,
    /// Column by column: the rows it appears in.
    col_rows: Vec<Vec<usize>>,
    /// Columns a neighbourhood frees or fixes itself; any other column
    /// linked to a freed one (visits, backlogs) is freed with it.
    searched: Vec<bool>,
}

/// What solving a neighbourhood gave.
pub struct Solved {
    /// The whole program's columns with the neighbourhood's new values.
    pub columns: Vec<f64>,
    /// The whole objective (without the program's constant).
    pub objective: f64,
}

impl Program {
    /// Read the program of `model`; `searched` are the columns of every
    /// neighbourhood.
    pub fn read(model: &mut highs::Model, searched: &[usize]) -> Program {
        let ptr = model.as_mut_ptr();
        // SAFETY: `ptr` is the live HiGHS instance owned by `model`; every
        // array is allocated with the size HiGHS reports for it just before.
        let (n, m, nz) = unsafe {
            (
                highs_sys::Highs_getNumCol(ptr) as usize,
                highs_sys::Highs_getNumRow(ptr) as usize,
                highs_sys::Highs_getNumNz(ptr) as usize,
            )
        };
        let mut cost = vec![0.0; n];
        let mut lower = vec![0.0; n];
        let mut upper = vec![0.0; n];
        let mut row_lower = vec![0.0; m];
        let mut row_upper = vec![0.0; m];
        let mut start: Vec<HighsInt> = vec![0; n + 1];
        let mut index: Vec<HighsInt> = vec![0; nz.max(1)];
        let mut value = vec![0.0; nz.max(1)];
        let mut integrality: Vec<HighsInt> = vec![0; n.max(1)];
        let (mut nc, mut nr, mut nnz, mut sense) = (0, 0, 0, 0);
        let mut offset = 0.0;
        // SAFETY: as above.
        unsafe {
            highs_sys::Highs_getLp(
                ptr,
                highs_sys::kHighsMatrixFormatColwise,
                &mut nc,
                &mut nr,
                &mut nnz,
                &mut sense,
                &mut offset,
                cost.as_mut_ptr(),
                lower.as_mut_ptr(),
                upper.as_mut_ptr(),
                row_lower.as_mut_ptr(),
                row_upper.as_mut_ptr(),
                start.as_mut_ptr(),
                index.as_mut_ptr(),
                value.as_mut_ptr(),
                integrality.as_mut_ptr(),
            );
        }
        start[n] = nnz;
        let mut rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); m];
        let mut col_rows: Vec<Vec<usize>> = vec![Vec::new(); n];
        for c in 0..n {
            for k in start[c] as usize..start[c + 1] as usize {
                let r = index[k] as usize;
                rows[r].push((c, value[k]));
                col_rows[c].push(r);
            }
        }
        let mut is_searched = vec![false; n];
        for &c in searched {
            is_searched[c] = true;
        }
        Program {
            cost,
            lower,
            upper,
            integer: integrality[..n]
                .iter()
                .map(|t| *t != highs_sys::kHighsVarTypeContinuous)
                .collect(),
            row_lower,
            row_upper,
            rows,
            col_rows,
            searched: is_searched,
        }
    }

    /// The objective at `x` (without the constant).
    pub fn objective(&self, x: &[f64]) -> f64 {
        self.cost.iter().zip(x).map(|(c, v)| c * v).sum()
    }

    /// Add the row `lower ≤ Σ entries ≤ upper`.
    pub fn add_row(&mut self, lower: f64, upper: f64, entries: &[(usize, f64)]) {
        let r = self.rows.len();
        for (c, _) in entries {
            self.col_rows[*c].push(r);
        }
        self.rows.push(entries.to_vec());
        self.row_lower.push(lower);
        self.row_upper.push(upper);
    }

    /// Solve the neighbourhood `free` ((column, lower, upper)) with every
    /// other searched column fixed at `x`, from `x`, given HiGHS `options`
    /// (threads, limits), interrupted past `deadline` like every solve (see
    /// `watchdog`). `None` when HiGHS found no plan or failed.
    pub fn solve(
        &self,
        x: &[f64],
        free: &[(usize, f64, f64)],
        options: &dyn Fn(&mut highs::Model),
        deadline: std::time::Instant,
    ) -> Option<Solved> {
        // The freed columns, then every unsearched column linked to them
        // through rows (a list's visit, backlog and gap columns), which are
        // determined by the trips and must move with them.
        let mut bounds: std::collections::BTreeMap<usize, (f64, f64)> =
            free.iter().map(|&(c, l, h)| (c, (l, h))).collect();
        let mut queue: Vec<usize> = bounds.keys().copied().collect();
        let mut touched: BTreeSet<usize> = BTreeSet::new();
        while let Some(c) = queue.pop() {
            for &r in &self.col_rows[c] {
                if !touched.insert(r) {
                    continue;
                }
                for &(d, _) in &self.rows[r] {
                    if !self.searched[d] && !bounds.contains_key(&d) {
                        bounds.insert(d, (self.lower[d], self.upper[d]));
                        queue.push(d);
                    }
                }
            }
        }
        let cols: Vec<usize> = bounds.keys().copied().collect();
        if cols.is_empty() {
            return None;
        }
        // Each whole-program column's index in the sub-program, if freed.
        let mut local = vec![usize::MAX; self.cost.len()];
        let mut pb = highs::RowProblem::default();
        let mut handles = Vec::with_capacity(cols.len());
        for (i, &c) in cols.iter().enumerate() {
            local[c] = i;
            let (l, h) = bounds[&c];
            handles.push(pb.add_column_with_integrality(self.cost[c], l..=h, self.integer[c]));
        }
        let mut fixed_cost = 0.0;
        for (c, v) in x.iter().enumerate() {
            if local[c] == usize::MAX {
                fixed_cost += self.cost[c] * v;
            }
        }
        for &r in &touched {
            let mut fixed = 0.0;
            let mut entries = Vec::new();
            for &(c, a) in &self.rows[r] {
                match local[c] {
                    usize::MAX => fixed += a * x[c],
                    i => entries.push((handles[i], a)),
                }
            }
            pb.add_row(
                (self.row_lower[r] - fixed)..=(self.row_upper[r] - fixed),
                &entries,
            );
        }
        let mut model = pb.try_optimise(highs::Sense::Minimise).ok()?;
        model.make_quiet();
        // SAFETY: `model` owns a live HiGHS instance. The fixed columns'
        // cost as the offset keeps HiGHS's relative gap that of the whole.
        unsafe {
            highs_sys::Highs_changeObjectiveOffset(model.as_mut_ptr(), fixed_cost);
        }
        options(&mut model);
        let _guard = super::watchdog::Guard::install(
            &mut model,
            deadline + std::time::Duration::from_secs_f64(super::watchdog::GRACE_SECONDS),
        );
        let start: Vec<f64> = cols
            .iter()
            .map(|&c| {
                let (l, h) = bounds[&c];
                if self.integer[c] {
                    x[c].round().clamp(l, h)
                } else {
                    x[c].clamp(l, h)
                }
            })
            .collect();
        let _ = model.try_set_solution(Some(&start), None, None, None);
        let solved = model.try_solve().ok()?;
        // Read as a number: the bindings panic on a status they do not know
        // (an empty or stopped program reports none).
        let feasible = solved
            .int_info_value(c"primal_solution_status")
            .is_ok_and(|v| v == i64::from(highs_sys::kHighsSolutionStatusFeasible));
        if !feasible {
            return None;
        }
        let mut columns = x.to_vec();
        for (i, v) in solved.get_solution().columns().iter().enumerate() {
            columns[cols[i]] = *v;
        }
        Some(Solved {
            objective: solved.objective_value(),
            columns,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use good_lp::{Expression, ProblemVariables, SolverModel, highs, variable};

    /// Two weekly trips (binary, columns 0 and 1) and a waiting list's
    /// backlog (continuous, column 2, unsearched): backlog ≥ 10 − 6·trips,
    /// each trip costs 5 and each patient waiting 1; at most one trip in
    /// total.
    fn program() -> highs::Model {
        let mut vars = ProblemVariables::new();
        let t: Vec<_> = (0..2).map(|_| vars.add(variable().binary())).collect();
        let b = vars.add(variable().min(0.0).max(100.0));
        let objective: Expression = 5.0 * t[0] + 5.0 * t[1] + b;
        let mut p = vars.minimise(objective).using(highs);
        p.add_constraint((b + 6.0 * t[0] + 6.0 * t[1]).geq(10.0));
        p.add_constraint((t[0] + t[1]).leq(1.0));
        let mut m = p.try_into_inner().unwrap();
        m.make_quiet();
        m
    }

    fn later() -> std::time::Instant {
        std::time::Instant::now() + std::time::Duration::from_secs(60)
    }

    fn one_thread(m: &mut highs::Model) {
        let _ = m.try_set_option("threads", 1);
    }

    #[test]
    fn linked_columns_move_with_the_freed_ones() {
        let program = Program::read(&mut program(), &[0, 1]);
        // Start: no trip, 10 waiting (objective 10).
        let x = [0.0, 0.0, 10.0];
        assert_eq!(program.objective(&x), 10.0);
        // Freeing trip 0 frees the backlog with it: 5 + 4 = 9.
        let s = program
            .solve(&x, &[(0, 0.0, 1.0)], &one_thread, later())
            .unwrap();
        assert!((s.objective - 9.0).abs() < 1e-6, "{}", s.objective);
        assert_eq!(s.columns[0].round(), 1.0);
        assert!((s.columns[2] - 4.0).abs() < 1e-6);
        assert_eq!(s.columns[1], 0.0, "a fixed column keeps its value");
    }

    #[test]
    fn fixed_columns_count_in_the_rows_and_added_rows_hold() {
        let mut program = Program::read(&mut program(), &[0, 1]);
        // Trip 1 taken and fixed: trip 0 may not join it (one trip in all).
        let x = [0.0, 1.0, 4.0];
        let s = program
            .solve(&x, &[(0, 0.0, 1.0)], &one_thread, later())
            .unwrap();
        assert_eq!(s.columns[0].round(), 0.0);
        assert!((s.objective - 9.0).abs() < 1e-6);
        // A row added later (a no-good on trip 0) binds the next solve.
        program.add_row(f64::NEG_INFINITY, 0.0, &[(0, 1.0)]);
        let x = [0.0, 0.0, 10.0];
        let s = program
            .solve(&x, &[(0, 0.0, 1.0)], &one_thread, later())
            .unwrap();
        assert_eq!(s.columns[0].round(), 0.0, "the added row holds");
        assert!((s.objective - 10.0).abs() < 1e-6);
    }
}
