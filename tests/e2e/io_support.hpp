// Running the built binary with chosen stdio, umask and descriptor limit, and measuring
// its peak memory from wait4's rusage (the kernel's count, not a sampled guess).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "support/processes.hpp"

namespace leakaudit::test {

struct Measured {
    int exit_code = -1;  // -1 when a signal ended it, or it did not finish in time
    int signal = 0;      // the signal that ended it
    long max_rss_kib = 0;
    bool timed_out = false;
};

struct IoPlan {
    int out_fd = -1;  // -1: DIR/stdout
    int err_fd = -1;  // -1: DIR/stderr
    mode_t umask = 022;
    std::optional<rlim_t> nofile;  // RLIMIT_NOFILE for leakaudit
    std::chrono::milliseconds limit = std::chrono::seconds(60);
};

inline IoPlan stdio_to(int out_fd, int err_fd = -1) {
    IoPlan plan;
    plan.out_fd = out_fd;
    plan.err_fd = err_fd;
    return plan;
}

inline Measured run_measured(const std::vector<std::string>& argv, const std::string& dir, const IoPlan& plan = {}) {
    std::vector<std::string> args = argv;
    std::vector<char*> c_args;
    for (std::string& a : args)
        c_args.push_back(a.data());
    c_args.push_back(nullptr);
    std::string out = dir + "/stdout";
    std::string err = dir + "/stderr";
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        int o = plan.out_fd >= 0 ? plan.out_fd : open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = plan.err_fd >= 0 ? plan.err_fd : open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int n = open("/dev/null", O_RDONLY);
        dup2(n, 0);
        dup2(o, 1);
        dup2(e, 2);
        for (int fd = 3; fd < 1024; ++fd)
            close(fd);
        umask(plan.umask);
        if (plan.nofile) {
            rlimit lim{*plan.nofile, *plan.nofile};
            setrlimit(RLIMIT_NOFILE, &lim);
        }
        execv(c_args[0], c_args.data());
        _exit(127);
    }
    Measured m;
    int status = 0;
    rusage usage{};
    bool done = eventually([&] { return wait4(pid, &status, WNOHANG, &usage) == pid; }, plan.limit);
    if (!done) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        wait4(pid, &status, 0, &usage);
        m.timed_out = true;
    }
    if (WIFEXITED(status) && !m.timed_out) m.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) m.signal = WTERMSIG(status);
    m.max_rss_kib = usage.ru_maxrss;
    return m;
}

// A pipe whose reader is already gone: every write to the returned descriptor is EPIPE.
inline int broken_pipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return -1;
    close(fds[0]);
    return fds[1];
}

}  // namespace leakaudit::test
