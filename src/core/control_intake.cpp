// Summary findings get ids from what they are about, not from their counts, so the same
// flood is the same finding in every run.
#include "core/control_intake.hpp"
#include "core/plural.hpp"

#include <string>

#include "core/checkpoint_findings.hpp"
#include "core/finding_id.hpp"
#include "core/harness_findings.hpp"

namespace leakaudit {

namespace {

Finding summary_warning(const std::string& about, const std::string& message, const std::string& hint) {
    Finding f = harness_warning(message, hint);
    f.id = make_finding_id(Kind::harness, {"warning", about});
    return f;
}

}  // namespace

void ControlIntake::add(const ControlEvent& event) {
    if (!event) {
        if (m_invalid.size() >= m_limits.invalid_findings) {
            ++m_more_invalid;
            return;
        }
        m_invalid.push_back(harness_warning(
            "control channel line " + std::to_string(event.error().line) + " ignored: " + event.error().message,
            "write one JSON object per line, e.g. {\"event\":\"stopped\"}"));
        return;
    }
    if (event->type != ControlMessage::Type::handles) return;
    for (const Handle& h : event->handles) {
        if (m_handles.size() >= m_limits.handle_items)
            ++m_more_handles;
        else
            m_handles.push_back(h);
    }
}

std::vector<Finding> ControlIntake::findings() const {
    std::vector<Finding> out = m_invalid;
    if (m_more_invalid > 0) {
        out.push_back(summary_warning("more invalid lines",
                                      counted(m_more_invalid, "more invalid control channel line") + " ignored",
                                      "write one JSON object per line, e.g. {\"event\":\"stopped\"}"));
    }
    if (m_skipped_lines > 0) {
        out.push_back(summary_warning("lines past the limit",
                                      counted(m_skipped_lines, "more control channel line") +
                                          " ignored: leakaudit reads the first " +
                                          std::to_string(ControlParser::k_max_lines),
                                      "send `started`, `handles` and `stopped` once each, not a stream of lines"));
    }
    if (m_more_handles > 0) {
        out.push_back(summary_warning("more handle items",
                                      counted(m_more_handles, "more handle item") + " ignored: leakaudit keeps " +
                                          std::to_string(m_limits.handle_items),
                                      "report each live handle once, in one `handles` event before `stopped`"));
    }
    for (Finding& f : handle_findings(m_handles))
        out.push_back(std::move(f));
    return out;
}

}  // namespace leakaudit
