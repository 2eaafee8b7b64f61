// The kind is checked on the open descriptor (O_NONBLOCK so opening a FIFO without a
// writer returns at once), never on the path, so nothing can be swapped in between.
#include "os/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "os/unique_fd.hpp"

namespace leakaudit::os {

namespace {

std::string kind_error(mode_t mode) {
    if (S_ISDIR(mode)) return "is a directory, not a file";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "is a device, not a file";
    if (S_ISSOCK(mode)) return "is a socket, not a file";
    if (S_ISFIFO(mode)) return "is a FIFO, not a file (write it to a file first)";
    return "is not a regular file";
}

bool set_blocking(int fd) {
    int flags = ::fcntl(fd, F_GETFL);
    return flags >= 0 && ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0;
}

Unexpected<InputError> refused(std::string reason) {
    return unexpected(InputError{InputFailure::refused, std::move(reason)});
}

// Reads to end of file, or fails once more than `max_bytes` arrived.
Result<std::string, InputError> read_all(int fd, std::size_t max_bytes) {
    std::string text;
    char buffer[64 * 1024];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return refused(std::string("cannot read: ") + std::strerror(errno));
        if (n == 0) return text;
        if (text.size() + static_cast<std::size_t>(n) > max_bytes)
            return refused("is larger than " + limit_text(max_bytes));
        text.append(buffer, static_cast<std::size_t>(n));
    }
}

}  // namespace

std::string limit_text(std::size_t bytes) {
    if (bytes % (std::size_t{1024} * 1024) == 0) return std::to_string(bytes / (std::size_t{1024} * 1024)) + " MiB";
    if (bytes % 1024 == 0) return std::to_string(bytes / 1024) + " KiB";
    return std::to_string(bytes) + " bytes";
}

Result<OpenedInput, InputError> open_input_file(const std::string& path, std::size_t max_bytes, Streams streams) {
    OpenedInput in;
    if (path == "-") {
        if (streams == Streams::refuse) return refused("cannot be read from stdin here");
        in.fd = STDIN_FILENO;
        in.stream = true;
        return in;
    }
    in.owned.reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
    if (!in.owned)
        return unexpected(InputError{InputFailure::not_opened, std::string("cannot open: ") + std::strerror(errno)});
    struct stat st {};
    if (::fstat(in.owned.get(), &st) != 0) return refused(std::string("cannot stat: ") + std::strerror(errno));
    in.stream = S_ISFIFO(st.st_mode);
    if (!S_ISREG(st.st_mode) && !(in.stream && streams == Streams::allow)) return refused(kind_error(st.st_mode));
    if (!in.stream && static_cast<std::uint64_t>(st.st_size) > max_bytes)
        return refused("is larger than " + limit_text(max_bytes));
    if (in.stream) {
        // Opened without waiting for a writer; reopen blocking so a named FIFO whose
        // writer starts later is read in full rather than seen as empty.
        UniqueFd blocking(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
        struct stat again {};
        if (!blocking) return refused(std::string("cannot open: ") + std::strerror(errno));
        if (::fstat(blocking.get(), &again) != 0 || again.st_dev != st.st_dev || again.st_ino != st.st_ino)
            return refused("was replaced while being opened");
        in.owned = std::move(blocking);
    } else if (!set_blocking(in.owned.get())) {
        return refused(std::string("cannot read: ") + std::strerror(errno));
    }
    in.fd = in.owned.get();
    return in;
}

Result<std::string, InputError> read_opened(const OpenedInput& input, std::size_t max_bytes) {
    return read_all(input.fd, max_bytes);
}

Result<std::size_t> read_some(int fd, char* buffer, std::size_t size) {
    std::size_t done = 0;
    while (done < size) {
        ssize_t n = ::read(fd, buffer + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return unexpected(std::string("cannot read: ") + std::strerror(errno));
        if (n == 0) break;
        done += static_cast<std::size_t>(n);
    }
    return done;
}

Result<std::string, InputError> read_input_file(const std::string& path, std::size_t max_bytes, Streams streams) {
    Result<OpenedInput, InputError> input = open_input_file(path, max_bytes, streams);
    if (!input) return unexpected(input.error());
    return read_opened(*input, max_bytes);
}

}  // namespace leakaudit::os
