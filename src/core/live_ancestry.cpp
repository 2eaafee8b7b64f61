#include "core/live_ancestry.hpp"

#include <algorithm>

namespace leakaudit {

bool live_descendant_of(const std::vector<LiveProcess>& chain, const ProcessId& target,
                        const std::vector<ProcessId>& hosts) {
    if (chain.empty() || !(chain[0].id == target)) return false;
    for (std::size_t i = 1; i < chain.size(); ++i) {
        const LiveProcess& child = chain[i - 1];
        const LiveProcess& parent = chain[i];
        if (parent.id.pid != child.ppid || parent.id.start_ticks > child.id.start_ticks) return false;
        if (std::find(hosts.begin(), hosts.end(), parent.id) != hosts.end()) return true;
    }
    return false;
}

}  // namespace leakaudit
