// Findings that one call of the user's code made: a forgotten browser.close() leaves the
// browser process, its websocket and the library's process listeners, all created below
// one line of the plugin. Reports group them by that line, the finding's *user site*
// (README, "Reports for CI"), so the user sees one thing to fix.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/report.hpp"

namespace leakaudit {

// Whether a stack location ("plugins/a.mjs:5", "/srv/app/x.js:3") is the user's own code:
// not under node_modules, not node's internals (`node:`, `internal/`), not WebAssembly.
bool is_user_location(std::string_view location);

// The first frame of a creation site in the user's code, as "file:line" (relative to the
// process's working folder where the kit made it so): the kit's user frame when it is
// one, else the first such part of the one-line site. nullopt when every frame is a
// library's or node's.
std::optional<std::string> user_site(const SourceSite& where);

// A finding's user site: a handle's or listener's, a process's whose spawn the Node kit
// recorded, or a temp entry's the kit saw made (core/tmp_sites.hpp). Findings without a
// creation site (processes nothing recorded, the harness) have none and stay ungrouped.
std::optional<std::string> user_site(const Finding& finding);

// The findings of one user site, in report order (indexes into the list given).
struct FindingGroup {
    std::string site;
    std::vector<std::size_t> members;
};

// Groups of two or more findings that share a user site, ordered by their first member.
// A finding in none of them prints as it always did.
std::vector<FindingGroup> group_by_user_site(const std::vector<const Finding*>& findings);

// How many separate places the findings come from: each group once, each finding in no
// group once.
std::size_t site_count(const std::vector<const Finding*>& findings);

// The frames of a finding's site before the user's call ("via" in the reports): where
// in the library the leak was made; "" when there are none.
std::string frames_before(const Finding& finding, const std::string& user);

// How many sites the reported findings (not the ignored ones) come from, when some share
// one and none were left out of the report; nullopt: the summary says nothing of sites.
std::optional<std::size_t> reported_sites(const Report& report);

}  // namespace leakaudit
