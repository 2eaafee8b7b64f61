// Helpers for the OS tests: a temp folder each test owns (support/temp_dir.hpp), a held
// child, and polling with a deadline.
#pragma once

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>

#include "support/temp_dir.hpp"

namespace leakaudit::test {

// A child process that runs `setup`, reports its result (a trivially copyable value) to
// the parent, then stays alive holding whatever it made until release(), so a test can
// read it from outside while it lives. The child ends when the hold pipe reaches EOF.
template <class T>
class HeldChild {
public:
    explicit HeldChild(const std::function<T()>& setup) {
        int ready[2], hold[2];
        if (::pipe2(ready, O_CLOEXEC) != 0 || ::pipe2(hold, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
        m_pid = ::fork();
        if (m_pid < 0) throw std::runtime_error("fork failed");
        if (m_pid == 0) {
            ::close(hold[1]);  // else the child's own copy keeps the pipe from ever reaching EOF
            ::close(ready[0]);
            T value = setup();
            char c;
            if (::write(ready[1], &value, sizeof value) == sizeof value && ::read(hold[0], &c, 1) < 0) ::_exit(1);
            ::_exit(0);
        }
        ::close(ready[1]);
        ::close(hold[0]);
        m_hold = hold[1];
        bool got = ::read(ready[0], &m_value, sizeof m_value) == sizeof m_value;
        ::close(ready[0]);
        if (!got) {
            release();
            throw std::runtime_error("the child reported nothing");
        }
    }
    HeldChild(const HeldChild&) = delete;
    HeldChild& operator=(const HeldChild&) = delete;
    ~HeldChild() { release(); }

    pid_t pid() const { return m_pid; }
    const T& value() const { return m_value; }
    // Lets the child exit and reaps it.
    void release() {
        if (m_hold < 0) return;
        ::close(m_hold);
        m_hold = -1;
        ::waitpid(m_pid, nullptr, 0);
    }

private:
    pid_t m_pid = -1;
    int m_hold = -1;
    T m_value{};
};

// Writes `size` bytes to a new file; returns false when it could not.
inline bool write_file(const std::string& path, std::size_t size) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return false;
    std::string data(size, 'x');
    bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
    ::close(fd);
    return ok;
}

template <typename Predicate>
bool poll_until(Predicate done, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

}  // namespace leakaudit::test
