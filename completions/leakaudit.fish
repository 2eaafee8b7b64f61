# fish completion for leakaudit(1). Installed as
# share/fish/vendor_completions.d/leakaudit.fish.

# Rule pack names. The leakaudit being completed knows where its packs are (beside it in
# a build tree, or installed): ask it (`rules packs`, first column). Without a runnable
# leakaudit: *.toml basenames in $LEAKAUDIT_RULES_DIR and the installed pack dirs.
function __leakaudit_packs
    set -l cmd (commandline -opc)[1]
    set cmd (string replace -r '^~/' "$HOME/" -- $cmd)
    if test (string replace -r '.*/' '' -- $cmd) = leakaudit
        and command -q $cmd
        set -l listed ($cmd rules packs 2>/dev/null | string replace -r ' .*' '')
        if test (count $listed) -gt 0
            printf '%s\n' $listed
            return
        end
    end
    for dir in $LEAKAUDIT_RULES_DIR /usr/local/share/leakaudit/rules /usr/share/leakaudit/rules
        for file in $dir/*.toml
            test -f $file; and string replace -r '.*/(.*)\.toml$' '$1' -- $file
        end
    end
end

# True once the command line has a lone `--` before the cursor (run's harness command).
function __leakaudit_after_separator
    contains -- -- (commandline -opc)
end

# Completes what follows `--` as a command line of its own.
function __leakaudit_harness_command
    set -l tokens (commandline -opc)
    set -l at (contains -i -- -- $tokens)
    set -l rest $tokens[(math $at + 1)..-1]
    complete -C (string join ' ' -- (string escape -- $rest) (commandline -ct))
end

# True when the subcommand is one of $argv and no `--` came yet.
function __leakaudit_in
    __fish_seen_subcommand_from $argv; and not __leakaudit_after_separator
end

function __leakaudit_rules_needs_command
    __fish_seen_subcommand_from rules; and not __fish_seen_subcommand_from check packs
end

set -l commands run attach snapshot diff rules
complete -c leakaudit -f

# leakaudit COMMAND
complete -c leakaudit -n "not __fish_seen_subcommand_from $commands" -l version -d 'Print the version'
complete -c leakaudit -n "not __fish_seen_subcommand_from $commands" -l help -d 'Print help'
complete -c leakaudit -n "not __fish_seen_subcommand_from $commands" -a run -d 'Audit one harness run'
complete -c leakaudit -n "not __fish_seen_subcommand_from $commands" -a attach -d 'Watch a running plugin host, report on Enter'
complete -c leakaudit -n "not __fish_seen_subcommand_from $commands" -a snapshot -d 'Write the current state as JSON'
complete -c leakaudit -n "not __fish_seen_subcommand_from $commands" -a diff -d 'Compare two snapshots'
complete -c leakaudit -n "not __fish_seen_subcommand_from $commands" -a rules -d 'Check rule files, list packs'

# run: its own options, then `--` and the harness command
complete -c leakaudit -n '__leakaudit_in run' -l rules -r -F -a '(__leakaudit_packs)' -d 'Rules file or pack'
complete -c leakaudit -n '__leakaudit_in run' -l timeout -x -d 'Kill the harness after DURATION'
complete -c leakaudit -n '__leakaudit_in run' -l grace -x -d 'Wait DURATION for leftovers (default 2s)'
complete -c leakaudit -n '__leakaudit_in run' -l exit-timeout -x -d 'After stopped, wait DURATION (default 5s)'
complete -c leakaudit -n '__leakaudit_in run' -l watch -x -a '(__fish_complete_directories)' -d 'Temp folder to watch'
complete -c leakaudit -n '__leakaudit_in run' -l node -d 'Preload the Node kit: handles and listeners with their site'
complete -c leakaudit -n '__leakaudit_in run' -l no-node -d 'Do not preload the Node kit'
complete -c leakaudit -n '__leakaudit_in run' -l keep -d 'Do not reap leaked processes'
complete -c leakaudit -n '__leakaudit_in run' -l clean-tmp -d "Delete the run's leaked temp entries"
complete -c leakaudit -n '__leakaudit_in run' -l cycles -x -a '3 5 10 20' -d 'Ask the harness for N start/stop cycles, judge growth'
complete -c leakaudit -n '__leakaudit_in run' -l warmup -x -a '0 1 2 3' -d 'Cycles not judged for growth (default 2)'
complete -c leakaudit -n '__fish_seen_subcommand_from run; and __leakaudit_after_separator' -x -a '(__leakaudit_harness_command)'

