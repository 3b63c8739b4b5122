#!/usr/bin/env bash
# The cluster integration test (issue 20), run by .ci/run: a generated ×1
# network split into parts, submitted to a real single-node Slurm cluster
# as one job array with the merge as a dependent job. One part is killed
# while it runs: Slurm cancels the merge, a merge by hand names the part,
# and `submit.sh` run again resubmits only that part and the merge, which
# then writes the plan. The plan must equal the one `plan` writes on this
# machine and pass `check`.
#
#   bash tests/cluster/slurm.sh [path/to/itinera]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${1:-target/release/itinera}"
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
[ -x "$BIN" ] || { echo "slurm test: build itinera first ($BIN)" >&2; exit 1; }
T=$(mktemp -d /tmp/itinera-slurm.XXXXXX)
started_here=0
cleanup() {
  scancel --user="$(id -un)" >/dev/null 2>&1 || true
  [ "$started_here" -eq 1 ] && bash scripts/slurm-single-node.sh stop || true
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "slurm test: FAILED: $*" >&2; exit 1; }

if ! sinfo -h >/dev/null 2>&1; then
  bash scripts/slurm-single-node.sh start
  started_here=1
fi

# A network of the ×1 size (25 localities, 60 records) in two regions over
# one week: two parts and the bound, each solved to optimality in seconds,
# so that the split's plan and the one-process plan are the same plan
# (parts stopped by a time limit would differ with the time each got).
OPTS=(--time-limit 19 --gap 0.01 --threads 1)
"$BIN" generate --localities 25 --specialists 60 --regions 2 --weeks 1 --seed 1 -o "$T/x1" >/dev/null
# `plan` exits 3 when the plan's gap is above --gap: the plan is written.
"$BIN" plan "$T/x1" "${OPTS[@]}" --no-export -q -o "$T/local" >/dev/null || [ $? -eq 3 ]

"$BIN" plan "$T/x1" "${OPTS[@]}" --parts-to "$T/split" --emit slurm >/dev/null
parts=$(wc -l < "$T/split/jobs.txt")
[ "$parts" -ge 3 ] || fail "expected two parts and the bound, got $parts jobs"
echo "slurm test: $parts jobs" >&2

# A wrapper that holds part-1 for a while, so that it can be killed while
# it runs.
cat > "$T/slow-itinera" <<EOF
#!/bin/bash
case "\$*" in *part-1) sleep 300 ;; esac
exec "$T/split/bin/itinera" "\$@"
EOF
chmod +x "$T/slow-itinera"

wait_for_jobs() {
  for _ in $(seq 600); do
    [ -z "$(squeue -h --user="$(id -un)")" ] && return 0
    sleep 1
  done
  squeue >&2
  fail "jobs still queued after 10 minutes"
}

out=$(ITINERA="$T/slow-itinera" bash "$T/split/submit.sh")
echo "$out" >&2
job=$(squeue -h --user="$(id -un)" -o '%F' | sort -u | head -n 1)
# Wait until part-1 is running, then kill it.
for _ in $(seq 120); do
  st=$(squeue -h -j "${job}_1" -o %t 2>/dev/null || true)
  [ "$st" = "R" ] && break
  sleep 1
done
[ "$st" = "R" ] || fail "part-1 never ran (state '$st')"
sleep 2
scancel --signal=KILL "${job}_1"
wait_for_jobs
[ -f "$T/split/part-1/result.json" ] && fail "the killed part has a result"
[ -f "$T/split/out/plan.json" ] && fail "the merge ran although a part failed"

# A merge by hand names the missing part and fails.
if "$BIN" merge "$T/split" -o "$T/partial" --no-export -q 2> "$T/merge.err"; then
  fail "merge succeeded with a part missing"
fi
grep -q "part-1 (1)" "$T/merge.err" || { cat "$T/merge.err" >&2; fail "merge did not name part-1"; }

# Running submit.sh again resubmits only part 1, and the merge after it.
out=$(bash "$T/split/submit.sh")
echo "$out" >&2
echo "$out" | head -n 1 | grep -q "(1)$" || fail "resubmission was not only part 1: $out"
wait_for_jobs
[ -f "$T/split/out/plan.json" ] || { cat "$T/split/logs/"*.out >&2; fail "no merged plan"; }

# The same plan as `plan`, and `check` accepts it.
python3 - "$T/local/plan.json" "$T/split/out/plan.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
def key(p):
    return sorted((v["specialist"], v["locality"], v["start"], v.get("days")) for v in p["visits"] if v.get("origin") != "dropped")
assert key(a) == key(b), "the split's visits differ from plan's"
oa, ob = a["metrics"]["objective"], b["metrics"]["objective"]
assert abs(oa - ob) <= 1e-6 * max(1.0, abs(oa)), (oa, ob)
print(f"slurm test: same plan as `plan` ({len(key(a))} visits, objective {oa:.0f})", file=sys.stderr)
EOF
"$BIN" check "$T/x1" "$T/split/out/plan.json" >/dev/null || fail "check refused the merged plan"
echo "slurm test: ok" >&2
