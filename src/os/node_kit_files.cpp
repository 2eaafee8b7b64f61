// Files are opened relative to the folder's descriptor with O_NOFOLLOW|O_NONBLOCK, must be
// regular and this user's: a symlink or FIFO planted in the folder is never followed or
// blocked on. Sizes are bounded, so a runaway writer cannot exhaust memory.
#include "os/node_kit_files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "os/clock.hpp"
#include "os/process_table.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::os {

namespace {

constexpr std::size_t k_max_head = std::size_t{64} * 1024;  // the hello line

bool make_private_dir(const std::string& path) {
    if (::mkdir(path.c_str(), 0700) != 0) return false;
    ::chmod(path.c_str(), 0700);  // whatever the umask
    return true;
}

bool is_own_dir(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid();
}

std::optional<int> pid_of_name(std::string_view name) {
    if (!name.ends_with(".jsonl")) return std::nullopt;
    std::string_view digits = name.substr(0, name.size() - 6);
    if (digits.empty() || digits.size() > 9) return std::nullopt;
    int pid = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        pid = pid * 10 + (c - '0');
    }
    return pid > 0 ? std::optional(pid) : std::nullopt;
}

std::string read_at(int fd, off_t offset, std::size_t length) {
    std::string out(length, '\0');
    std::size_t done = 0;
    while (done < length) {
        ssize_t n = ::pread(fd, out.data() + done, length - done, offset + static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    out.resize(done);
    return out;
}

// The whole file, or its first line (the hello) and the lines that fit in the bound
// from its end (the last report is what counts).
std::string read_bounded(int fd, std::size_t size, std::size_t limit, bool& truncated) {
    if (size <= limit) return read_at(fd, 0, size);
    truncated = true;
    std::string head = read_at(fd, 0, std::min(size, k_max_head));
    head = head.substr(0, head.find('\n') + 1);
    std::size_t tail_length = limit > head.size() ? limit - head.size() : 0;
    std::string tail = read_at(fd, static_cast<off_t>(size - tail_length), tail_length);
    std::size_t first_full = tail.find('\n');
    return head + (first_full == std::string::npos ? std::string() : tail.substr(first_full + 1));
}

std::optional<std::int64_t> start_ms_of(int pid) {
    std::optional<std::uint64_t> ticks = read_start_ticks(pid);
    if (!ticks) return std::nullopt;
    return ticks_to_unix_ms(*ticks);
}

bool has_marker(int dir_fd, int pid) {
    struct stat st {};
    std::string name = std::to_string(pid) + ".dumped";
    return ::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

}  // namespace

Result<KitDir> create_kit_dir(const std::string& run_id) {
    KitDir dir;
    if (::geteuid() == 0) {
        if (::mkdir("/run/leakaudit", 0700) == 0) dir.created_parent = true;
        if (is_own_dir("/run/leakaudit") && make_private_dir("/run/leakaudit/" + run_id)) {
            dir.path = "/run/leakaudit/" + run_id;
            return dir;
        }
        if (dir.created_parent) ::rmdir("/run/leakaudit");
        dir.created_parent = false;
    }
    if (const char* xdg = std::getenv("XDG_RUNTIME_DIR"); xdg && *xdg == '/' && is_own_dir(xdg)) {
        std::string path = std::string(xdg) + "/leakaudit-" + run_id;
        if (make_private_dir(path)) {
            dir.path = path;
            return dir;
        }
    }
    char pattern[] = "/tmp/leakaudit-kit-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) {
        return unexpected(std::string("cannot create the Node kit's folder: ") + std::strerror(errno));
    }
    dir.path = pattern;
    return dir;
}

std::vector<RawKitFile> read_kit_files(const std::string& dir, const KitReadLimits& limits, int& skipped) {
    std::vector<RawKitFile> files;
    skipped = 0;
    UniqueFd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir_fd) return files;
    DIR* listing = ::fdopendir(::dup(dir_fd.get()));
    if (!listing) return files;
    std::size_t budget = limits.per_run;
    while (dirent* entry = ::readdir(listing)) {
        std::optional<int> pid = pid_of_name(entry->d_name);
        if (!pid) continue;
        if (files.size() >= limits.max_files || budget == 0) {
            ++skipped;
            continue;
        }
        UniqueFd fd(::openat(dir_fd.get(), entry->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
        struct stat st {};
        if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid()) continue;
        RawKitFile file;
        file.pid = *pid;
        std::size_t limit = std::min(limits.per_file, budget);
        file.text = read_bounded(fd.get(), static_cast<std::size_t>(st.st_size), limit, file.truncated);
        budget -= std::min(budget, file.text.size());
        file.start_ms = start_ms_of(*pid);
        files.push_back(std::move(file));
    }
    ::closedir(listing);
    return files;
}

bool request_dump(const std::string& dir, const std::vector<int>& live, std::chrono::milliseconds patience) {
    UniqueFd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir_fd) return false;
    UniqueFd request(::openat(dir_fd.get(), "dump-request", O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!request) return false;
    request.reset();
    auto deadline = std::chrono::steady_clock::now() + patience;
    for (;;) {
        bool all = true;
        for (int pid : live) {
            if (!has_marker(dir_fd.get(), pid) && ::kill(pid, 0) == 0) all = false;
        }
        if (all) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        // Markers are files another process creates; a short poll with a deadline is the
        // simplest bounded wait (an inotify watch would save a few milliseconds).
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

Result<void> remove_kit_dir(const KitDir& dir) {
    UniqueFd dir_fd(::open(dir.path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir_fd) return unexpected(std::strerror(errno));
    if (DIR* listing = ::fdopendir(::dup(dir_fd.get()))) {
        while (dirent* entry = ::readdir(listing)) {
            std::string_view name = entry->d_name;
            if (name == "." || name == "..") continue;
            ::unlinkat(dir_fd.get(), entry->d_name, 0);  // a folder someone made in it stays, and so does ours
        }
        ::closedir(listing);
    }
    // /run/leakaudit itself stays: other runs may be using it, and /run is emptied at boot.
    if (::rmdir(dir.path.c_str()) != 0) return unexpected(std::strerror(errno));
    return {};
}

}  // namespace leakaudit::os
