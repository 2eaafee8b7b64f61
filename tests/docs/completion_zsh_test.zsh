# zsh completion: parses, compinit binds it to leakaudit from its #compdef line, and its
# pack lookup finds $LEAKAUDIT_RULES_DIR's packs (completion builtins stubbed).
# usage: zsh -f completion_zsh_test.zsh COMPLETIONS_DIR [LEAKAUDIT_BINARY]
# With a binary (a build tree's), pack names come from it when it is the command completed.
dir=${1:A}
bin=${2:-}
fail() { print -r -- "FAIL: $*"; exit 1 }

zsh -n $dir/_leakaudit || fail "zsh -n $dir/_leakaudit"
work=$(mktemp -d) || exit 1
trap 'rm -rf $work' EXIT
fpath=($dir $fpath)
autoload -Uz compinit && compinit -u -D -d $work/zcompdump || fail compinit
[[ $_comps[leakaudit] == _leakaudit ]] || fail "compinit bound leakaudit to '$_comps[leakaudit]'"
print "ok: compinit binds leakaudit to _leakaudit"

source $dir/_leakaudit || fail "sourcing _leakaudit"
for f in _leakaudit _leakaudit_packs _leakaudit_run _leakaudit_snapshot _leakaudit_diff _leakaudit_rules; do
  (( $+functions[$f] )) || fail "function $f not defined"
done
print "ok: functions defined"

mkdir $work/packs $work/packs/folder.toml
touch $work/packs/mypack.toml $work/packs/otherpack.toml
_wanted() { shift 3; "$@" }
compadd() { [[ $1 == -a ]] && shift; [[ $1 == - ]] && shift; print -l -- ${(P)1} }
got=$(LEAKAUDIT_RULES_DIR=$work/packs _leakaudit_packs | grep -E "^(mypack|otherpack|folder)$" | sort | paste -sd' ')
[[ $got == "mypack otherpack" ]] || fail "packs: expected 'mypack otherpack', got '$got'"
print "ok: packs -> $got"

if [[ -n $bin ]]; then
  got=$(words=($bin run --rules ''); unset LEAKAUDIT_RULES_DIR; _leakaudit_packs | grep -E "^(node|chromium)$" | sort | paste -sd' ')
  [[ $got == "chromium node" ]] || fail "packs of $bin: expected 'chromium node', got '$got'"
  print "ok: packs of the build tree's binary -> $got"
fi
