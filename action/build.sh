#!/usr/bin/env bash
# Builds leakaudit (Release, no tests) from the action's checkout and installs it into
# PREFIX, the folder the action caches. The build folder is temporary.
set -euo pipefail
prefix=${1:?usage: build.sh PREFIX}
root=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
build=$(mktemp -d "${RUNNER_TEMP:-/tmp}/leakaudit-build.XXXXXX")
trap 'rm -rf "$build"' EXIT
# -O2, not CMake's -O3: GCC 12 warns falsely (-Wrestrict) on std::string at -O3.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
  -DLEAKAUDIT_BUILD_TESTS=OFF -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build "$build" -j"$(nproc)" --target leakaudit
cmake --install "$build" >/dev/null
"$prefix/bin/leakaudit" --version
