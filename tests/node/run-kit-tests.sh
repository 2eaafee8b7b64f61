#!/usr/bin/env bash
# Runs the Node kit's tests (kits/node/test, `node --test`). With `--runners`, instead
# installs this folder's npm project (node-cron, Vitest, Jest, Mocha; package-lock.json)
# into a copy under WORK_DIR with `npm ci` and runs the test-runner scenarios and the
# plugin scenarios (whose node-cron ones skip without the install).
# usage: run-kit-tests.sh SOURCE_DIR WORK_DIR [--runners]
# Exit 77 (skipped) when node or npm is missing or the install fails (no registry).
set -euo pipefail
src=$1
work=$2
mode=${3:-}
command -v node >/dev/null || { echo "SKIP: node not found"; exit 77; }

project=$work/node-test-project
mkdir -p "$project"
# The scenarios and their lockfile; node_modules is installed here, not in the sources.
cp -R "$src/tests/node/package.json" "$src/tests/node/package-lock.json" "$src/tests/node/jest.config.cjs" \
      "$src/tests/node/plugin" "$src/tests/node/runners" "$project/"
export LEAKAUDIT_NODE_TEST_PROJECT=$project

if [ "$mode" = --runners ]; then
  command -v npm >/dev/null || { echo "SKIP: npm not found"; exit 77; }
  if ! (cd "$project" && npm ci --no-audit --no-fund --loglevel=error); then
    echo "SKIP: npm ci failed in $project (no registry?)"
    exit 77
  fi
  # The plugin scenarios again, now with node-cron installed for the cron ones.
  exec node --test "$src/kits/node/test/runners.test.mjs" "$src/kits/node/test/plugins.test.mjs"
fi
# Everything but the runner scenarios (which need the npm install).
exec node --test "$src/kits/node/test/plugins.test.mjs" "$src/kits/node/test/channel.test.mjs" "$src/kits/node/test/cycles.test.mjs" \
    "$src/kits/node/test/package.test.mjs"
