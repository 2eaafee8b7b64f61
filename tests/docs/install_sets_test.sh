#!/usr/bin/env bash
# Building needs the build packages only: `.ci/install-deps build` lists no test-only
# package, and what builds (.ci/build, so .ci/try, and the GitHub Action) asks for that
# set; the test command asks for the test set.
# usage: install_sets_test.sh SOURCE_DIR
set -uo pipefail
src=$1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

build=$(bash "$src/.ci/install-deps" build --list) || fail "install-deps build --list failed"
test=$(bash "$src/.ci/install-deps" test --list) || fail "install-deps test --list failed"
for p in chromium zsh fish catch2 python3-jsonschema lsof nodejs; do
  grep -qx "$p" <<<"$build" && fail "the build set installs $p"
  grep -qx "$p" <<<"$test" || fail "the test set lacks $p"
done
for p in g++ cmake libproc2-dev; do
  grep -qx "$p" <<<"$build" || fail "the build set lacks $p"
done
grep -q 'install-deps$' "$src/.ci/build" || fail ".ci/build does not install the build set only"
grep -q 'bash .ci/build' "$src/.ci/try" || fail ".ci/try does not build with .ci/build"
grep -q 'install-deps test' "$src/.ci/try" && fail ".ci/try installs the test set"
grep -q 'install-deps" build' "$src/action.yml" || fail "the action does not install the build set"
grep -q 'install-deps test' "$src/.ci/test" || fail ".ci/test does not install the test set"
bash "$src/.ci/install-deps" nonsense >/dev/null 2>&1
[ $? -eq 2 ] || fail "install-deps with an unknown set does not exit 2"

[ "$failures" -eq 0 ] && echo "ok: build and test package sets are apart"
exit "$((failures > 0))"
