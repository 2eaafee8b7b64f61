// nlohmann is used without exceptions (parse with allow_exceptions = false, typed
// member reads), so a malformed record is a problem string, never a crash.
#include "core/node_kit.hpp"

#include <nlohmann/json.hpp>

#include "core/text_bytes.hpp"

namespace leakaudit {

using json = nlohmann::json;

namespace {

constexpr std::size_t k_max_frames = 64;     // a recursion's stack says nothing past this
constexpr std::size_t k_max_items = 10'000;  // per report: a runaway emitter cannot exhaust memory
constexpr std::size_t k_max_problems = 5;
constexpr std::size_t k_max_creations = 1'000;  // per kind and file, as the kit bounds them

std::string text_of(const json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_string()) return {};
    return to_display_utf8(it->get_ref<const std::string&>());
}

std::int64_t integer_of(const json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_number()) return 0;
    if (it->is_number_float()) return static_cast<std::int64_t>(it->get<double>());
    return it->get<std::int64_t>();
}

int int_of(const json& obj, const char* key) {
    std::int64_t v = integer_of(obj, key);
    return v < 0 || v > 0x7fffffff ? 0 : static_cast<int>(v);
}

std::vector<StackFrame> frames_of(const json& item) {
    std::vector<StackFrame> frames;
    auto it = item.find("stack");
    if (it == item.end() || !it->is_array()) return frames;
    for (const json& f : *it) {
        if (!f.is_object()) continue;
        if (frames.size() == k_max_frames) break;
        frames.push_back({text_of(f, "file"), int_of(f, "line"), int_of(f, "column"), text_of(f, "function"),
                          text_of(f, "package")});
    }
    return frames;
}

// The text at `key`, or `fallback` when it is missing or empty.
std::string text_or(const json& item, const char* key, const char* fallback) {
    std::string text = text_of(item, key);
    return text.empty() ? fallback : text;
}

SourceSite site_of(const json& item, const std::string& cwd) {
    SourceSite where;
    where.site = text_of(item, "site");
    where.package = text_of(item, "package");
    where.stack = frames_of(item);
    locate_user_frame(where, cwd);
    return where;
}

Handle handle_of(const json& item, const std::string& cwd) {
    Handle h;
    h.type = text_or(item, "type", "unknown");
    h.detail = text_of(item, "detail");
    auto ref = item.find("ref");
    h.ref = ref == item.end() || !ref->is_boolean() || ref->get<bool>();
    h.count = std::max(1, int_of(item, "count"));
    h.where = site_of(item, cwd);
    return h;
}

Listener listener_of(const json& item, const std::string& cwd) {
    Listener l;
    l.emitter = text_or(item, "emitter", "EventEmitter");
    l.event = text_of(item, "event");
    l.count = std::max(1, int_of(item, "count"));
    l.where = site_of(item, cwd);
    return l;
}

std::optional<KitReason> reason_of(const std::string& text) {
    if (text == "stopped") return KitReason::stopped;
    if (text == "dump") return KitReason::dump;
    if (text == "exit") return KitReason::exit;
    return std::nullopt;
}

template <typename T, typename Read>
std::vector<T> items_of(const json& record, const char* key, const std::string& cwd, Read read) {
    std::vector<T> out;
    auto it = record.find(key);
    if (it == record.end() || !it->is_array()) return out;
    for (const json& item : *it) {
        if (out.size() == k_max_items) break;
        if (item.is_object()) out.push_back(read(item, cwd));
    }
    return out;
}

std::optional<KitReport> report_of(const json& record, const std::string& cwd, std::string& problem) {
    std::optional<KitReason> reason = reason_of(text_of(record, "reason"));
    if (!reason) {
        problem = "a report without a known reason (stopped, dump or exit)";
        return std::nullopt;
    }
    KitReport r;
    r.pid = int_of(record, "pid");
    r.reason = *reason;
    r.window = text_of(record, "window") == "load" ? KitWindow::load : KitWindow::started;
    r.at_ms = integer_of(record, "at_ms");
    r.handles = items_of<Handle>(record, "handles", cwd, handle_of);
    r.listeners = items_of<Listener>(record, "listeners", cwd, listener_of);
    return r;
}

std::optional<KitHello> hello_of(const json& record, std::string_view token) {
    if (!record.is_object() || text_of(record, "type") != "hello" || token.empty() || text_of(record, "token") != token)
        return std::nullopt;
    KitHello h;
    h.pid = int_of(record, "pid");
    h.ppid = int_of(record, "ppid");
    h.node = text_of(record, "node");
    h.cwd = text_of(record, "cwd");
    h.loaded_at_ms = integer_of(record, "loaded_at_ms");
    if (auto argv = record.find("argv"); argv != record.end() && argv->is_array()) {
        for (const json& a : *argv) {
            if (a.is_string()) h.argv.push_back(to_display_utf8(a.get_ref<const std::string&>()));
        }
    }
    if (h.pid <= 0) return std::nullopt;
    return h;
}

