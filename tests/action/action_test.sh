#!/usr/bin/env bash
# Runs the GitHub Action's steps (action.yml, through run_composite.py) on this machine
# against a copy of examples/: they must build leakaudit from the source tree, audit a
# leaking example plugin, produce the artifacts (JSON valid against the schema, JUnit),
# print an annotation with file= and line=, and end the job nonzero. Also: every input
# of action.yml is documented in README.md.
# usage: action_test.sh SOURCE_DIR
set -uo pipefail
src=$(realpath "$1")
here=$(dirname "$(realpath "$0")")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# A Python with PyYAML and jsonschema (Debian's: .ci/install-deps test installs them).
python=""
for p in python3 /usr/bin/python3; do
  if "$p" -c 'import yaml, jsonschema' 2>/dev/null; then python=$p; break; fi
done
if [ -z "$python" ]; then
  echo "leakaudit-test-skipped: no python3 with PyYAML and jsonschema (.ci/install-deps test installs them)"
  exit 0
fi
if ! command -v node >/dev/null; then
  echo "leakaudit-test-skipped: node is not installed (.ci/install-deps test installs it)"
  exit 0
fi

# Inputs documented: each appears as `name` in README's action table.
for input in $("$python" -c 'import sys, yaml; print(" ".join(yaml.safe_load(open(sys.argv[1]))["inputs"]))' "$src/action.yml"); do
  grep -q "^| \`$input\` |" "$src/README.md" || fail "input '$input' is not in README.md's GitHub Action table"
done

# The example workflow passes only inputs the action has, and both CI examples parse.
"$python" - "$src/action.yml" "$src/examples/ci/github-actions.yml" "$src/examples/ci/gitlab-ci.yml" <<'PY' || fail "examples/ci does not match action.yml"
import sys, yaml
inputs = set(yaml.safe_load(open(sys.argv[1]))["inputs"])
workflow = yaml.safe_load(open(sys.argv[2]))
yaml.safe_load(open(sys.argv[3]))
steps = [s for job in workflow["jobs"].values() for s in job["steps"] if "leakaudit" in s.get("uses", "")]
assert steps, "the workflow does not use the action"
for step in steps:
    unknown = set(step.get("with", {})) - inputs
    assert not unknown, f"unknown inputs {unknown}"
PY

project=$work/project
mkdir -p "$project/kits"
cp -r "$src/examples" "$project/"
cp -r "$src/kits/node" "$project/kits/"
printf '{"name":"example-plugins","private":true,"type":"module"}\n' >"$project/package.json"

LEAKAUDIT_ACTION_CACHE=$work/cache timeout 1200 "$python" "$here/run_composite.py" "$src" "$project" "$work/artifacts" \
  "command=node examples/node/harness-kit.mjs examples/node/plugins/leak-host-listener.mjs" \
  fail-on=warning >"$work/log" 2>&1
rc=$?
cat "$work/log"
echo "job exit status: $rc"

[ "$rc" -ne 0 ] || fail "the job passed although the plugin leaks"
ls "$work"/cache/*/bin/leakaudit >/dev/null 2>&1 || fail "leakaudit was not built into the action's cache folder"
grep -q '^--- step: Build leakaudit$' "$work/log" || fail "the build step did not run"
grep -q '^::warning file=examples/node/plugins/leak-host-listener.mjs,line=5,' "$work/log" ||
  fail "no annotation with file= and line= for the leaked listener"
grep -qx 'output exit-code=1' "$work/log" || fail "the exit-code output is not 1"
report=$work/artifacts/leakaudit-report/leakaudit-report.json
junit=$work/artifacts/leakaudit-report/leakaudit-report.junit.xml
[ -f "$report" ] || fail "the JSON report was not uploaded"
[ -f "$junit" ] || fail "the JUnit file was not uploaded"
if [ -f "$report" ]; then
  "$python" - "$src/schema/report.schema.json" "$report" <<'PY' || fail "the uploaded JSON report does not validate"
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))
report = json.load(open(sys.argv[2]))
assert any(f["kind"] == "listener" for f in report["findings"]), "no listener finding"
PY
fi
grep -q '^junit: [0-9]* test cases, [1-9][0-9]* failed$' "$work/log" || fail "the JUnit file was not published with a failure"
grep -q 'leakaudit: exit 1' "$work/artifacts/step-summary.md" 2>/dev/null || fail "the job summary does not say exit 1"

[ "$failures" -eq 0 ] && echo "ok: the action's steps build, audit, annotate, upload and fail the job"
exit "$((failures > 0))"
