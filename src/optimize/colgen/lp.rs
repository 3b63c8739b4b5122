//! A linear program that grows by columns, on HiGHS's C API: column
//! generation adds columns round after round and re-solves from the last
//! basis, which the `highs` crate (a model built once) does not offer.

use highs_sys::HighsInt;
use std::ffi::CString;
use std::os::raw::c_void;

/// A HiGHS instance holding one LP, minimised.
pub struct Lp {
    ptr: *mut c_void,
    rows: usize,
    cols: usize,
    /// Whether the next solve starts with dual simplex (see
    /// [`Lp::bounds_changed`]).
    dual_next: bool,
}

// SAFETY: the instance is owned by this value and only used through `&mut
// self` (or `&self` for reads), so it is never touched by two threads at once.
unsafe impl Send for Lp {}

/// What a solve gives.
pub struct Solved {
    /// Objective value.
    pub objective: f64,
    /// Row duals: the change of the objective per unit of the row's bound
    /// (≤ 0 on a binding `≤` row, ≥ 0 on a binding `≥` row).
    pub y: Vec<f64>,
    /// Column values.
    pub x: Vec<f64>,
}

impl Lp {
    /// An empty LP, quiet, with simplex (it re-solves from the previous
    /// basis after columns are added). `threads` must be what every other
    /// HiGHS instance of the process asks for: HiGHS's scheduler is global.
    pub fn new(threads: u32) -> Lp {
        // SAFETY: Highs_create returns a fresh instance we own until Drop.
        let ptr = unsafe { highs_sys::Highs_create() };
        let mut lp = Lp {
            ptr,
            rows: 0,
            cols: 0,
            dual_next: false,
        };
        lp.set_bool("output_flag", false);
        lp.set_int("threads", threads.max(1) as i32);
        lp.set_string("solver", "simplex");
        lp.set_string("presolve", "off");
        // Columns are added to an optimal basis, which stays primal
        // feasible: primal simplex goes on from it.
        lp.set_int("simplex_strategy", 4);
        lp
    }

    fn set_bool(&mut self, name: &str, value: bool) {
        let n = CString::new(name).expect("option names have no NUL");
        // SAFETY: live instance, NUL-terminated name.
        unsafe {
            highs_sys::Highs_setBoolOptionValue(self.ptr, n.as_ptr(), HighsInt::from(value));
        }
    }

    fn set_int(&mut self, name: &str, value: i32) {
        let n = CString::new(name).expect("option names have no NUL");
        // SAFETY: live instance, NUL-terminated name.
        unsafe {
            highs_sys::Highs_setIntOptionValue(self.ptr, n.as_ptr(), value as HighsInt);
        }
    }

    fn set_string(&mut self, name: &str, value: &str) {
        let n = CString::new(name).expect("option names have no NUL");
        let v = CString::new(value).expect("option values have no NUL");
        // SAFETY: live instance, NUL-terminated strings.
        unsafe {
            highs_sys::Highs_setStringOptionValue(self.ptr, n.as_ptr(), v.as_ptr());
        }
    }

    /// Seconds HiGHS may spend on the next solve. HiGHS's `time_limit`
    /// counts the instance's run time over all its solves, so the limit is
    /// set past what they have used already.
    pub fn set_time_limit(&mut self, seconds: f64) {
        let n = CString::new("time_limit").expect("no NUL");
        // SAFETY: live instance, NUL-terminated name.
        unsafe {
            let used = highs_sys::Highs_getRunTime(self.ptr);
            highs_sys::Highs_setDoubleOptionValue(self.ptr, n.as_ptr(), used + seconds.max(0.01));
        }
    }

    /// Add an empty row `lower ≤ · ≤ upper`; its index.
    pub fn add_row(&mut self, lower: f64, upper: f64) -> usize {
        // SAFETY: live instance; no entries, so the null pointers are not read.
        unsafe {
            highs_sys::Highs_addRow(
                self.ptr,
                lower,
                upper,
                0,
                std::ptr::null(),
                std::ptr::null(),
            );
        }
        self.rows += 1;
        self.rows - 1
    }

    /// Add a column `0 ≤ x` of `cost` with `entries` (row, coefficient);
    /// its index.
    pub fn add_col(&mut self, cost: f64, entries: &[(usize, f64)]) -> usize {
        debug_assert!(entries.iter().all(|(r, _)| *r < self.rows));
        let idx: Vec<HighsInt> = entries.iter().map(|(r, _)| *r as HighsInt).collect();
        let val: Vec<f64> = entries.iter().map(|(_, v)| *v).collect();
        // SAFETY: live instance; `idx` and `val` have the count's length and
        // name existing rows.
        unsafe {
            highs_sys::Highs_addCol(
                self.ptr,
                cost,
                0.0,
                f64::INFINITY,
                idx.len() as HighsInt,
                idx.as_ptr(),
                val.as_ptr(),
            );
        }
        self.cols += 1;
        self.cols - 1
    }

