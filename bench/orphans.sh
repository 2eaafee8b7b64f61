#!/usr/bin/env bash
# Times a run that leaks 500 processes: leakaudit must report and reap all of them.
# The default --grace (2s) is part of the time: the orphans never exit on their own.
# Usage: bench/orphans.sh [BUILD_DIR] [COUNT]
set -euo pipefail
build=${1:-build}
count=${2:-500}
leakaudit=$build/src/app/leakaudit
leaky=$build/tests/leaky
work=$(mktemp -d /tmp/leakaudit-orphans-XXXXXX)
trap 'rm -rf -- "$work"' EXIT

start=$(date +%s%N)
code=0
"$leakaudit" run --quiet --json "$work/report.json" -- "$leaky" --orphans "$count" --pids "$work/pids" || code=$?
end=$(date +%s%N)

reported=$(/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sum(f["kind"]=="process" for f in r["findings"]), len(r["reaped"]))' "$work/report.json")
alive=0
while read -r pid; do
  [[ -d /proc/$pid ]] && grep -q '^State:\s*[^Z]' "/proc/$pid/status" 2>/dev/null && alive=$((alive + 1))
done <"$work/pids"
printf 'leaked %d, reported/reaped %s, still alive %d, exit %d, %.2f s (default grace 2s included)\n' \
  "$count" "$reported" "$alive" "$code" "$(( (end - start) / 1000000 ))e-3"
