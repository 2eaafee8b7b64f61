// Plain /proc reads, each bounded; a process that vanishes mid-walk is skipped.
#include "os/harness_reading.hpp"

#include <dirent.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace leakaudit::os {

namespace {

std::string read_text(const std::string& path, std::size_t limit) {
    std::ifstream in(path);
    std::string text(limit, '\0');
    in.read(text.data(), static_cast<std::streamsize>(limit));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}

std::vector<int> children_of(int pid) {
    std::vector<int> out;
    std::string task_dir = "/proc/" + std::to_string(pid) + "/task/";
    DIR* tasks = ::opendir(task_dir.c_str());
    if (!tasks) return out;
    while (dirent* t = ::readdir(tasks)) {
        if (t->d_name[0] == '.') continue;
        std::istringstream list(read_text(task_dir + t->d_name + "/children", std::size_t{64} * 1024));
        int child = 0;
        while (list >> child)
            out.push_back(child);
    }
    ::closedir(tasks);
    return out;
}

// "PID NAME", or "" for a zombie or a process that is gone.
std::string live_name(int pid) {
    std::string stat = read_text("/proc/" + std::to_string(pid) + "/stat", 4096);
    std::size_t open = stat.find('('), close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close + 2 >= stat.size()) return "";
    char state = stat[close + 2];
    if (state == 'Z' || state == 'X') return "";
    return std::to_string(pid) + " " + stat.substr(open + 1, close - open - 1);
}

}  // namespace

std::optional<std::int64_t> read_thread_count(int pid) {
    std::istringstream status(read_text("/proc/" + std::to_string(pid) + "/status", std::size_t{16} * 1024));
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("Threads:", 0) == 0) {
            std::istringstream value(line.substr(8));
            std::int64_t threads = 0;
            if (value >> threads) return threads;
            return std::nullopt;
        }
    }
    return std::nullopt;
}

std::vector<std::string> live_descendants(int root, int except, std::size_t limit) {
    std::vector<std::string> out;
    std::vector<int> pending = children_of(root);
    std::size_t visited = 0;
    while (!pending.empty() && visited < limit) {
        int pid = pending.back();
        pending.pop_back();
        ++visited;
        for (int child : children_of(pid))
            pending.push_back(child);
        if (pid == except) continue;
        if (std::string name = live_name(pid); !name.empty()) out.push_back(std::move(name));
    }
    return out;
}

std::vector<std::string> still_existing(const std::vector<std::pair<std::string, EntryIdentity>>& entries) {
    std::vector<std::string> out;
    for (const auto& [path, identity] : entries) {
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0) continue;
        if (static_cast<std::uint64_t>(st.st_dev) == identity.dev &&
            static_cast<std::uint64_t>(st.st_ino) == identity.inode)
            out.push_back(path);
    }
    return out;
}

}  // namespace leakaudit::os
