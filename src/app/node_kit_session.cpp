// Runs as leakaudit's own user: the folder is 0700, files are read through os/ with
// bounds, and a file only counts when its token and its process's identity check out.
#include "app/node_kit_session.hpp"

#include <cstdlib>
#include <iterator>

#include "app/version.hpp"
#include "core/plural.hpp"
#include "core/node_kit.hpp"
#include "os/atomic_write.hpp"
#include "os/random.hpp"

namespace leakaudit {

namespace {

using namespace std::chrono_literals;
constexpr std::chrono::milliseconds k_dump_patience = 2s;

bool has_preload(const std::filesystem::path& dir) {
    std::error_code ec;
    return std::filesystem::is_regular_file(dir / "preload.cjs", ec);
}

}  // namespace

std::optional<std::filesystem::path> find_node_kit() {
    std::vector<std::filesystem::path> candidates;
    if (const char* env = std::getenv("LEAKAUDIT_NODE_KIT"); env && *env) candidates.emplace_back(env);
    std::error_code ec;
    std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) candidates.push_back(exe.parent_path().parent_path() / "share" / "leakaudit" / "node");
    candidates.push_back(std::filesystem::path(LEAKAUDIT_SOURCE_KIT_DIR));
    candidates.push_back(std::filesystem::path(LEAKAUDIT_INSTALL_DATADIR) / "node");
    for (const std::filesystem::path& dir : candidates) {
        if (has_preload(dir)) return std::filesystem::absolute(dir, ec);
    }
    return std::nullopt;
}

Result<void> NodeKitSession::start(const std::string& run_id, const std::vector<std::string>& watched) {
    std::optional<std::filesystem::path> kit = find_node_kit();
    if (!kit)
        return unexpected("the Node kit was not found (set LEAKAUDIT_NODE_KIT to its folder): audited without it");
    Result<os::KitDir> dir = os::create_kit_dir(run_id);
    if (!dir) return unexpected(dir.error().message + ": audited without the Node kit");
    m_dir = std::move(*dir);
    m_token = os::random_hex(8);
    const char* user_options = std::getenv("NODE_OPTIONS");
    m_env = {"NODE_OPTIONS=" + node_options_with_kit(user_options ? user_options : "", (*kit / "preload.cjs").string()),
             "LEAKAUDIT_KIT_DIR=" + m_dir->path, "LEAKAUDIT_KIT_TOKEN=" + m_token, kit_temp_environment(watched)};
    return {};
}

const std::string& NodeKitSession::folder() const {
    static const std::string k_none;
    return m_dir ? m_dir->path : k_none;
}

std::vector<std::string> NodeKitSession::dump_and_describe(const ProcessId& harness, std::int64_t run_started_ms) {
    if (!m_dir) return {};
    int skipped = 0;
    std::vector<os::RawKitFile> before = os::read_kit_files(m_dir->path, {}, skipped);
    std::vector<int> live;
    for (const os::RawKitFile& f : before) {
        KitFile file = parse_kit_file(f.text, m_token);
        if (!f.start_ms || !file.hello || file.hello->pid != f.pid) continue;
        KitOrigin origin{f.start_ms, f.pid == harness.pid, false, false};
        if (!kit_file_counts(*file.hello, origin, run_started_ms)) continue;
        live.push_back(f.pid);
        m_verified.insert(f.pid);  // alive now and the run's: counted later even when gone
    }
    if (live.empty()) return {};
    os::request_dump(m_dir->path, live, k_dump_patience);
    std::vector<os::RawKitFile> after = os::read_kit_files(m_dir->path, {}, skipped);
    return kept_alive_by(judge(after, harness, run_started_ms, nullptr, nullptr, nullptr));
}

void NodeKitSession::collect() {
    if (!m_dir) return;
    m_files = os::read_kit_files(m_dir->path, {}, m_skipped);
    m_removed = os::remove_kit_dir(*m_dir);
}

std::vector<KitProcess> NodeKitSession::judge(const std::vector<os::RawKitFile>& files, const ProcessId& harness,
                                              std::int64_t run_started_ms, const ForkHistory* forks, int* hellos,
                                              std::vector<std::string>* warnings, TmpSiteInput* creations) const {
    std::vector<KitProcess> out;
    for (const os::RawKitFile& raw : files) {
        KitFile file = parse_kit_file(raw.text, m_token);
        if (!file.hello || file.hello->pid != raw.pid) continue;  // not this run's kit file
        KitOrigin origin;
        origin.start_ms = raw.start_ms;
        origin.is_harness = raw.pid == harness.pid || m_verified.count(raw.pid);
        origin.fork_history = forks && forks->available && !forks->lost_events;
        origin.forked_in_run = forks && forks->is_run_pid(raw.pid);
        if (!kit_file_counts(*file.hello, origin, run_started_ms)) continue;
        if (hellos) ++*hellos;
        if (warnings) {
            for (const std::string& problem : file.problems)
                warnings->push_back("node kit file of pid " + std::to_string(raw.pid) + ": " + problem);
        }
        if (creations) {
            creations->kit_pids.insert(raw.pid);
            std::move(file.tmp.begin(), file.tmp.end(), std::back_inserter(creations->made));
            std::move(file.children.begin(), file.children.end(), std::back_inserter(creations->children));
        }
        if (!file.last_report) continue;
        out.push_back({*file.hello, *file.last_report, raw.pid == harness.pid});
    }
    return out;
}

void NodeKitSession::add_creations(TmpSiteInput& input, const ProcessId& harness, std::int64_t run_started_ms,
                                   const ForkHistory* forks) const {
    if (m_dir) judge(m_files, harness, run_started_ms, forks, nullptr, nullptr, &input);
}

std::vector<KitProcess> NodeKitSession::processes(const ProcessId& harness, std::int64_t run_started_ms,
                                                  const ForkHistory* forks, NodeKitStatus& status,
                                                  std::vector<std::string>& warnings) const {
    status.requested = true;
    if (!m_dir) return {};
    int hellos = 0;
    std::vector<KitProcess> out = judge(m_files, harness, run_started_ms, forks, &hellos, &warnings);
    status.processes = hellos;
    status.reports = static_cast<int>(out.size());
    if (m_skipped)
        warnings.push_back("node kit: " + counted(m_skipped, "file") + " left unread (size or count bound)");
    if (!m_removed) warnings.push_back("node kit: cannot remove " + m_dir->path + ": " + m_removed.error().message);
    return out;
}

}  // namespace leakaudit
