// What the control channel said, bounded (README "The control channel"): the first
// invalid lines and handle items become findings, the rest are counted in one summary
// finding each, so a harness writing millions of lines costs memory for a few thousand.
#pragma once

#include <cstddef>
#include <vector>

#include "core/control_protocol.hpp"
#include "core/finding.hpp"

namespace leakaudit {

struct ControlLimits {
    std::size_t invalid_findings = 20;  // findings for malformed lines; the rest are counted
    std::size_t handle_items = 10'000;  // handle items kept over all `handles` events
};

class ControlIntake {
public:
    explicit ControlIntake(ControlLimits limits = {}) : m_limits(limits) {}

    // `handles` and invalid lines; `started` and `stopped` are the supervisor's business.
    void add(const ControlEvent& event);
    // Lines the parser did not read at all (past ControlParser::k_max_lines).
    void set_skipped_lines(long long lines) { m_skipped_lines = lines; }

    // The Node kit reported for the harness itself: its findings replace the handles the
    // harness listed (the same resources, without creation sites).
    void drop_handles() {
        m_handles.clear();
        m_more_handles = 0;
    }

    // Invalid-line warnings, one summary per kind of overflow, then one finding per handle.
    std::vector<Finding> findings() const;

private:
    ControlLimits m_limits;
    std::vector<Finding> m_invalid;
    long long m_more_invalid = 0;
    std::vector<Handle> m_handles;
    long long m_more_handles = 0;
    long long m_skipped_lines = 0;
};

}  // namespace leakaudit
