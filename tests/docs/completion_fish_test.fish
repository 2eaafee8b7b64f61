# fish completion, exercised with fish's own `complete -C` on the given command lines.
# usage: fish --no-config completion_fish_test.fish COMPLETION_FILE [LEAKAUDIT_BINARY]
# With a binary (a build tree's), pack names come from it when it is the command completed.
set -l file (realpath $argv[1])
set -l bin $argv[2]
fish -n $file; or begin; echo "FAIL: fish -n $file"; exit 1; end
set -l work (mktemp -d)
mkdir -p $work/packs $work/cwd/adir
touch $work/packs/mypack.toml $work/packs/otherpack.toml $work/cwd/afile.json
set -gx LEAKAUDIT_RULES_DIR $work/packs
cd $work/cwd
source $file

set -g failures 0
# expect EXPECTED LINE: the candidates (sorted, descriptions dropped) are exactly EXPECTED.
function expect
    set -l got (complete -C $argv[2] | string replace -r '\t.*' '' | sort -u | string join ' ')
    if test "$got" = $argv[1]
        echo "ok: '$argv[2]' -> $got"
    else
        echo "FAIL: '$argv[2]': expected '$argv[1]', got '$got'"
        set -g failures (math $failures + 1)
    end
end
# expect_has WANTED LINE: WANTED is among the candidates.
function expect_has
    if contains -- $argv[1] (complete -C $argv[2] | string replace -r '\t.*' '')
        echo "ok: '$argv[2]' has $argv[1]"
    else
        echo "FAIL: '$argv[2]': expected $argv[1] among the candidates"
        set -g failures (math $failures + 1)
    end
end

expect "rules run" "leakaudit r"
expect "attach diff rules run snapshot" "leakaudit "
expect "--fail-on" "leakaudit run --fa"
expect "error info warning" "leakaudit run --fail-on "
expect "github none" "leakaudit diff --annotations "
expect "check packs" "leakaudit rules "
expect_has mypack "leakaudit run --rules "
expect_has afile.json "leakaudit run --rules "
expect_has otherpack "leakaudit rules check "
expect "adir/" "leakaudit run --watch "
expect "afile.json" "leakaudit run --json af"
expect "--reap" "leakaudit diff --re"
expect "--pid" "leakaudit snapshot --p"
expect_has echo "leakaudit run --rules node -- ech"
expect_has --version "leakaudit --"

# The build tree's binary finds its packs beside it: completed as that path, its packs
# come without LEAKAUDIT_RULES_DIR or an install.
if test -n "$bin"
    set -e LEAKAUDIT_RULES_DIR
    expect_has node "$bin run --rules "
    expect_has chromium "$bin rules check "
end

rm -rf $work
test $failures -eq 0
