#!/usr/bin/env bash
# A harness in bash that starts and stops its "plugin" LEAKAUDIT_CYCLES times (set by
# `leakaudit run --cycles N`; 1 without it), saying started/stopped on the control channel
# and waiting for leakaudit's acknowledgement each time, and sending a `metrics` event
# with one harness-defined count (README "The control channel").
#
#   leakaudit run --cycles 10 -- bash examples/shell/harness-cycles.sh MODE
#
# MODE: clean (default: releases everything), leak-fd (one more open descriptor per
# cycle), leak-tmp (one more temp file per cycle), leak-queue (the reported
# `queue_entries` count grows by one per cycle).
set -euo pipefail

mode=${1:-clean}
case $mode in clean | leak-fd | leak-tmp | leak-queue) ;; *)
    echo "usage: harness-cycles.sh [clean|leak-fd|leak-tmp|leak-queue]" >&2
    exit 2
    ;;
esac
cycles=${LEAKAUDIT_CYCLES:-1}
[[ $cycles =~ ^[1-9][0-9]*$ ]] || { echo "harness-cycles.sh: LEAKAUDIT_CYCLES must be a whole number from 1" >&2; exit 2; }

# The channel is optional: without leakaudit (or with a closed descriptor) nothing is
# said. The metrics line, the event and the wait for the acknowledgement are one block
# with one redirection: bash moves its stdout aside for a redirected command and puts it
# back after, so leakaudit, reading the harness's descriptors while it waits, finds them
# the same at every event.
queue=()
event() {
    [ -n "${LEAKAUDIT_CONTROL_FD:-}" ] || return 0
    {
        printf '{"event":"metrics","values":{"queue_entries":%d}}\n{"event":"%s"}\n' "${#queue[@]}" "$1"
        if [ -n "${LEAKAUDIT_ACK_FD:-}" ]; then read -r -t 30 -u "$LEAKAUDIT_ACK_FD" _ || true; fi
    } >&"$LEAKAUDIT_CONTROL_FD" 2>/dev/null || true
}

scratch=""
fd=""
start() {
    scratch=$(mktemp "${TMPDIR:-/tmp}/plugin-cycles-XXXXXX")
    exec {fd}<"$scratch" # the plugin's open file
    queue+=("job-$1")
}
stop() {
    if [ "$mode" != leak-fd ]; then exec {fd}<&-; fi
    if [ "$mode" != leak-tmp ]; then rm -f "$scratch"; fi
    if [ "$mode" != leak-queue ]; then queue=(); fi
}

for ((i = 1; i <= cycles; i++)); do
    event started
    start "$i"
    stop
    event stopped
done
echo "harness-cycles.sh: $cycles cycle(s), mode $mode" >&2
