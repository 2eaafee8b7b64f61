#!/usr/bin/env bash
# `cmake --install` into a fresh prefix, then the installed binary runs from there: it
# finds its rule packs as <prefix>/share/leakaudit/rules, relative to itself.
# usage: install_test.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
mkdir -p "$work/cwd"
cd "$work/cwd"   # no ./leakaudit.toml here
unset LEAKAUDIT_RULES_DIR

cmake --install "$build" --prefix "$prefix" >/dev/null
for file in bin/leakaudit share/man/man1/leakaudit.1 share/bash-completion/completions/leakaudit \
    share/zsh/vendor-completions/_leakaudit share/fish/vendor_completions.d/leakaudit.fish \
    share/leakaudit/rules/node.toml share/leakaudit/rules/default.toml \
    share/leakaudit/schema/report.schema.json share/leakaudit/node/preload.cjs \
    share/leakaudit/node/index.mjs share/leakaudit/node/index.cjs share/leakaudit/node/package.json \
    share/leakaudit/node/PROTOCOL.md; do
    [[ -f $prefix/$file ]] || { echo "FAIL: not installed: $file"; exit 1; }
done
echo "ok: installed files present"
for dir in test test-support node_modules; do
    [[ ! -e $prefix/share/leakaudit/node/$dir ]] || { echo "FAIL: the Node kit's $dir was installed"; exit 1; }
done
if command -v node >/dev/null; then
    # The installed kit loads as leakaudit preloads it; without leakaudit's variables it does nothing.
    out=$(node --require "$prefix/share/leakaudit/node/preload.cjs" -e 'console.log("kit ok")')
    [[ $out == "kit ok" ]] || { echo "FAIL: node with the installed preload said '$out'"; exit 1; }
    echo "ok: the installed Node kit preloads"
fi

version=$("$prefix/bin/leakaudit" --version)
[[ $version == "leakaudit "* ]] || { echo "FAIL: --version said '$version'"; exit 1; }
echo "ok: --version -> $version"

"$prefix/bin/leakaudit" run --rules node -- true || { echo "FAIL: run --rules node -- true exited $?"; exit 1; }
echo "ok: run --rules node -- true exits 0"

packs=$("$prefix/bin/leakaudit" rules packs)
grep -qw node <<<"$packs" || { echo "FAIL: rules packs does not list node:"; echo "$packs"; exit 1; }
grep -q "$prefix/share/leakaudit/rules" <<<"$packs" ||
    { echo "FAIL: rules packs does not name the installed folder:"; echo "$packs"; exit 1; }
echo "ok: rules packs lists node from $prefix/share/leakaudit/rules"

# Bash completion of pack names, as installed, for the installed binary at a prefix
# that is not /usr: the completion asks that binary.
comp=$(bash -c '
    source "$1/share/bash-completion/completions/leakaudit"
    COMP_WORDS=("$1/bin/leakaudit" run --rules "")
    COMP_CWORD=3
    COMPREPLY=()
    _leakaudit leakaudit "" --rules
    printf "%s\n" "${COMPREPLY[@]}"' _ "$prefix")
grep -qx python <<<"$comp" || { echo "FAIL: installed completion did not offer the python pack:"; echo "$comp"; exit 1; }
echo "ok: the installed bash completion offers the installed packs"
