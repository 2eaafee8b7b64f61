// libproc2 reads /proc/PID/{stat,status,exe} for us and skips processes that vanish
// mid-scan (procps-ng's pidof does the same). The items array and the enum of their
// positions are kept side by side, as pidof does. The command line is read here, from
// /proc/PID/cmdline split on NUL, so every argument keeps its bytes (libproc2 joins and
// re-splits it, which cut an argument holding a newline in two).
#include "os/process_table.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <libproc2/pids.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "os/clock.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::os {

namespace {

enum pids_item k_items[] = {PIDS_ID_PID,   PIDS_ID_PPID, PIDS_ID_PGRP, PIDS_ID_SESSION, PIDS_ID_EUID,
                            PIDS_ID_EUSER, PIDS_CMD,     PIDS_EXE,     PIDS_STATE,      PIDS_TICS_BEGAN};
enum Rel { rel_pid, rel_ppid, rel_pgrp, rel_sid, rel_euid, rel_euser, rel_cmd, rel_exe, rel_state, rel_began };

struct PidsInfoDeleter {
    void operator()(pids_info* info) const { procps_pids_unref(&info); }
};
using PidsInfo = std::unique_ptr<pids_info, PidsInfoDeleter>;

Result<PidsInfo> open_pids_info() {
    pids_info* raw = nullptr;
    if (procps_pids_new(&raw, k_items, sizeof k_items / sizeof k_items[0]) < 0)
        return unexpected("cannot open the process table (libproc2): " + std::string(std::strerror(errno)));
    return PidsInfo(raw);
}

Process to_process(pids_stack* stack) {
    Process p;
#define VAL(rel, type) PIDS_VAL(rel, type, stack, nullptr)
    p.id.pid = VAL(rel_pid, s_int);
    p.id.start_ticks = VAL(rel_began, ull_int);
    p.ppid = VAL(rel_ppid, s_int);
    p.pgid = VAL(rel_pgrp, s_int);
    p.sid = VAL(rel_sid, s_int);
    p.uid = VAL(rel_euid, u_int);
    p.user = VAL(rel_euser, str) ? VAL(rel_euser, str) : std::to_string(p.uid);
    p.name = VAL(rel_cmd, str) ? VAL(rel_cmd, str) : "";
    p.exe = VAL(rel_exe, str) ? VAL(rel_exe, str) : "";
    p.state = VAL(rel_state, s_ch);
    // Empty for kernel threads and zombies.
    p.cmdline = read_cmdline(p.id.pid);
    if (p.exe == "-") p.exe.clear();
#undef VAL
    p.started_at_ms = ticks_to_unix_ms(p.id.start_ticks);
    return p;
}

}  // namespace

Result<std::vector<Process>> read_process_table() {
    Result<PidsInfo> info = open_pids_info();
    if (!info) return unexpected(info.error());
    pids_fetch* fetched = procps_pids_reap(info->get(), PIDS_FETCH_TASKS_ONLY);
    if (!fetched) return unexpected("cannot read the process table under /proc: " + std::string(std::strerror(errno)));
    int total = fetched->counts->total;
    std::vector<Process> processes;
    processes.reserve(static_cast<std::size_t>(total));
    for (int i = 0; i < total; ++i)
        processes.push_back(to_process(fetched->stacks[i]));
    return processes;
}

Result<std::vector<Process>> read_processes(const std::vector<int>& pids) {
    Result<PidsInfo> info = open_pids_info();
    if (!info) return unexpected(info.error());
    std::vector<Process> processes;
    // libproc2 takes a bounded list per call (FILL_ID_MAX); chunks well below it.
    constexpr std::size_t k_chunk = 128;
    for (std::size_t at = 0; at < pids.size(); at += k_chunk) {
        std::vector<unsigned> these;
        for (std::size_t i = at; i < pids.size() && i < at + k_chunk; ++i)
            these.push_back(static_cast<unsigned>(pids[i]));
        pids_fetch* fetched =
            procps_pids_select(info->get(), these.data(), static_cast<int>(these.size()), PIDS_SELECT_PID);
        if (!fetched) continue;  // all of them gone
        for (int i = 0; i < fetched->counts->total; ++i)
            processes.push_back(to_process(fetched->stacks[i]));
    }
    return processes;
}

