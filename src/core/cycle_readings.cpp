// Series are kept as they grow, one value per reading, so memory is bounded by
// series × readings; a series first seen late is filled backwards with what the earlier
// readings imply (0 where leakaudit measured, k_missing where nothing was said).
#include "core/cycle_readings.hpp"

#include <algorithm>

namespace leakaudit {

namespace {

std::string clipped(const std::string& text) {
    if (text.size() <= CycleRecorder::k_max_text) return text;
    return text.substr(0, CycleRecorder::k_max_text) + "…";
}

// Quantities leakaudit reads itself: absent from a reading means none.
bool measured_by_leakaudit(Quantity q) {
    return q == Quantity::descriptors || q == Quantity::sockets || q == Quantity::children ||
           q == Quantity::temp_entries;
}

// The kit lists all live handles and tracked listeners: absent from a `metrics` means none.
bool listed_in_full(Quantity q) {
    return q == Quantity::handles || q == Quantity::listeners;
}

std::string socket_identity(const Socket& s) {
    if (!s.path.empty()) return s.path;
    std::string text = s.local.empty() ? "socket:[" + std::to_string(s.inode) + "]" : s.local;
    if (!s.remote.empty()) text += " → " + s.remote;
    return text;
}

// Summed by `what`, the last non-empty site kept.
std::map<std::string, std::pair<std::int64_t, std::string>> summed(const std::vector<MetricCount>& counts) {
    std::map<std::string, std::pair<std::int64_t, std::string>> out;
    for (const MetricCount& c : counts) {
        auto& [count, site] = out[clipped(c.what)];
        count += c.count;
        if (!c.site.empty()) site = clipped(c.site);
    }
    return out;
}

}  // namespace

std::vector<std::string> live_children(const std::vector<Process>& run, int harness_pid) {
    std::vector<std::string> out;
    for (const Process& p : run) {
        if (p.id.pid != harness_pid && !p.is_zombie()) out.push_back(std::to_string(p.id.pid) + " " + p.name);
    }
    return out;
}

std::vector<SeenResource> seen_resources(const std::vector<Descriptor>& fds, const std::vector<Socket>& sockets,
                                         const std::vector<std::string>& children,
                                         const std::vector<std::string>& temp_entries) {
    std::vector<SeenResource> out;
    SocketIndex index(sockets);
    for (const Descriptor& d : fds) {
        out.push_back({Quantity::descriptors, to_string(d.type), d.target});
        if (d.type != FdType::socket) continue;
        if (const Socket* s = index.find(d.inode))
            out.push_back({Quantity::sockets, s->proto + " " + s->state, socket_identity(*s)});
    }
    for (const std::string& c : children)
        out.push_back({Quantity::children, "", c});
    for (const std::string& t : temp_entries)
        out.push_back({Quantity::temp_entries, "", t});
    return out;
}

Series* CycleRecorder::series_for(const Key& key, bool measured_here) {
    auto it = m_series.find(key);
    if (it != m_series.end()) return &it->second;
    if (m_series.size() >= k_max_series) {
        ++m_dropped_series;
        return nullptr;
    }
    Series s;
    s.quantity = key.first;
    s.what = key.second;
    for (int j = 0; j < m_readings; ++j) {
        bool zero = measured_here || (listed_in_full(key.first) && m_had_metrics[static_cast<std::size_t>(j)]);
        s.values.push_back(zero ? 0 : Series::k_missing);
        s.appeared.emplace_back();
    }
    return &m_series.emplace(key, std::move(s)).first->second;
}

void CycleRecorder::set_value(const Key& key, std::int64_t value, const std::string& site) {
    Series* s = series_for(key, measured_by_leakaudit(key.first));
    if (!s || s->values.size() > static_cast<std::size_t>(m_readings)) return;
    s->values.push_back(value);
    s->appeared.emplace_back();
    if (!site.empty()) s->site = site;
}

void CycleRecorder::fill_absent(bool has_metrics) {
    for (auto& [key, s] : m_series) {
        if (s.values.size() > static_cast<std::size_t>(m_readings)) continue;
        bool zero = measured_by_leakaudit(key.first) || (listed_in_full(key.first) && has_metrics);
        s.values.push_back(zero ? 0 : Series::k_missing);
        s.appeared.emplace_back();
    }
}

void CycleRecorder::add(const HarnessReading& reading) {
    if (m_readings > k_max_cycles) {
        ++m_dropped_readings;
        return;
    }
    std::map<Key, std::map<std::string, int>> now;
    for (const SeenResource& r : reading.resources)
        ++now[{r.quantity, clipped(r.what)}][clipped(r.identity)];
    for (const auto& [key, identities] : now) {
        std::int64_t count = 0;
        for (const auto& [identity, n] : identities)
            count += n;
        set_value(key, count, "");
        auto it = m_series.find(key);
        if (m_readings == 0 || it == m_series.end()) continue;
        std::vector<std::string>& appeared = it->second.appeared.back();
        const std::map<std::string, int>& before = m_previous[key];
        for (const auto& [identity, n] : identities) {
            auto was = before.find(identity);
            int more = n - (was == before.end() ? 0 : was->second);
            for (int i = 0; i < more && appeared.size() < k_max_appeared; ++i)
                appeared.push_back(identity);
        }
    }
    m_previous = std::move(now);
    if (reading.threads) set_value({Quantity::threads, ""}, *reading.threads, "");
    if (const std::optional<HarnessMetrics>& m = reading.metrics) {
        if (m->heap_used_bytes) set_value({Quantity::heap_bytes, ""}, *m->heap_used_bytes, "");
        if (m->rss_bytes) set_value({Quantity::rss_bytes, ""}, *m->rss_bytes, "");
        for (const auto& [what, count_site] : summed(m->handles))
            set_value({Quantity::handles, what}, count_site.first, count_site.second);
        for (const auto& [what, count_site] : summed(m->listeners))
            set_value({Quantity::listeners, what}, count_site.first, count_site.second);
        for (const auto& [what, count_site] : summed(m->values))
            set_value({Quantity::value, what}, count_site.first, count_site.second);
    }
    fill_absent(reading.metrics.has_value());
    m_had_metrics.push_back(reading.metrics.has_value());
    ++m_readings;
}

CycleRun CycleRecorder::run(int requested, int warmup, int completed) const {
    CycleRun run;
    run.requested = requested;
    run.warmup = warmup;
    run.completed = completed;
    for (const auto& [key, s] : m_series)  // std::map: by quantity, then `what`
        run.series.push_back(s);
    return run;
}

}  // namespace leakaudit
