#!/usr/bin/env python3
"""Solve an exported itinera program (`itinera plan --export-model FILE.mps`)
with HiGHS (highspy) and SCIP (OR-Tools' model builder) under the same time
limit and threads, for the side-by-side in BENCHMARKS.md (issue 17).

    python3 -m venv /tmp/benchvenv && /tmp/benchvenv/bin/pip install highspy ortools
    /tmp/benchvenv/bin/python scripts/bench_peers.py FILE.mps SECONDS [THREADS]

The MPS file carries the objective's constant as HiGHS's offset; SCIP reads
it too (OBJSENSE/RHS of the objective row), so both objectives are in the
plan's currency, comparable with itinera's.
"""
import sys
import time


def highs(path, seconds, threads):
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(seconds))
    h.setOptionValue("threads", int(threads))
    h.readModel(path)
    t = time.time()
    h.run()
    info = h.getInfo()
    obj = info.objective_function_value if info.primal_solution_status == 2 else None
    return obj, info.mip_dual_bound, time.time() - t, h.modelStatusToString(h.getModelStatus())


def scip(path, seconds, threads):
    from ortools.linear_solver.python import model_builder as mb

    m = mb.Model()
    if not m.import_from_mps_file(path):
        return None, None, 0.0, "could not read"
    s = mb.Solver("scip")
    s.set_time_limit_in_seconds(float(seconds))
    s.set_solver_specific_parameters(f"parallel/maxnthreads = {int(threads)}")
    t = time.time()
    status = s.solve(m)
    ok = status in (mb.SolveStatus.OPTIMAL, mb.SolveStatus.FEASIBLE)
    obj = s.objective_value if ok else None
    bound = s.best_objective_bound if ok else None
    return obj, bound, time.time() - t, str(status)


def main():
    path, seconds = sys.argv[1], float(sys.argv[2])
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    for name, run in (("HiGHS", highs), ("SCIP", scip)):
        obj, bound, wall, status = run(path, seconds, threads)
        gap = (obj - bound) / abs(obj) if obj and bound is not None else None
        fmt = lambda x: "-" if x is None else f"{x:,.0f}"
        print(
            f"{name}: {status}, objective {fmt(obj)}, bound {fmt(bound)}, "
            f"gap {'-' if gap is None else f'{100 * gap:.1f} %'}, {wall:.1f} s"
        )


if __name__ == "__main__":
    main()
