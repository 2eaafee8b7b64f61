// The user site is read off what the Node kit recorded; nothing is guessed from names.
#include "core/finding_group.hpp"

#include <map>

namespace leakaudit {

namespace {

constexpr std::string_view k_site_separator = " ← ";

bool has_line(std::string_view location) {
    std::size_t colon = location.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == location.size()) return false;
    for (std::size_t i = colon + 1; i < location.size(); ++i) {
        if (location[i] < '0' || location[i] > '9') return false;
    }
    return true;
}

}  // namespace

bool is_user_location(std::string_view location) {
    if (location.empty() || location.starts_with("node:") || location.starts_with("internal/") ||
        location.starts_with("wasm:") || location.starts_with("<"))
        return false;
    if (location.starts_with("node_modules/") || location.find("/node_modules/") != std::string_view::npos)
        return false;
    return true;
}

std::optional<std::string> user_site(const SourceSite& where) {
    if (!where.user_file.empty() && where.user_line > 0 && is_user_location(where.user_file))
        return where.user_file + ":" + std::to_string(where.user_line);
    std::string_view rest = where.site;
    while (!rest.empty()) {
        std::size_t cut = rest.find(k_site_separator);
        std::string_view part = rest.substr(0, cut);
        if (is_user_location(part) && has_line(part)) return std::string(part);
        if (cut == std::string_view::npos) break;
        rest.remove_prefix(cut + k_site_separator.size());
    }
    return std::nullopt;
}

std::optional<std::string> user_site(const Finding& finding) {
    const SourceSite* where = recorded_site(finding);
    return where ? user_site(*where) : std::nullopt;
}

std::vector<FindingGroup> group_by_user_site(const std::vector<const Finding*>& findings) {
    std::vector<FindingGroup> groups;
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < findings.size(); ++i) {
        std::optional<std::string> site = user_site(*findings[i]);
        if (!site) continue;
        auto [at, fresh] = index.emplace(*site, groups.size());
        if (fresh) groups.push_back({*site, {}});
        groups[at->second].members.push_back(i);
    }
    std::erase_if(groups, [](const FindingGroup& g) { return g.members.size() < 2; });
    return groups;
}

std::size_t site_count(const std::vector<const Finding*>& findings) {
    std::size_t grouped = 0;
    std::vector<FindingGroup> groups = group_by_user_site(findings);
    for (const FindingGroup& g : groups)
        grouped += g.members.size();
    return findings.size() - grouped + groups.size();
}

std::string frames_before(const Finding& finding, const std::string& user) {
    const SourceSite* where = recorded_site(finding);
    if (!where) return "";
    std::size_t at = where->site.find(user);
    if (at == std::string::npos || at < 3) return "";
    std::string before = where->site.substr(0, at);
    if (before.ends_with(k_site_separator)) before.resize(before.size() - k_site_separator.size());
    return before;
}

std::optional<std::size_t> reported_sites(const Report& r) {
    if (!r.omitted.empty()) return std::nullopt;
    std::vector<const Finding*> reported;
    for (const Finding& f : r.findings) {
        if (f.severity != Severity::ignore) reported.push_back(&f);
    }
    std::size_t sites = site_count(reported);
    if (sites == reported.size()) return std::nullopt;
    return sites;
}

}  // namespace leakaudit
