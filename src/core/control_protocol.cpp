// nlohmann::json is used in its non-throwing form (parse with allow_exceptions=false),
// so a malformed line is an `invalid` event, never an exception.
#include "core/control_protocol.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/text_bytes.hpp"

namespace leakaudit {

using nlohmann::json;

namespace {

// json::value() throws when the member has another type; a harness's typo must not.
std::string string_member(const json& obj, const char* key, const std::string& fallback) {
    auto it = obj.find(key);
    if (it == obj.end()) return fallback;
    return it->is_string() ? it->get<std::string>() : it->dump();
}

// A byte count or a count: a non-negative number (JSON from JavaScript may say 1e6).
std::optional<std::int64_t> count_of(const json& value) {
    if (value.is_number_unsigned())
        return static_cast<std::int64_t>(std::min<std::uint64_t>(value.get<std::uint64_t>(), INT64_MAX));
    if (value.is_number_integer()) {
        std::int64_t n = value.get<std::int64_t>();
        return n >= 0 ? std::optional(n) : std::nullopt;
    }
    if (value.is_number_float()) {
        double d = value.get<double>();
        return d >= 0 && d < 9e18 ? std::optional(static_cast<std::int64_t>(d)) : std::nullopt;
    }
    return std::nullopt;
}

// One list of a `metrics` event ("handles", "listeners"), into `out`; or what was wrong.
Result<void> metric_list(const json& j, const char* key, std::vector<MetricCount>& out) {
    auto list = j.find(key);
    if (list == j.end()) return {};
    if (!list->is_array()) return unexpected(std::string("\"") + key + "\" is not an array");
    if (list->size() > ControlParser::k_max_metric_items)
        return unexpected(std::string("\"") + key + "\" has " + std::to_string(list->size()) + " items, at most 1,000");
    bool listeners = std::string_view(key) == "listeners";
    for (const json& item : *list) {
        if (!item.is_object()) return unexpected(std::string("\"") + key + "\" item is not an object");
        MetricCount c;
        c.what = listeners ? string_member(item, "emitter", "unknown") + " '" + string_member(item, "event", "?") + "'"
                           : string_member(item, "type", "unknown");
        c.site = string_member(item, "site", "");
        auto count = item.find("count");
        std::optional<std::int64_t> n = count == item.end() ? std::optional<std::int64_t>(1) : count_of(*count);
        if (!n) return unexpected(std::string("\"") + key + "\" item's \"count\" is not a non-negative number");
        c.count = *n;
        out.push_back(std::move(c));
    }
    return {};
}

Result<void> metric_values(const json& j, std::vector<MetricCount>& out) {
    auto values = j.find("values");
    if (values == j.end()) return {};
    if (!values->is_object()) return unexpected("\"values\" is not an object");
    if (values->size() > ControlParser::k_max_metric_items)
        return unexpected("\"values\" has " + std::to_string(values->size()) + " keys, at most 1,000");
    for (const auto& [name, value] : values->items()) {
        std::optional<std::int64_t> n = count_of(value);
        if (!n) return unexpected("\"values\" member \"" + name + "\" is not a non-negative number");
        out.push_back({name, *n, ""});
    }
    return {};
}

// A `metrics` event's readings, or what was wrong with it.
Result<HarnessMetrics> parse_metrics(const json& j) {
    HarnessMetrics m;
    for (const char* key : {"heap_used_bytes", "rss_bytes"}) {
        auto it = j.find(key);
        if (it == j.end()) continue;
        std::optional<std::int64_t> n = count_of(*it);
        if (!n) return unexpected(std::string("\"") + key + "\" is not a non-negative number");
        (std::string_view(key) == "rss_bytes" ? m.rss_bytes : m.heap_used_bytes) = *n;
    }
    if (Result<void> r = metric_list(j, "handles", m.handles); !r) return unexpected(r.error());
    if (Result<void> r = metric_list(j, "listeners", m.listeners); !r) return unexpected(r.error());
    if (Result<void> r = metric_values(j, m.values); !r) return unexpected(r.error());
    return m;
}

// An invalid line: what was wrong, at its line number.
Unexpected<Error> invalid_line(int line, std::string message) {
    Error error;
    error.message = std::move(message);
    error.line = line;
    return unexpected(std::move(error));
}

}  // namespace

std::vector<ControlEvent> ControlParser::feed(std::string_view bytes) {
    std::vector<ControlEvent> events;
    while (!bytes.empty()) {
        std::size_t newline = bytes.find('\n');
        std::string_view part = bytes.substr(0, newline);
        m_line_bytes += part.size();
        if (m_line < k_max_lines && m_pending.size() < k_max_line)
            m_pending.append(part.substr(0, k_max_line - m_pending.size()));
        if (newline == std::string_view::npos) break;
        end_line(events);
        bytes.remove_prefix(newline + 1);
    }
    return events;
}

void ControlParser::end_line(std::vector<ControlEvent>& events) {
    std::string line = std::move(m_pending);
    std::size_t size = m_line_bytes;
    m_pending.clear();
    m_line_bytes = 0;
    if (m_line >= k_max_lines) {
        ++m_skipped;
        return;
    }
    if (size > k_max_line) {
        events.emplace_back(
            invalid_line(++m_line, "line too long (" + std::to_string(size) + " bytes, at most 1 MiB)"));
        return;
    }
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
        ++m_line;
        return;
    }
    events.push_back(parse_line(line));
}

std::vector<ControlEvent> ControlParser::finish() {
    if (m_line_bytes == 0) return {};
    return feed("\n");
}

ControlEvent ControlParser::parse_line(const std::string& line) {
    ControlMessage message;
    message.line = ++m_line;
    if (!is_valid_utf8(line)) return invalid_line(m_line, "not UTF-8");
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return invalid_line(m_line, "not a JSON object");
    auto name = j.find("event");
    if (name == j.end() || !name->is_string()) return invalid_line(m_line, "no \"event\" string");
    const std::string& type = name->get_ref<const std::string&>();
    if (type == "started") {
        message.type = ControlMessage::Type::started;
    } else if (type == "stopped") {
        message.type = ControlMessage::Type::stopped;
    } else if (type == "handles") {
        auto items = j.find("items");
        if (items == j.end() || !items->is_array())
            return invalid_line(m_line, "\"handles\" without an \"items\" array");
        for (const json& item : *items) {
            if (!item.is_object()) continue;
            Handle h;
            h.type = string_member(item, "type", "unknown");
            h.detail = string_member(item, "detail", "");
            message.handles.push_back(std::move(h));
        }
        message.type = ControlMessage::Type::handles;
    } else if (type == "metrics") {
        Result<HarnessMetrics> metrics = parse_metrics(j);
        if (!metrics) return invalid_line(m_line, "metrics: " + metrics.error().message);
        message.metrics = std::move(*metrics);
        message.type = ControlMessage::Type::metrics;
    } else {
        return invalid_line(m_line, "unknown event \"" + type + "\"");
    }
    return message;
}

}  // namespace leakaudit
