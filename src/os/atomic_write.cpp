// What is at the path is read with lstat(2) (and stat(2) through a link), core decides,
// and this file acts: in place, or a temp file in the target's own folder (same
// filesystem, so rename(2) is atomic) created with O_EXCL so the kernel applies the umask.
#include "os/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/output_target.hpp"
#include "os/random.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::os {

namespace {

bool write_all(int fd, std::string_view content) {
    std::size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n == 0) errno = EIO;
        if (n <= 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

Unexpected<> error_text(const std::string& what, const std::string& path) {
    return unexpected("cannot " + what + " " + path + ": " + std::strerror(errno));
}

TargetKind kind_of(mode_t mode) {
    if (S_ISREG(mode)) return TargetKind::regular;
    if (S_ISFIFO(mode)) return TargetKind::fifo;
    if (S_ISCHR(mode)) return TargetKind::char_device;
    if (S_ISDIR(mode)) return TargetKind::directory;
    return TargetKind::other;
}

Result<TargetKind> target_kind(const std::string& path) {
    if (path == "-") return TargetKind::standard_output;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) return TargetKind::missing;
        return error_text("inspect", path);
    }
    if (!S_ISLNK(st.st_mode)) return kind_of(st.st_mode);
    if (::stat(path.c_str(), &st) != 0) return TargetKind::link_to_other;  // dangling
    TargetKind through = kind_of(st.st_mode);
    bool stream = through == TargetKind::fifo || through == TargetKind::char_device;
    return stream ? TargetKind::link_to_stream : TargetKind::link_to_other;
}

// A FIFO nobody reads is an error, not a hang: it is opened non-blocking (ENXIO), then
// written blocking. What was opened must still be a stream: a path swapped for a regular
// file since lstat is not truncated or appended to.
Result<void> open_in_place(const std::string& path, bool via_link, UniqueFd& fd) {
    int flags = O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (via_link ? 0 : O_NOFOLLOW);
    fd.reset(::open(path.c_str(), flags));
    if (!fd) {
        if (errno == ENXIO) return unexpected("cannot write " + path + ": no process has the FIFO open for reading");
        return error_text("open", path);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return error_text("inspect", path);
    if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode))
        return unexpected("cannot write " + path + ": it changed while being opened (no longer a FIFO or device)");
    ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
    return {};
}

// A temp file in the target's folder (same filesystem, so rename(2) is atomic).
Result<void> open_temp(const std::string& path, FileMode mode, UniqueFd& fd, std::string& temp) {
    std::size_t slash = path.rfind('/');
    std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
    std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    mode_t create_mode = mode == FileMode::snapshot ? 0600 : 0666;  // the umask applies to both
    for (int attempt = 0; attempt < 16 && !fd; ++attempt) {
        temp = dir + "." + base + ".tmp." + random_hex(6);
        fd.reset(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, create_mode));
        if (!fd && errno != EEXIST) break;
    }
    if (!fd) return error_text("create a temporary file for", path);
    return {};
}

}  // namespace

OutputFile::OutputFile(const std::string& path, FileMode mode) : m_path(path) {
    Result<TargetKind> kind = target_kind(path);
    if (!kind) {
        m_status = unexpected(kind.error());
        return;
    }
    WriteDecision decision = decide_write(*kind);
    switch (decision.method) {
        case WriteMethod::replace:
            m_status = open_temp(path, mode, m_fd, m_temp);
            break;
        case WriteMethod::in_place:
            if (path != "-") m_status = open_in_place(path, *kind == TargetKind::link_to_stream, m_fd);
            break;
        case WriteMethod::refuse:
            m_status = unexpected("cannot write " + path + ": " + decision.reason);
            break;
    }
}

OutputFile::~OutputFile() {
    if (!m_temp.empty()) ::unlink(m_temp.c_str());
}

bool OutputFile::write(std::string_view bytes) {
    if (!m_status) return false;
    int fd = m_path == "-" ? STDOUT_FILENO : m_fd.get();
    if (!write_all(fd, bytes)) m_status = error_text("write", m_path == "-" ? "standard output" : m_path);
    return m_status.has_value();
}

Result<void> OutputFile::commit() {
    if (!m_status || m_temp.empty()) return m_status;
    if (::fsync(m_fd.get()) != 0) return m_status = error_text("write", m_path);
    m_fd.reset();
    if (std::rename(m_temp.c_str(), m_path.c_str()) != 0)
        return m_status = error_text("rename the report into", m_path);
    m_temp.clear();
    return {};
}

Result<void> write_output_file(const std::string& path, const std::string& content, FileMode mode) {
    OutputFile out(path, mode);
    out.write(content);
    return out.commit();
}

}  // namespace leakaudit::os
