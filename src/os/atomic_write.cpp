// mkstemp in the target's own folder keeps the rename on one filesystem.
#include "os/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "os/unique_fd.hpp"

namespace leakaudit::os {

namespace {

bool write_all(int fd, const std::string& content) {
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

std::string error_text(const std::string& what, const std::string& path) {
    return "cannot " + what + " " + path + ": " + std::strerror(errno);
}

}  // namespace

std::optional<std::string> write_file_atomically(const std::string& path, const std::string& content) {
    if (path == "-") {
        if (!write_all(STDOUT_FILENO, content)) return error_text("write", "standard output");
        return std::nullopt;
    }
    std::size_t slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    std::string temp = (slash == std::string::npos ? "" : dir) + "." + base + ".tmp.XXXXXX";
    std::vector<char> name(temp.begin(), temp.end());
    name.push_back('\0');
    UniqueFd fd(mkostemp(name.data(), O_CLOEXEC));
    if (!fd) return error_text("create a temporary file for", path);
    fchmod(fd.get(), 0644);
    if (!write_all(fd.get(), content) || fsync(fd.get()) != 0) {
        std::string err = error_text("write", path);
        ::unlink(name.data());
        return err;
    }
    fd.reset();
    if (std::rename(name.data(), path.c_str()) != 0) {
        std::string err = error_text("rename the report into", path);
        ::unlink(name.data());
        return err;
    }
    return std::nullopt;
}

}  // namespace leakaudit::os
