#!/usr/bin/env bash
# Drives completions/leakaudit.bash the way bash does (COMP_WORDS, COMP_CWORD, then the
# completion function) and checks COMPREPLY. Mode `bare` runs it alone, mode
# `bash-completion` with the bash-completion package's helpers loaded first.
# usage: completion_bash_test.sh COMPLETION_FILE bare|bash-completion [LEAKAUDIT_BINARY]
# With a binary (a build tree's), pack names come from it when it is the command completed.
set -uo pipefail

file=$(realpath "$1")
mode=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/packs" "$work/cwd/adir"
touch "$work/packs/mypack.toml" "$work/packs/otherpack.toml" "$work/cwd/afile.json"
export LEAKAUDIT_RULES_DIR=$work/packs
cd "$work/cwd" || exit 1

if [[ $mode == bash-completion ]]; then
    # shellcheck disable=SC1091
    source /usr/share/bash-completion/bash_completion || exit 1
fi
# shellcheck disable=SC1090
source "$file" || exit 1
complete -p leakaudit >/dev/null || { echo "FAIL: no completion registered for leakaudit"; exit 1; }

# Completes the last of the given words; prints the sorted candidates on one line.
complete_words() {
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _leakaudit leakaudit "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
    printf '%s\n' "${COMPREPLY[@]}" | sort -u | paste -sd' ' -
}

failures=0
# expect EXPECTED WORD...: the candidates are exactly EXPECTED.
expect() {
    local expected=$1 got
    shift
    got=$(complete_words "$@")
    if [[ $got == "$expected" ]]; then
        echo "ok: '$*' -> $got"
    else
        echo "FAIL: '$*': expected '$expected', got '$got'"
        failures=$((failures + 1))
    fi
}
# expect_has WANTED WORD...: WANTED is among the candidates.
expect_has() {
    local wanted=$1 got
    shift
    got=" $(complete_words "$@") "
    if [[ $got == *" $wanted "* ]]; then
        echo "ok: '$*' has $wanted"
    else
        echo "FAIL: '$*': expected $wanted among '$got'"
        failures=$((failures + 1))
    fi
}

expect "rules run" leakaudit r
expect "attach diff rules run snapshot" leakaudit ""
expect "--version" leakaudit --v
expect "--fail-on" leakaudit run --fa
expect "error info warning" leakaudit run --fail-on ""
expect "warning" leakaudit run --fail-on = w
expect "github none" leakaudit run --annotations ""
expect "check packs" leakaudit rules ""
expect "mypack" leakaudit run --rules my
expect_has otherpack leakaudit run --rules ""
expect_has afile.json leakaudit run --rules ""
expect_has otherpack leakaudit rules check ""
expect "adir" leakaudit run --watch ""
expect "afile.json" leakaudit run --json af
expect "--junit" leakaudit diff --ju
expect "--reap" leakaudit diff --re
expect "--keep" leakaudit run --ke
expect "--exit-timeout" leakaudit run --exi
expect "--help --no-redact --output --pid --watch -o" leakaudit snapshot -
expect "afile.json" leakaudit diff af
expect_has echo leakaudit run --rules node -- ech
expect_has --suggest-rules leakaudit run --
expect_has --no-redact leakaudit diff --
expect "" leakaudit run --grace 2s --no-such

# The build tree's binary finds its packs beside it: completed as that path, its packs
# come without LEAKAUDIT_RULES_DIR or an install.
if [[ -n ${3-} ]]; then
    unset LEAKAUDIT_RULES_DIR
    expect_has node "$3" run --rules ""
    expect_has chromium "$3" rules check ""
    expect "node" "$3" run --rules no
fi

[[ $failures -eq 0 ]] || { echo "$failures failure(s) in mode $mode"; exit 1; }
