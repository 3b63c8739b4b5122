#!/usr/bin/env bash
# Cut a scenario down to one specialty: its records, its waiting lists and
# its calendar visits (every facility and room stays, as if the specialty
# had them to itself). For locating a specialty's optimum (issue 17):
#
#   scripts/one-specialty.sh scenarios/santa-cruz cardiology /tmp/sc-cardiology
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 SCENARIO SPECIALTY OUT" >&2; exit 2; }
src=$1 sp=$2 out=$3
[ -f "$src/specialists.csv" ] || { echo "$src: no specialists.csv" >&2; exit 2; }
mkdir -p "$out"
cp -r "$src"/. "$out"/
# Records of the specialty (column 5), waiting lists (column 2).
awk -F, -v sp="$sp" 'NR == 1 || $5 == sp' "$src/specialists.csv" >"$out/specialists.csv"
awk -F, -v sp="$sp" 'NR == 1 || $2 == sp' "$src/demand.csv" >"$out/demand.csv"
[ "$(wc -l <"$out/specialists.csv")" -gt 1 ] || { echo "no record of specialty $sp" >&2; exit 2; }
records=$(awk -F, 'NR > 1 { print $1 }' "$out/specialists.csv" | paste -sd' ')
for cal in "$src"/calendar-*.csv; do
  awk -F, -v recs=" $records " 'NR == 1 || index(recs, " " $2 " ")' "$cal" >"$out/$(basename "$cal")"
done
rm -rf "$out/what-if"
