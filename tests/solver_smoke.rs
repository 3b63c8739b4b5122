//! Proves the solver toolchain end to end: HiGHS, built from source through
//! highs-sys, solves a small integer program through good_lp.

use good_lp::{Solution, SolverModel, constraint, highs, variable, variables};

#[test]
fn highs_solves_a_small_knapsack_to_optimality() {
    // Maximise 5a + 4b + 3c subject to 2a + 3b + c <= 5, 4a + b + 2c <= 11,
    // 3a + 4b + 2c <= 8, binaries: all three break the first row (6 > 5);
    // the best pair is a and b (rows 5, 5, 7; value 9), ahead of a and c (8).
    let mut vars = variables!();
    let a = vars.add(variable().binary());
    let b = vars.add(variable().binary());
    let c = vars.add(variable().binary());
    let solution = vars
        .maximise(5 * a + 4 * b + 3 * c)
        .using(highs)
        .with(constraint!(2 * a + 3 * b + c <= 5))
        .with(constraint!(4 * a + b + 2 * c <= 11))
        .with(constraint!(3 * a + 4 * b + 2 * c <= 8))
        .solve()
        .expect("HiGHS solves the knapsack");
    assert_eq!(
        (solution.value(a), solution.value(b), solution.value(c)),
        (1.0, 1.0, 0.0)
    );
    assert_eq!(solution.eval(5 * a + 4 * b + 3 * c), 9.0);
}
