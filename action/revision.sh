#!/usr/bin/env bash
# Prints GitHub step outputs naming this revision of leakaudit: `key` (the cache key: the
# sources' hash and the runner's OS release, since the binary links its libraries),
# `prefix` (where the build is installed and cached) and `revision`.
set -euo pipefail
root=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"
# An action checkout has no .git: hash what the build reads.
sources=$(for d in CMakeLists.txt src rules schema kits man completions cmake; do
  [ -e "$d" ] && echo "$d"
done)
revision=$(find $sources -type f -not -path '*/node_modules/*' -print0 | LC_ALL=C sort -z |
  xargs -0 sha256sum | sha256sum | cut -c1-16)
. /etc/os-release
os="${ID:-linux}-${VERSION_ID:-unknown}-$(uname -m)"
echo "revision=$revision"
echo "key=leakaudit-$os-$revision"
echo "prefix=${LEAKAUDIT_ACTION_CACHE:-$HOME/.cache/leakaudit-action}/$os-$revision"
