// A finding's name for CI systems that track test history by name (JUnit test cases):
// the same leak gets the same name in every run (README, "Reports for CI").
#pragma once

#include <string>

#include "core/finding.hpp"

namespace leakaudit {

// What leaked and where, with nothing that changes run to run (no pid, port, fd number,
// random suffix): a process's command name, a temp entry's folded path, a handle's type,
// a listener's emitter and event, then " at " and the user site where there is one.
// "sleep at plugins/leak-child.mjs:4", "folder /tmp/leak-tmp-plugin-*".
std::string stable_label(const Finding& finding);

// The finding's id and its stable label: "process:40ddb04b sleep at plugins/leak-child.mjs:4".
std::string stable_name(const Finding& finding);

}  // namespace leakaudit
