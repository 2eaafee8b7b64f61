#!/usr/bin/env bash
# Where the time goes: hyperfine times, side by side on one generated load, the usual
# tools (lsof -n -P, ss -anp, ps -e, ps aux, find /tmp) and leakaudit (snapshot, diff,
# run -- true with its default watches), prints each as a ratio of lsof -n -P and its
# peak RSS (/usr/bin/time -v), then scales the load and prints the cost per process and
# per temp entry (the slope between the smallest and the largest load).
#
# Usage: bench/perf.sh [BUILD_DIR]    (a Release or RelWithDebInfo build; run as root)
# Env:   SCALE=reduced|full (reduced: 100→500 processes, 1,000→20,000 entries;
#        full: 100→1,000→3,000 processes, 1,000→20,000→200,000 entries), RUNS (5),
#        WARMUP (1), FDS per process (50), EXTRA (100000: the entries added to /tmp for
#        the target). Peak RSS is measured in the three main phases, not while scaling.
# The load lives in one mkdtemp folder under /tmp (the default watch) and in process
# groups of its own; both are removed on exit, whatever happens.
set -euo pipefail

build=${1:-build}
scale=${SCALE:-reduced}
runs=${RUNS:-5}
warmup=${WARMUP:-1}
fds=${FDS:-50}
extra=${EXTRA:-100000}
leakaudit=$(realpath "$build/src/app/leakaudit")
load_bin=$(realpath "$build/bench/bench_load")
for need in hyperfine lsof ss ps find python3 /usr/bin/time; do
  command -v "$need" >/dev/null || { echo "perf.sh: $need missing (apt-get install hyperfine lsof time)" >&2; exit 2; }
done
[[ -x $leakaudit && -x $load_bin ]] || { echo "perf.sh: build leakaudit and bench_load in $build first" >&2; exit 2; }
case $scale in
  reduced) proc_steps=(100 500) entry_steps=(1000 20000) ;;
  full) proc_steps=(100 1000 3000) entry_steps=(1000 20000 200000) ;;
  *) echo "perf.sh: SCALE is reduced or full" >&2; exit 2 ;;
esac

work=$(mktemp -d /tmp/leakaudit-perf-XXXXXX)
results=$work/results  # the phases' timings: kept when a load is stopped, for the slopes
mkdir "$results"
groups=()

# Each load generator leads its own process group (setsid); its children also die with it
# (PR_SET_PDEATHSIG). Only those groups are signalled, then our folder is removed.
stop_group() {
  local g=$1
  kill -TERM -- "-$g" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 -- "-$g" 2>/dev/null || return 0; sleep 0.05; done
  kill -KILL -- "-$g" 2>/dev/null || true
}
teardown() {
  for g in "${groups[@]}"; do stop_group "$g"; done
  groups=()
  rm -rf -- "$work"
}
trap teardown EXIT
trap 'exit 130' INT TERM HUP

# start_load NAME PROCS ENTRIES: a generator holding PROCS processes and ENTRIES entries.
start_load() {
  local name=$1 procs=$2 entries=$3
  mkdir -p "$work/$name"
  setsid "$load_bin" --procs "$procs" --fds "$fds" --entries "$entries" --dir "$work/$name" \
    --ready-file "$work/$name.ready" 2>"$work/$name.log" &
  groups+=($!)
  local deadline=$((SECONDS + 600))
  until [[ -e $work/$name.ready ]]; do
    kill -0 "$!" 2>/dev/null || { echo "perf.sh: bench_load died: $(cat "$work/$name.log")" >&2; exit 1; }
    ((SECONDS < deadline)) || { echo "perf.sh: load not ready after 600s" >&2; exit 1; }
    sleep 0.1
  done
}
stop_loads() {
  for g in "${groups[@]}"; do stop_group "$g"; done
  groups=()
  find "$work" -mindepth 1 -maxdepth 1 ! -path "$results" -exec rm -rf -- {} +
}

# Two snapshots of the machine now, for `leakaudit diff`.
take_snapshots() {
  "$leakaudit" snapshot -o "$work/a.json" >/dev/null 2>&1 || true
  : >"$work/diff-marker"
  "$leakaudit" snapshot -o "$work/b.json" >/dev/null 2>&1 || true
  rm -f "$work/diff-marker"
}

labels=("lsof -n -P" "ss -anp" "ps -e" "ps aux" "find /tmp" "leakaudit snapshot" "leakaudit diff" "leakaudit run -- true")
command_of() {
  case $1 in
    "leakaudit snapshot") echo "$leakaudit snapshot" ;;
    "leakaudit diff") echo "$leakaudit diff $work/a.json $work/b.json" ;;
    "leakaudit run -- true") echo "$leakaudit run --quiet -- true" ;;
    *) echo "$1" ;;
  esac
}