    /// Let column `col` take values up to `upper` (0: out of the LP, as a
    /// branch of the search tree removes it; infinity: back in).
    pub fn set_col_upper(&mut self, col: usize, upper: f64) {
        debug_assert!(col < self.cols);
        // SAFETY: live instance, an existing column.
        unsafe {
            highs_sys::Highs_changeColBounds(self.ptr, col as HighsInt, 0.0, upper);
        }
    }

    /// Change row `row`'s bounds to `lower ≤ · ≤ upper`.
    pub fn set_row_bounds(&mut self, row: usize, lower: f64, upper: f64) {
        debug_assert!(row < self.rows);
        // SAFETY: live instance, an existing row.
        unsafe {
            highs_sys::Highs_changeRowBounds(self.ptr, row as HighsInt, lower, upper);
        }
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Bounds were changed (a branch of the tree): the last basis stays
    /// dual feasible but not primal, so the next solve uses dual simplex,
    /// and primal again after it (columns added keep primal feasibility).
    pub fn bounds_changed(&mut self) {
        self.dual_next = true;
    }

    /// Solve; `None` unless HiGHS proves the LP optimal.
    pub fn solve(&mut self) -> Option<Solved> {
        let dual = std::mem::take(&mut self.dual_next);
        if dual {
            self.set_int("simplex_strategy", 1);
        }
        let solved = self.run();
        if dual {
            self.set_int("simplex_strategy", 4);
        }
        solved
    }

    fn run(&mut self) -> Option<Solved> {
        // SAFETY: live instance; the buffers have the model's sizes.
        unsafe {
            highs_sys::Highs_run(self.ptr);
            let mut status = highs_sys::Highs_getModelStatus(self.ptr);
            if status == highs_sys::MODEL_STATUS_SOLVE_ERROR {
                // A warm start gone numerically wrong: solve from scratch.
                highs_sys::Highs_clearSolver(self.ptr);
                highs_sys::Highs_run(self.ptr);
                status = highs_sys::Highs_getModelStatus(self.ptr);
            }
            if status != highs_sys::MODEL_STATUS_OPTIMAL {
                return None;
            }
            let mut x = vec![0.0; self.cols];
            let mut dx = vec![0.0; self.cols];
            let mut r = vec![0.0; self.rows];
            let mut y = vec![0.0; self.rows];
            highs_sys::Highs_getSolution(
                self.ptr,
                x.as_mut_ptr(),
                dx.as_mut_ptr(),
                r.as_mut_ptr(),
                y.as_mut_ptr(),
            );
            Some(Solved {
                objective: highs_sys::Highs_getObjectiveValue(self.ptr),
                y,
                x,
            })
        }
    }
}

impl Drop for Lp {
    fn drop(&mut self) {
        // SAFETY: created in `new`, destroyed once here.
        unsafe { highs_sys::Highs_destroy(self.ptr) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duals_have_the_sign_the_bound_relies_on() {
        // min x + 2y  s.t.  x + y ≥ 3 (r0),  x ≤ 1 (r1 as a row).
        let mut lp = Lp::new(1);
        let r0 = lp.add_row(3.0, f64::INFINITY);
        let r1 = lp.add_row(f64::NEG_INFINITY, 1.0);
        lp.add_col(1.0, &[(r0, 1.0), (r1, 1.0)]);
        lp.add_col(2.0, &[(r0, 1.0)]);
        let s = lp.solve().expect("optimal");
        assert!((s.objective - 5.0).abs() < 1e-9, "x = 1, y = 2");
        // Raising r0's bound costs 2 a unit; raising r1's saves 1.
        assert!((s.y[r0] - 2.0).abs() < 1e-9, "{:?}", s.y);
        assert!((s.y[r1] + 1.0).abs() < 1e-9, "{:?}", s.y);
        // A column added later is used from the next solve.
        lp.add_col(0.5, &[(r0, 1.0)]);
        let s = lp.solve().expect("optimal");
        assert!((s.objective - 1.5).abs() < 1e-9);
        assert!((s.x[2] - 3.0).abs() < 1e-9, "{:?}", s.x);
        // A column taken out is not used; put back, it is again.
        lp.set_col_upper(2, 0.0);
        let s = lp.solve().expect("optimal");
        assert!((s.objective - 5.0).abs() < 1e-9);
        lp.set_col_upper(2, f64::INFINITY);
        assert!((lp.solve().expect("optimal").objective - 1.5).abs() < 1e-9);
    }
}
