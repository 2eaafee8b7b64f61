// The control channel: JSON lines a harness writes to LEAKAUDIT_CONTROL_FD.
// Bytes arrive in arbitrary chunks; the parser splits lines and never throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/cycle_readings.hpp"
#include "core/finding.hpp"
#include "core/result.hpp"

namespace leakaudit {

// A line of the channel that says something (README "The control channel").
struct ControlMessage {
    enum class Type { started, stopped, handles, metrics };
    Type type = Type::started;
    std::vector<Handle> handles;  // for `handles`
    HarnessMetrics metrics;       // for `metrics`
    int line = 0;                 // 1-based line number on the channel
};

// One line as read: its message, or an invalid line as an Error saying what was wrong,
// with the line's number on the channel in Error::line.
using ControlEvent = Result<ControlMessage>;

// The line number of an event, whether it was read or not.
inline int line_of(const ControlEvent& event) {
    return event ? event->line : event.error().line;
}
// Whether the event is a message of this type (an invalid line is none).
inline bool says(const ControlEvent& event, ControlMessage::Type type) {
    return event && event->type == type;
}

class ControlParser {
public:
    // Feeds raw bytes; complete lines become events.
    std::vector<ControlEvent> feed(std::string_view bytes);
    // The channel closed: a trailing line without newline still counts.
    std::vector<ControlEvent> finish();
    // Lines after the first k_max_lines: counted, not parsed (README "The control channel").
    long long skipped_lines() const { return m_skipped; }

    static constexpr std::size_t k_max_line = 1 << 20;       // longer lines are reported, not kept
    static constexpr int k_max_lines = 100'000;              // a flooding writer costs counting only
    static constexpr std::size_t k_max_metric_items = 1000;  // per list of a `metrics` event

private:
    void end_line(std::vector<ControlEvent>& events);
    ControlEvent parse_line(const std::string& line);

    std::string m_pending;
    std::size_t m_line_bytes = 0;  // of the current line, including what was not kept
    int m_line = 0;
    long long m_skipped = 0;
};

}  // namespace leakaudit
