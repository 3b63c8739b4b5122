//! `--export-model`: the written program is the one itinera solves. Read
//! back from the file by a fresh HiGHS instance, its optimum (offset
//! included) is the objective itinera reports on the hand-proved scenarios.

mod common;

use itinera::network::RoadNetwork;
use itinera::optimize::{Context, Options, export_model};
use itinera::{plan, scenario};
use std::ffi::CString;

/// Solve a model file with a fresh HiGHS; its optimal objective.
fn solve_file(path: &std::path::Path) -> f64 {
    let name = CString::new(path.to_str().unwrap()).unwrap();
    let quiet = CString::new("output_flag").unwrap();
    // SAFETY: one HiGHS instance, created, used and destroyed here; the
    // strings outlive the calls.
    unsafe {
        let h = highs_sys::Highs_create();
        highs_sys::Highs_setBoolOptionValue(h, quiet.as_ptr(), 0);
        assert_eq!(
            highs_sys::Highs_readModel(h, name.as_ptr()),
            0,
            "read {path:?}"
        );
        assert_eq!(highs_sys::Highs_run(h), 0, "solve {path:?}");
        let obj = highs_sys::Highs_getObjectiveValue(h);
        highs_sys::Highs_destroy(h);
        obj
    }
}

#[test]
fn the_exported_program_has_the_optimum_itinera_reports() {
    let opts = Options {
        time_limit: 60.0,
        gap: 0.0,
        threads: 1,
        ..Options::default()
    };
    let dir = tempfile::tempdir().unwrap();
    for (name, optimum) in [
        ("tiny", 4_260_000.0),
        ("golden-one-town", 210.0),
        ("golden-shared-person", 10_210.0),
    ] {
        let s = scenario::load(&common::repo(&format!("scenarios/{name}"))).unwrap();
        let net = RoadNetwork::new(&s);
        let sol = plan::solve(&s, &net, &opts, None).unwrap();
        let reported = sol.objective.unwrap();
        assert!((reported - optimum).abs() < 1e-6, "{name}: {reported}");
        let ctx = Context::new(&s, &net);
        for ext in ["mps", "lp"] {
            let path = dir.path().join(format!("{name}.{ext}"));
            let size = export_model(&ctx, &opts, &sol.cuts, &path).unwrap();
            assert_eq!(size.rows, sol.size.rows, "{name}: the program solved whole");
            let got = solve_file(&path);
            assert!(
                (got - reported).abs() <= 1e-6 * reported.abs().max(1.0),
                "{name}.{ext}: file optimum {got}, itinera {reported}"
            );
        }
    }
}
