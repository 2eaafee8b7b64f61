#!/usr/bin/env bash
# Every option a command's --help prints is documented in the man page and offered by
# each shell completion, so the docs cannot silently fall behind the CLI.
# usage: options_documented_test.sh LEAKAUDIT MAN_PAGE COMPLETIONS_DIR
set -uo pipefail
leakaudit=$1
man_page=$2
completions=$3

# The man page as text, with troff's \- turned back into -.
man_text=$(sed 's/\\-/-/g' "$man_page")
failures=0
check() {  # check WHERE TEXT OPTION
    if ! grep -qe "$3\b" <<<"$2"; then
        echo "FAIL: $3 is not in $1"
        failures=$((failures + 1))
    fi
}

for command in "run" "attach" "snapshot" "diff" "rules check" "rules packs"; do
    # shellcheck disable=SC2086
    if ! help=$("$leakaudit" $command --help 2>&1); then
        echo "FAIL: 'leakaudit $command --help' failed: $help"
        failures=$((failures + 1))
        continue
    fi
    # Examples name the harness's own options too (`node --test`): only the option list counts.
    options=$(sed '/^Examples:/,$d' <<<"$help" | grep -oE '(^|[ ,])--?[a-z][a-z-]*' | tr -d ' ,' | sort -u)
    for option in $options; do
        [[ $option == --help || $option == -h ]] && continue
        check "man/leakaudit.1" "$man_text" "$option"
        for file in leakaudit.bash _leakaudit leakaudit.fish; do
            text=$(<"$completions/$file")
            # fish spells options as `-l name` / `-s n`.
            [[ $file == *.fish ]] && text=$(sed -E 's/ -l ([a-z-]+)/ --\1/g; s/ -s ([a-z])/ -\1/g' <<<"$text")
            check "completions/$file" "$text" "$option"
        done
    done
    echo "checked: leakaudit $command ($(wc -w <<<"$options") options)"
done
[[ $failures -eq 0 ]]
