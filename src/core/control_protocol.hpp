// The control channel: JSON lines a harness writes to LEAKAUDIT_CONTROL_FD.
// Bytes arrive in arbitrary chunks; the parser splits lines and never throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"

namespace leakaudit {

struct ControlEvent {
    enum class Type { started, stopped, handles, invalid };
    Type type = Type::invalid;
    std::vector<Handle> handles;  // for `handles`
    std::string error;            // for `invalid`: what was wrong
    int line = 0;                 // 1-based line number on the channel
};

class ControlParser {
public:
    // Feeds raw bytes; complete lines become events.
    std::vector<ControlEvent> feed(std::string_view bytes);
    // The channel closed: a trailing line without newline still counts.
    std::vector<ControlEvent> finish();

private:
    ControlEvent parse_line(const std::string& line);

    std::string m_pending;
    int m_line = 0;
    static constexpr std::size_t k_max_line = 1 << 20;  // a runaway writer cannot exhaust memory
};

}  // namespace leakaudit
