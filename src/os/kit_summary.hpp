// The Node kit's live summary on disk (kits/node/PROTOCOL.md, "The live summary"): asked
// for by renaming `summary-request` into the kit folder, answered by each Node process
// with `<pid>.summary`, written atomically. Only reads and acts; core/kit_summary judges.
#pragma once

#include <string>
#include <vector>

namespace leakaudit::os {

// Replaces `summary-request` in the kit folder (a temp file renamed into place). False
// when it could not be written; the status line then goes without the kit.
bool request_kit_summary(const std::string& dir);

// The text of `<pid>.summary` for each pid that has one: regular, this user's, not a link,
// at most `limit` bytes (a larger file is left out).
std::vector<std::string> read_kit_summaries(const std::string& dir, const std::vector<int>& pids, std::size_t limit);

}  // namespace leakaudit::os
