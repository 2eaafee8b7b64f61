#!/usr/bin/env bash
# Times the usual tools and leakaudit's readers side by side on one generated load:
# ~1,000 processes holding ~50,000 descriptors and ~20,000 entries in a watched folder.
# Usage: bench/run.sh [BUILD_DIR]  (build bench_load and bench_readers there first, Release
# for numbers that mean something: -DCMAKE_BUILD_TYPE=Release)
# Env: PROCS (1000), FDS (50), ENTRIES (20000). Run as root to see every process's fds.
set -euo pipefail

build=${1:-build}
procs=${PROCS:-1000}
fds=${FDS:-50}
entries=${ENTRIES:-20000}
load_bin=$build/bench/bench_load
readers_bin=$build/bench/bench_readers
for bin in "$load_bin" "$readers_bin"; do
  [[ -x $bin ]] || { echo "run.sh: missing $bin; build targets bench_load bench_readers" >&2; exit 2; }
done
command -v lsof >/dev/null || { echo "run.sh: lsof missing (apt-get install lsof)" >&2; exit 2; }

work=$(mktemp -d /tmp/leakaudit-bench-XXXXXX)
tree=$work/tree
mkdir "$tree"
load_pid=""

# Teardown by what we started only: the generator (its children die with it through
# PR_SET_PDEATHSIG), then any listed child still alive, then our own folder.
teardown() {
  if [[ -n $load_pid ]]; then
    kill -TERM "$load_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$load_pid" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$load_pid" 2>/dev/null || true
    [[ -s $work/pids ]] && xargs -r kill -KILL <"$work/pids" 2>/dev/null || true
  fi
  rm -rf -- "$work"
}
trap teardown EXIT

"$load_bin" --procs "$procs" --fds "$fds" --entries "$entries" --dir "$tree" --ready-file "$work/pids" 2>"$work/load.log" &
load_pid=$!
deadline=$((SECONDS + 120))
until [[ -s $work/pids ]]; do
  kill -0 "$load_pid" 2>/dev/null || { echo "run.sh: bench_load died" >&2; exit 1; }
  ((SECONDS < deadline)) || { echo "run.sh: load not ready after 120s" >&2; exit 1; }
  sleep 0.1
done

# timed LABEL CMD...: wall time of one run, and how many lines it printed.
timed() {
  local label=$1; shift
  local start end lines
  start=$(date +%s%N)
  lines=$("$@" 2>/dev/null | wc -l)
  end=$(date +%s%N)
  last_ms=$(( (end - start) / 1000000 ))
  printf '%-34s %9.1f ms  %s lines\n' "$label" "$(( (end - start) / 1000 ))e-3" "$lines"
}

# best_of N LABEL CMD...: the fastest of N runs, in last_ms.
best_of() {
  local n=$1 label=$2 best=""; shift 2
  for _ in $(seq "$n"); do
    timed "$label" "$@" >/dev/null
    [[ -z $best || $last_ms -lt $best ]] && best=$last_ms
  done
  last_ms=$best
  printf '%-34s %9d ms  (best of %d)\n' "$label" "$best" "$n"
}

echo "kernel $(uname -r), $(nproc) cores; load: $(wc -l <"$work/pids") processes x ~$fds fds, $entries entries"
echo "--- tools (one run each; lsof warmed up once)"
lsof -n -P >/dev/null 2>&1 || true
timed "lsof -n -P" lsof -n -P
lsof_ms=$last_ms
timed "ss -anp" ss -anp
timed "ps -eo pid,ppid,pgid,uid,lstart,args" ps -eo pid,ppid,pgid,uid,lstart,args
timed "find TREE" find "$tree"
timed "find TREE -printf (stat)" find "$tree" -printf '%i %s %U %C@\n'
echo "--- leakaudit readers (best of 3)"
"$readers_bin" --repeat 3 "$tree"
echo "--- the whole audit of a clean harness, default watches (/tmp holds the tree)"
leakaudit_bin=$build/src/app/leakaudit
if [[ -x $leakaudit_bin ]]; then
  best_of 3 "leakaudit run -- true" "$leakaudit_bin" run --quiet -- true
  awk -v a="$last_ms" -v l="$lsof_ms" 'BEGIN { printf "leakaudit run -- true takes %.1f%% of lsof -n -P (%d ms vs %d ms): %s\n", 100 * a / l, a, l, (a * 10 < l ? "under a tenth" : "NOT under a tenth") }'
fi
