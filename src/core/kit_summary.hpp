// The Node kit's live summary (kits/node/PROTOCOL.md, "The live summary"): what a Node
// process of the run holds now, by kind, for the status line of a long run
// (core/status_line.hpp). Parsed here from the bytes the os layer read, with bounds, and
// turned into the line's "holds 1 setInterval 60000ms (plugins/leak-interval.mjs:12)".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leakaudit {

// One kind of handle: how many, how many keep the event loop alive, and the short detail
// and creation site of the newest (ref'd first).
struct KitHeldKind {
    std::string kind;  // setInterval, setTimeout, server, socket, pipe, child process, …
    long long count = 0;
    long long ref = 0;
    std::string detail;  // "60000ms", "127.0.0.1:43121", "pid 4242"; never arguments
    std::string site;    // "plugins/leak-interval.mjs:12", or "node_modules/x.js:3 ← src/a.mjs:4"
};

struct KitSummary {
    int pid = 0;
    std::int64_t at_ms = 0;          // when the kit wrote it (Unix ms)
    std::vector<KitHeldKind> kinds;  // at most k_summary_kinds
    long long more_kinds = 0;        // kinds the kit left out
};

inline constexpr std::size_t k_summary_kinds = 20;
inline constexpr std::size_t k_summary_bytes = std::size_t{64} * 1024;

// A `<pid>.summary` file's text; nullopt when it is not the kit's (token), not JSON, or
// not a summary. Texts are cut to 200 bytes, kinds to k_summary_kinds. Never throws.
std::optional<KitSummary> parse_kit_summary(std::string_view text, std::string_view token);

// What the run's Node processes hold, kinds merged over processes (counts added; the
// detail and site of the first process that has them), ref'd first, then the largest
// counts: "holds 1 setInterval 60000ms (plugins/leak-interval.mjs:12), 1 server
// 127.0.0.1:43121 (plugins/leak-server.mjs:9)". At most `shown` kinds, then "and N more
// kinds"; a site is its first frame outside node_modules, cut from the left to keep its
// file and line. Empty when nothing is held.
std::string kit_held_text(const std::vector<KitSummary>& summaries, std::size_t shown = 3);

}  // namespace leakaudit
