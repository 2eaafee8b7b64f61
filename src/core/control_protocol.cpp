// nlohmann::json is used in its non-throwing form (parse with allow_exceptions=false),
// so a malformed line is an `invalid` event, never an exception.
#include "core/control_protocol.hpp"

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
        ControlEvent event;
        event.line = ++m_line;
        event.error = "line too long (" + std::to_string(size) + " bytes, at most 1 MiB)";
        events.push_back(std::move(event));
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
    ControlEvent event;
    event.line = ++m_line;
    if (!is_valid_utf8(line)) {
        event.error = "not UTF-8";
        return event;
    }
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        event.error = "not a JSON object";
        return event;
    }
    auto name = j.find("event");
    if (name == j.end() || !name->is_string()) {
        event.error = "no \"event\" string";
        return event;
    }
    const std::string& type = name->get_ref<const std::string&>();
    if (type == "started")
        event.type = ControlEvent::Type::started;
    else if (type == "stopped")
        event.type = ControlEvent::Type::stopped;
    else if (type == "handles") {
        auto items = j.find("items");
        if (items == j.end() || !items->is_array()) {
            event.error = "\"handles\" without an \"items\" array";
            return event;
        }
        for (const json& item : *items) {
            if (!item.is_object()) continue;
            Handle h;
            h.type = string_member(item, "type", "unknown");
            h.detail = string_member(item, "detail", "");
            event.handles.push_back(std::move(h));
        }
        event.type = ControlEvent::Type::handles;
    } else {
        event.error = "unknown event \"" + type + "\"";
    }
    return event;
}

}  // namespace leakaudit
