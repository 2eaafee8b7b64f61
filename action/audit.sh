#!/usr/bin/env bash
# The action's audit step: runs INPUT_COMMAND under `leakaudit run` in the current folder
# (the action's working-directory), writes the JSON report, the JUnit file and, where the
# binary has --html, the HTML report, and records them and the exit code as step outputs.
# GitHub annotations come from leakaudit itself (GITHUB_ACTIONS=true), with file= and
# line= where a finding has a source site. Never fails the step: the Verdict step does.
set -uo pipefail
bin=${LEAKAUDIT_BIN:?}
name=${INPUT_REPORT_NAME:-leakaudit-report}
out=${GITHUB_OUTPUT:-/dev/null}
json="$PWD/$name.json"
junit="$PWD/$name.junit.xml"
html="$PWD/$name.html"

args=(run --json "$json" --junit "$junit")
if "$bin" run --help 2>/dev/null | grep -q -- '--html'; then
  args+=(--html "$html")
else
  html=""
fi
for rules in ${INPUT_RULES:-}; do args+=(--rules "$rules"); done
[ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
[ -n "${INPUT_TIMEOUT:-}" ] && args+=(--timeout "$INPUT_TIMEOUT")
case "${INPUT_NODE:-auto}" in
  true) args+=(--node) ;;
  false) args+=(--no-node) ;;
  auto) [ -f package.json ] && args+=(--node) ;;
  *) echo "::error title=leakaudit::input node must be auto, true or false, not '${INPUT_NODE}'"
     echo "exit-code=2" >>"$out"; exit 0 ;;
esac
# Word splitting is the documented syntax of `args` (options without spaces in values).
# shellcheck disable=SC2206
args+=(${INPUT_ARGS:-} -- bash -c "$INPUT_COMMAND")

runner=()
if [ "$(id -u)" -ne 0 ] && [ "${INPUT_SUDO:-true}" = true ]; then
  # -E keeps GITHUB_ACTIONS (annotations) and the job's environment for the harness.
  runner=(sudo -E env "PATH=$PATH")
fi

text=$(mktemp)
trap 'rm -f "$text"' EXIT
"${runner[@]}" "$bin" "${args[@]}" 2>&1 | tee "$text"
code=${PIPESTATUS[0]}

files="$json"$'\n'"$junit"
[ -n "$html" ] && [ -f "$html" ] && files+=$'\n'"$html"
{
  echo "exit-code=$code"
  echo "report=$json"
  echo "junit=$junit"
  echo "files<<LEAKAUDIT_EOF"
  echo "$files"
  echo "LEAKAUDIT_EOF"
} >>"$out"

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo "### leakaudit: exit $code"
    echo '```text'
    grep -v '^::' "$text" | tail -n 200
    echo '```'
  } >>"$GITHUB_STEP_SUMMARY"
fi
exit 0