# measure PHASE LABEL...: hyperfine over the labels (one invocation: side by side), then
# each one's peak RSS; the medians land in $work/PHASE.json, the RSS in $work/PHASE.rss.
measure() {
  local phase=$1; shift
  local args=()
  for label in "$@"; do args+=(--command-name "$label" "$(command_of "$label")"); done
  hyperfine -N --style none --warmup "$warmup" --runs "$runs" -i --export-json "$results/$phase.json" "${args[@]}" >/dev/null
  : >"$results/$phase.rss"
  [[ ${rss:-1} == 1 ]] || return 0
  for label in "$@"; do
    # shellcheck disable=SC2046
    /usr/bin/time -v $(command_of "$label") >/dev/null 2>"$work/time.out" || true
    printf '%s\t%s\n' "$label" "$(awk -F': ' '/Maximum resident/ {print $2}' "$work/time.out")" >>"$results/$phase.rss"
  done
}

# The table of one phase: median, ratio to lsof, peak RSS.
table() {
  python3 - "$results/$1.json" "$results/$1.rss" "$2" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
rss = dict(line.rstrip("\n").split("\t") for line in open(sys.argv[2]) if "\t" in line)
lsof = next((r["median"] for r in results if r["command"] == "lsof -n -P"), None)
print(f"--- {sys.argv[3]}")
print(f"{'command':<24} {'median':>10} {'min':>10} {'× lsof':>8} {'peak RSS':>10}")
for r in results:
    ratio = f"{r['median'] / lsof:.3f}" if lsof else "-"
    kib = rss.get(r["command"], "")
    mib = f"{int(kib) / 1024:.1f} MiB" if kib.isdigit() else "-"
    print(f"{r['command']:<24} {r['median'] * 1000:>8.1f}ms {r['min'] * 1000:>8.1f}ms {ratio:>8} {mib:>10}")
EOF
}

median_of() {  # median_of PHASE LABEL → seconds
  python3 -c 'import json,sys; print(next(r["median"] for r in json.load(open(sys.argv[1]))["results"] if r["command"]==sys.argv[2]))' "$results/$1.json" "$2"
}

echo "perf.sh: $(uname -r), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), scale $scale, $runs runs"
echo "/tmp holds $(find /tmp -xdev 2>/dev/null | wc -l) entries before the load"

measure idle "${labels[@]:0:5}" "leakaudit snapshot" "leakaudit run -- true"
table idle "idle machine, /tmp as it is"

start_load bench 1000 20000
take_snapshots
measure bench "${labels[@]}"
table bench "bench load: 1,000 processes x $fds descriptors, 20,000 entries in /tmp"
echo "snapshot file: $(stat -c %s "$work/a.json") bytes"

start_load extra 0 "$extra"
take_snapshots
measure target "${labels[@]}"
table target "bench load + $extra more entries in /tmp"
python3 - "$(median_of target 'leakaudit run -- true')" "$(median_of idle 'leakaudit run -- true')" \
  "$(median_of target 'lsof -n -P')" <<'EOF'
import sys
run, idle, lsof = map(float, sys.argv[1:])
print(f"target: run -- true = {run / idle:.2f}x idle (<= 1.5: {'met' if run <= 1.5 * idle else 'NOT met'}), "
      f"{run / lsof:.4f}x lsof -n -P (<= 0.02: {'met' if run <= 0.02 * lsof else 'NOT met'})")
EOF
stop_loads

# Scaling: one dimension at a time, the other at its smallest.
scaled=("lsof -n -P" "ss -anp" "ps aux" "find /tmp" "leakaudit snapshot" "leakaudit diff" "leakaudit run -- true")
rss=0
for p in "${proc_steps[@]}"; do
  start_load "p$p" "$p" "${entry_steps[0]}"
  take_snapshots
  measure "procs-$p" "${scaled[@]}"
  table "procs-$p" "scaling: $p processes, ${entry_steps[0]} entries"  # printed as it goes
  stop_loads
done
for e in "${entry_steps[@]}"; do
  start_load "e$e" "${proc_steps[0]}" "$e"
  take_snapshots
  measure "entries-$e" "${scaled[@]}"
  table "entries-$e" "scaling: ${proc_steps[0]} processes, $e entries"
  stop_loads
done
python3 - "$results" "${proc_steps[*]}" "${entry_steps[*]}" "$fds" <<'EOF'
import json, sys
work, procs, entries, fds = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), sys.argv[4]
def medians(phase):
    return {r["command"]: r["median"] for r in json.load(open(f"{work}/{phase}.json"))["results"]}
for dim, steps, unit in (("procs", procs, f"per process (x {fds} fds)"), ("entries", entries, "per entry")):
    data = [(int(n), medians(f"{dim}-{n}")) for n in steps]
    print(f"--- scaling {dim}: " + " -> ".join(s for s in steps) + f"; slope = cost {unit}")
    print(f"{'command':<24} " + " ".join(f"{n:>10}" for n, _ in data) + f" {'slope':>12}")
    for cmd in data[0][1]:
        times = [m[cmd] * 1000 for _, m in data]
        slope_us = (times[-1] - times[0]) * 1000 / (data[-1][0] - data[0][0])
        print(f"{cmd:<24} " + " ".join(f"{t:>8.1f}ms" for t in times) + f" {slope_us:>9.2f} µs")
EOF
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