// A `tmp` or `child` creation record (PROTOCOL.md, "Creation records"); others are ignored.
void add_creation(KitFile& file, const json& record, const std::string& type) {
    const std::string& cwd = file.hello->cwd;
    if (type == "tmp" && file.tmp.size() < k_max_creations) {
        KitTmpRecord r{file.hello->pid, text_of(record, "path"), text_of(record, "call"), integer_of(record, "at_ms"),
                       site_of(record, cwd)};
        if (r.path.starts_with('/')) file.tmp.push_back(std::move(r));
    } else if (type == "child" && file.children.size() < k_max_creations) {
        KitChildRecord r{file.hello->pid, int_of(record, "child_pid"), text_of(record, "file"),
                         integer_of(record, "at_ms"), site_of(record, cwd)};
        if (r.pid > 0) file.children.push_back(std::move(r));
    }
}

void note(KitFile& file, int line, const std::string& problem) {
    if (file.problems.size() < k_max_problems) file.problems.push_back("line " + std::to_string(line) + ": " + problem);
}

}  // namespace

std::string to_string(KitReason reason) {
    switch (reason) {
        case KitReason::stopped:
            return "stopped";
        case KitReason::dump:
            return "dump";
        case KitReason::exit:
            return "exit";
    }
    return "unknown";
}

std::string to_string(KitWindow window) {
    return window == KitWindow::load ? "load" : "started";
}

void locate_user_frame(SourceSite& where, const std::string& cwd) {
    for (const StackFrame& f : where.stack) {
        if (!f.package.empty() || f.file.empty()) continue;
        std::string file = f.file;
        if (file.starts_with("file://")) file = file.substr(7);
        std::string prefix = cwd.empty() || cwd.ends_with('/') ? cwd : cwd + "/";
        if (!prefix.empty() && file.starts_with(prefix)) file = file.substr(prefix.size());
        where.user_file = file;
        where.user_line = f.line;
        return;
    }
}

bool node_kit_wanted(const std::vector<std::string>& command, std::optional<bool> explicit_choice) {
    if (explicit_choice) return *explicit_choice;
    if (command.empty()) return false;
    std::string_view base = command[0];
    if (std::size_t slash = base.rfind('/'); slash != std::string_view::npos) base = base.substr(slash + 1);
    for (std::string_view launcher : {"node", "nodejs", "npm", "npx", "pnpm", "yarn"}) {
        if (base == launcher) return true;
    }
    return false;
}

// Node splits NODE_OPTIONS on spaces and honours double quotes with backslash escapes,
// so a kit path with spaces or quotes stays one argument.
std::string node_options_with_kit(std::string_view existing, std::string_view preload) {
    std::string quoted = "\"";
    for (char c : preload) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
    }
    quoted += '"';
    std::string out = "--require " + quoted;
    if (existing.find_first_not_of(' ') != std::string_view::npos) out += " " + std::string(existing);
    return out;
}

std::string kit_temp_environment(const std::vector<std::string>& watched) {
    std::string out = "LEAKAUDIT_KIT_TEMP=";
    bool first = true;
    for (const std::string& folder : watched) {
        if (folder.empty() || folder.find(':') != std::string::npos) continue;
        if (!first) out += ':';
        out += folder;
        first = false;
    }
    return out;
}

KitFile parse_kit_file(std::string_view text, std::string_view token) {
    KitFile file;
    int line_no = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) break;  // unterminated: written when the process died
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        json record = json::parse(line.begin(), line.end(), nullptr, false);
        if (!file.hello) {
            file.hello = hello_of(record, token);
            if (!file.hello) return file;  // not this run's kit file: read nothing from it
            continue;
        }
        if (record.is_discarded() || !record.is_object()) {
            note(file, line_no, "not a JSON object");
            continue;
        }
        std::string type = text_of(record, "type");
        if (type == "tmp" || type == "child") add_creation(file, record, type);
        if (type != "report") continue;  // records a later kit may add
        std::string problem;
        std::optional<KitReport> report = report_of(record, file.hello->cwd, problem);
        if (!report) {
            note(file, line_no, problem);
            continue;
        }
        ++file.reports;
        file.last_report = std::move(report);
    }
    return file;
}

}  // namespace leakaudit