std::optional<std::uint64_t> read_start_ticks(int pid, int proc_dirfd) {
    std::string path = std::to_string(pid) + "/stat";
    if (proc_dirfd < 0) path = "/proc/" + path;  // openat ignores the folder for an absolute path
    UniqueFd fd(::openat(proc_dirfd, path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;
    char buf[1024];
    ssize_t n = ::read(fd.get(), buf, sizeof buf - 1);
    if (n <= 0) return std::nullopt;
    buf[n] = '\0';
    // comm may hold spaces and ')': fields are counted after the last ')'.
    char* p = std::strrchr(buf, ')');
    if (!p) return std::nullopt;
    int field = 2;
    for (char* q = p + 1; *q; ++q) {
        if (*q != ' ') continue;
        if (++field == 22) return std::strtoull(q + 1, nullptr, 10);
    }
    return std::nullopt;
}

std::vector<std::string> split_cmdline(std::string_view bytes) {
    std::vector<std::string> args;
    if (!bytes.empty() && bytes.back() == '\0') bytes.remove_suffix(1);
    if (bytes.empty()) return args;
    for (std::size_t start = 0;;) {
        std::size_t end = bytes.find('\0', start);
        args.emplace_back(bytes.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos) return args;
        start = end + 1;
    }
}

std::vector<std::string> read_cmdline(int pid) {
    std::string path = "/proc/" + std::to_string(pid) + "/cmdline";
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return {};
    std::string bytes;
    char buf[16384];
    ssize_t n;
    while (bytes.size() < k_max_cmdline_bytes && (n = ::read(fd.get(), buf, sizeof buf)) > 0)
        bytes.append(buf, static_cast<std::size_t>(n));
    if (bytes.size() > k_max_cmdline_bytes) bytes.resize(k_max_cmdline_bytes);
    return split_cmdline(bytes);
}

std::optional<std::string> read_environ_value(int pid, const std::string& name) {
    std::string path = "/proc/" + std::to_string(pid) + "/environ";
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;
    std::string env;
    char buf[8192];
    ssize_t n;
    while ((n = ::read(fd.get(), buf, sizeof buf)) > 0)
        env.append(buf, static_cast<std::size_t>(n));
    std::string prefix = name + "=";
    for (std::size_t start = 0; start < env.size();) {
        std::size_t end = env.find('\0', start);
        if (end == std::string::npos) end = env.size();
        if (env.compare(start, prefix.size(), prefix) == 0) {
            return env.substr(start + prefix.size(), end - start - prefix.size());
        }
        start = end + 1;
    }
    return std::nullopt;
}

namespace {

std::string read_small_file(const std::string& path, std::size_t limit) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    std::string out;
    if (!fd) return out;
    char buf[4096];
    ssize_t n;
    while (out.size() < limit && (n = ::read(fd.get(), buf, sizeof buf)) > 0)
        out.append(buf, static_cast<std::size_t>(n));
    return out.substr(0, limit);
}

}  // namespace

std::vector<std::string> describe_children(int pid) {
    std::vector<std::string> out;
    std::string task_dir = "/proc/" + std::to_string(pid) + "/task/";
    DIR* tasks = ::opendir(task_dir.c_str());
    if (!tasks) return out;
    std::string pids;
    while (dirent* t = ::readdir(tasks)) {
        if (t->d_name[0] != '.')
            pids += read_small_file(task_dir + t->d_name + "/children", std::size_t{64} * 1024) + " ";
    }
    ::closedir(tasks);
    for (std::size_t i = 0; i < pids.size() && out.size() < 32;) {
        std::size_t end = pids.find(' ', i);
        std::string child = pids.substr(i, end - i);
        i = end + 1;
        if (child.empty()) continue;
        std::string cmdline = read_small_file("/proc/" + child + "/cmdline", 200);
        while (!cmdline.empty() && cmdline.back() == '\0')
            cmdline.pop_back();
        std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
        out.push_back("child " + child + (cmdline.empty() ? "" : " " + cmdline));
    }
    return out;
}

}  // namespace leakaudit::os
