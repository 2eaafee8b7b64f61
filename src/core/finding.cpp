// Names of kinds and severities, as they appear in reports and rules files.
#include "core/finding.hpp"

namespace leakaudit {

std::string to_string(Kind kind) {
    switch (kind) {
        case Kind::process:
            return "process";
        case Kind::socket:
            return "socket";
        case Kind::fd:
            return "fd";
        case Kind::tmp:
            return "tmp";
        case Kind::handle:
            return "handle";
        case Kind::listener:
            return "listener";
        case Kind::harness:
            return "harness";
    }
    return "unknown";
}

std::string to_string(Severity severity) {
    switch (severity) {
        case Severity::ignore:
            return "ignore";
        case Severity::info:
            return "info";
        case Severity::warning:
            return "warning";
        case Severity::error:
            return "error";
    }
    return "unknown";
}

std::optional<Kind> parse_kind(std::string_view text) {
    for (Kind kind : k_all_kinds) {
        if (to_string(kind) == text) return kind;
    }
    return std::nullopt;
}

std::optional<Severity> parse_severity(std::string_view text) {
    for (Severity s : {Severity::ignore, Severity::info, Severity::warning, Severity::error}) {
        if (to_string(s) == text) return s;
    }
    return std::nullopt;
}

}  // namespace leakaudit