# diff: BEFORE.json [AFTER.json] and its scope
complete -c leakaudit -n '__leakaudit_in diff' -F
complete -c leakaudit -n '__leakaudit_in diff' -l pid -x -a '(__fish_complete_pids)' -d 'Plugin host process'
complete -c leakaudit -n '__leakaudit_in diff' -l user -x -a '(__fish_complete_users)' -d 'Only what USER owns'
complete -c leakaudit -n '__leakaudit_in diff' -l rules -r -F -a '(__leakaudit_packs)' -d 'Rules file or pack'
complete -c leakaudit -n '__leakaudit_in diff' -l watch -x -a '(__fish_complete_directories)' -d 'Temp folder to watch'
complete -c leakaudit -n '__leakaudit_in diff' -l reap -d 'Terminate the leaked processes found'

# attach PID
complete -c leakaudit -n '__leakaudit_in attach' -x -a '(__fish_complete_pids)'
complete -c leakaudit -n '__leakaudit_in attach' -l rules -r -F -a '(__leakaudit_packs)' -d 'Rules file or pack'
complete -c leakaudit -n '__leakaudit_in attach' -l watch -x -a '(__fish_complete_directories)' -d 'Temp folder to watch'
complete -c leakaudit -n '__leakaudit_in attach' -l control -r -F -d 'Make a FIFO for started/stopped lines'
complete -c leakaudit -n '__leakaudit_in attach' -l until-exit -d 'Also report when PID exits'
complete -c leakaudit -n '__leakaudit_in attach' -l grace -x -d 'With --until-exit: wait DURATION for leftovers'
complete -c leakaudit -n '__leakaudit_in attach' -l reap -d 'Terminate what was proven created below PID'

# run, attach and diff: how findings are reported
complete -c leakaudit -n '__leakaudit_in run attach diff' -l fail-on -x -a 'info warning error' -d 'Lowest severity that fails'
complete -c leakaudit -n '__leakaudit_in run attach diff' -l json -r -F -d 'Write the JSON report (- for stdout)'
complete -c leakaudit -n '__leakaudit_in run attach diff' -l junit -r -F -d 'Write a JUnit XML report'
complete -c leakaudit -n '__leakaudit_in run attach diff' -l html -r -F -d 'Write a self-contained HTML report'
complete -c leakaudit -n '__leakaudit_in run attach diff' -l annotations -x -a 'github none' -d 'Print CI annotations'
complete -c leakaudit -n '__leakaudit_in run attach diff' -s q -l quiet -d 'Print only the summary line'
complete -c leakaudit -n '__leakaudit_in run attach diff' -l no-color -d 'No colour'
complete -c leakaudit -n '__leakaudit_in run attach diff' -l show-ignored -d 'Also list ignored findings'
complete -c leakaudit -n '__leakaudit_in run attach diff' -l suggest-rules -d 'Print rules that would silence the findings'
complete -c leakaudit -n '__leakaudit_in run attach diff' -l no-redact -d 'Show secrets instead of ***'

# snapshot
complete -c leakaudit -n '__leakaudit_in snapshot' -s o -l output -r -F -d 'Write the snapshot to FILE'
complete -c leakaudit -n '__leakaudit_in snapshot' -l pid -x -a '(__fish_complete_pids)' -d 'Scan descriptors of PID'
complete -c leakaudit -n '__leakaudit_in snapshot' -l watch -x -a '(__fish_complete_directories)' -d 'Temp folder to record'
complete -c leakaudit -n '__leakaudit_in snapshot' -l no-redact -d 'Keep secrets instead of writing ***'

# rules check|packs
complete -c leakaudit -n __leakaudit_rules_needs_command -a check -d 'Validate rule files, print the merged result'
complete -c leakaudit -n __leakaudit_rules_needs_command -a packs -d 'List the shipped rule packs'
complete -c leakaudit -n '__fish_seen_subcommand_from check' -F -a '(__leakaudit_packs)' -d 'Rule pack'

complete -c leakaudit -n "__leakaudit_in $commands" -l help -d 'Print help'
