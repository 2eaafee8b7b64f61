// One leak, one finding: a socket or pipe the harness holds whose other end a leaked
// process of the run holds (a child's stdio: a unix socket pair, or a pipe) is part of
// that process's leak. It is folded into the process finding, as what connects the
// process to the harness, instead of being reported again as a socket or fd finding. And
// what a hung harness holds is described from the run's side: "unix socket pair to
// child 4242 (sleep)" rather than "unix (unnamed) established".
#pragma once

#include <vector>

#include "core/finding.hpp"
#include "core/report.hpp"

namespace leakaudit {

// Moves each checkpoint socket/fd finding whose peer (unix socket: the peer inode;
// pipe: the same inode) a process finding's process holds into that finding's
// resources ("connected to the harness by a unix socket pair (harness fd 21)"), and drops
// the process's own view of the same connection. The Node kit's handle of the same child
// ("child pid 4242: …") is folded in too: the process finding takes its creation site.
// Other findings stay as they are.
void fold_peer_findings(std::vector<Finding>& findings);

// What the harness holds, for a hang or an interrupt: like held_resources, but a socket or
// pipe whose other end another process of the run holds is named by that process. `run`:
// the run's other live processes, with their descriptors.
std::vector<HeldResource> harness_held_resources(const Process& harness, const std::vector<Process>& run,
                                                 const Snapshot& sockets);

// A child of the harness as os::describe_children names it ("child 4243 sleep 300"), as
// a resource a hung harness holds: `child_pid` is 4243.
HeldResource held_child(const std::string& description);

// One leak, one finding, for a hang: when the harness timed out or never exited after
// `stopped`, and what keeps it alive is all leaks with findings of their own, the hang is
// their doing: the `harness` finding is dropped, and each of them says it kept the harness
// alive. Those leaks are processes of the run (their stdio pipes and socket pairs, or the
// children themselves; such a finding also takes the links to it) and handles the Node
// kit reported as ref'd, none of them ignored by a rule (so this runs after the rules) (a timer, a server: one alone keeps an event loop alive; a
// listening socket the harness holds is a reported server's when the ports match, and a
// child is explained by the handles reported in it, as a test runner's test file).
// Anything else held (a socket or file no finding explains, a process without a finding,
// or nothing known at all) keeps the hang its own finding. The exit code does not change:
// the harness still failed (README "Exit codes").
// Under a test runner (`command`), each such finding's hint also says to add the runner's
// force-exit flag, as the hang's did (core/harness_findings.hpp, force_exit_hint).
void fold_hang_into_leaks(std::vector<Finding>& findings, const HarnessOutcome& outcome,
                          const std::vector<std::string>& command = {});

// "3 × unix socket pair to child 4242 (sleep), tcp 127.0.0.1:8080 listen": distinct texts
// in first-seen order, repeats counted; the leading "holds " dropped.
std::vector<std::string> counted_texts(const std::vector<HeldResource>& held);

}  // namespace leakaudit
