// Names of kinds, severities and attributions, read from their tables in finding.hpp.
#include "core/finding.hpp"

#include <algorithm>

namespace leakaudit {

namespace {

const AttributionName* find_attribution(Attribution attribution) {
    auto it = std::find_if(std::begin(k_attribution_names), std::end(k_attribution_names),
                           [&](const AttributionName& a) { return a.attribution == attribution; });
    return it == std::end(k_attribution_names) ? nullptr : &*it;
}

}  // namespace

std::string to_string(Kind kind) {
    return std::string(kind_info(kind).name);
}

std::string to_string(Severity severity) {
    return std::string(k_severity_names[static_cast<std::size_t>(severity)]);
}

std::string to_string(Attribution attribution) {
    const AttributionName* found = find_attribution(attribution);
    return found ? std::string(found->name) : std::string();
}

std::optional<Kind> parse_kind(std::string_view text) {
    for (const KindInfo& info : k_kinds) {
        if (info.name == text) return info.kind;
    }
    return std::nullopt;
}

std::optional<Severity> parse_severity(std::string_view text) {
    for (std::size_t i = 0; i < std::size(k_severity_names); ++i) {
        if (k_severity_names[i] == text) return static_cast<Severity>(i);
    }
    return std::nullopt;
}

std::vector<std::string_view> ruled_kind_names() {
    std::vector<std::string_view> names;
    for (const KindInfo& info : k_kinds) {
        if (info.ruled) names.push_back(info.name);
    }
    return names;
}

}  // namespace leakaudit
