# bash completion for leakaudit(1)                              -*- shell-script -*-
# Installed as share/bash-completion/completions/leakaudit. Uses bash-completion's
# helpers (_filedir, _command_offset, _pids) when loaded, plain compgen otherwise.

# Rule pack names. The leakaudit being completed knows where its packs are (beside it in
# a build tree, or installed): ask it (`rules packs`, first column). Without a runnable
# leakaudit: *.toml basenames in $LEAKAUDIT_RULES_DIR and the installed pack dirs.
_leakaudit_packs()
{
    local cmd=${COMP_WORDS[0]-leakaudit} dir file name rest listed=""
    [[ $cmd == "~/"* ]] && cmd=$HOME/${cmd#"~/"}
    if [[ ${cmd##*/} == leakaudit ]] && type -P "$cmd" >/dev/null 2>&1; then
        listed=$("$cmd" rules packs 2>/dev/null | while read -r name rest; do printf '%s\n' "$name"; done)
    fi
    if [[ -n $listed ]]; then
        printf '%s\n' "$listed"
        return
    fi
    for dir in ${LEAKAUDIT_RULES_DIR:+"$LEAKAUDIT_RULES_DIR"} \
        /usr/local/share/leakaudit/rules /usr/share/leakaudit/rules; do
        for file in "$dir"/*.toml; do
            [[ -f $file ]] || continue
            file=${file##*/}
            printf '%s\n' "${file%.toml}"
        done
    done
}

# Files (or with -d, directories) matching the current word.
_leakaudit_files()
{
    if declare -F _filedir >/dev/null; then
        _filedir "$@"
        return
    fi
    compopt -o filenames 2>/dev/null
    local IFS=$'\n'
    if [[ ${1-} == -d ]]; then
        COMPREPLY+=($(compgen -d -- "$cur"))
    else
        COMPREPLY+=($(compgen -f -- "$cur"))
    fi
}

_leakaudit_words()
{
    local IFS=$' \t\n'
    COMPREPLY+=($(compgen -W "$1" -- "$cur"))
}

# Completes the value of option $1; returns 1 when $1 takes no value.
_leakaudit_value()
{
    case $1 in
        --rules)
            _leakaudit_words "$(_leakaudit_packs)"
            _leakaudit_files
            ;;
        --fail-on) _leakaudit_words "info warning error" ;;
        --annotations) _leakaudit_words "github none" ;;
        --json | --junit | --html | -o | --output | --control) _leakaudit_files ;;
        --watch) _leakaudit_files -d ;;
        --timeout | --grace | --exit-timeout) _leakaudit_words "500ms 2s 5s 30s 1m 5m 1m30s" ;;
        --cycles) _leakaudit_words "3 5 10 20" ;;
        --warmup) _leakaudit_words "0 1 2 3" ;;
        --pid)
            if declare -F _pids >/dev/null; then
                _pids
            else
                _leakaudit_words "$(cd /proc 2>/dev/null && compgen -G '[0-9]*')"
            fi
            ;;
        --user) COMPREPLY+=($(compgen -u -- "$cur")) ;;
        *) return 1 ;;
    esac
    return 0
}

_leakaudit()
{
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()
    # --opt=value: bash splits at `=` (COMP_WORDBREAKS).
    if [[ $cur == = ]]; then
        cur=""
    elif [[ $prev == = && COMP_CWORD -ge 2 ]]; then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi

    local output="--fail-on --json --junit --html --annotations -q --quiet --no-color --show-ignored
        --suggest-rules --no-redact --help"
    local command=${COMP_WORDS[1]}
    if ((COMP_CWORD == 1)); then
        if [[ $cur == -* ]]; then
            _leakaudit_words "--version --help"
        else
            _leakaudit_words "run attach snapshot diff rules"
        fi
        return
    fi

    local i
    if [[ $command == run ]]; then
        # After `--` comes the harness's own command line.
        for ((i = 2; i < COMP_CWORD; i++)); do
            [[ ${COMP_WORDS[i]} == -- ]] || continue
            if declare -F _command_offset >/dev/null; then
                _command_offset $((i + 1))
            elif ((COMP_CWORD == i + 1)); then
                COMPREPLY=($(compgen -c -- "$cur"))
            else
                _leakaudit_files
            fi
            return
        done
    fi

    _leakaudit_value "$prev" && return

    case $command in
        run)
            if [[ $cur == -* ]]; then
                _leakaudit_words "-- --rules --timeout --grace --exit-timeout --watch --node --no-node --keep --clean-tmp --cycles --warmup $output"
            fi
            ;;
        attach)
            if [[ $cur == -* ]]; then
                _leakaudit_words "--rules --watch --control --until-exit --grace --reap $output"
            elif declare -F _pids >/dev/null; then
                _pids
            else
                _leakaudit_words "$(cd /proc 2>/dev/null && compgen -G '[0-9]*')"
            fi
            ;;
        snapshot)
            _leakaudit_words "-o --output --pid --watch --no-redact --help"
            ;;
        diff)
            if [[ $cur == -* ]]; then
                _leakaudit_words "--pid --user --rules --watch --reap $output"
            else
                _leakaudit_files
            fi
            ;;
        rules)
            if ((COMP_CWORD == 2)); then
                if [[ $cur == -* ]]; then
                    _leakaudit_words "--help"
                else
                    _leakaudit_words "check packs"
                fi
            elif [[ ${COMP_WORDS[2]} == check ]]; then
                if [[ $cur == -* ]]; then
                    _leakaudit_words "--help"
                else
                    _leakaudit_words "$(_leakaudit_packs)"
                    _leakaudit_files
                fi
            elif [[ ${COMP_WORDS[2]} == packs ]]; then
                _leakaudit_words "--help"
            fi
            ;;
    esac
} &&
    complete -F _leakaudit leakaudit

# ex: filetype=sh
