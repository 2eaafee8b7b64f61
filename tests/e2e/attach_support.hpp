// Helpers of the attach tests: a process with a pipe on its standard input, in a process
// group of its own that the test ends whatever the outcome, and node found on PATH.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "support/processes.hpp"

extern char** environ;

namespace leakaudit::test {

// Started with its stdin a pipe the test writes to, stdout/stderr to files, in its own
// process group; the group is SIGKILLed and the process reaped on destruction.
class Piped {
public:
    Piped(const std::vector<std::string>& argv, const std::string& dir, const std::vector<std::string>& env_extra = {})
        : m_out(dir + "/stdout"), m_err(dir + "/stderr") {
        std::vector<std::string> args = argv;
        std::vector<std::string> env;
        for (char** e = environ; *e; ++e)
            env.emplace_back(*e);
        env.insert(env.end(), env_extra.begin(), env_extra.end());
        std::vector<char*> c_args, c_env;
        for (std::string& a : args)
            c_args.push_back(a.data());
        c_args.push_back(nullptr);
        for (std::string& e : env)
            c_env.push_back(e.data());
        c_env.push_back(nullptr);
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0) return;
        m_pid = fork();
        if (m_pid == 0) {
            setpgid(0, 0);
            int o = open(m_out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            int e = open(m_err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            dup2(fds[0], 0);
            dup2(o, 1);
            dup2(e, 2);
            execve(c_args[0], c_args.data(), c_env.data());
            _exit(127);
        }
        if (m_pid > 0) setpgid(m_pid, m_pid);
        ::close(fds[0]);
        m_in = fds[1];
    }
    ~Piped() {
        close_stdin();
        if (m_pid <= 0) return;
        ::kill(-m_pid, SIGKILL);
        ::kill(m_pid, SIGKILL);
        int status = 0;
        waitpid(m_pid, &status, 0);
    }
    Piped(const Piped&) = delete;
    Piped& operator=(const Piped&) = delete;

    int pid() const { return m_pid; }
    bool write_line(const std::string& line) {
        std::string text = line + "\n";
        return m_in >= 0 && ::write(m_in, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    }
    void close_stdin() {
        if (m_in >= 0) ::close(m_in);
        m_in = -1;
    }
    std::string out() const { return read_file(m_out); }
    std::string err() const { return read_file(m_err); }
    // Waits until stdout has a new line (after the ones an earlier call took) starting
    // with `word`; returns the rest of that line.
    std::optional<std::string> await_line(const std::string& word,
                                          std::chrono::milliseconds limit = std::chrono::seconds(20)) {
        std::optional<std::string> found;
        eventually(
            [&] {
                std::istringstream lines(out());
                std::size_t index = 0;
                for (std::string line; std::getline(lines, line); ++index) {
                    if (index < m_taken || line.rfind(word, 0) != 0) continue;
                    m_taken = index + 1;
                    found = line.size() > word.size() ? line.substr(word.size() + 1) : "";
                    return true;
                }
                return false;
            },
            limit);
        return found;
    }
    // Waits for the process to exit; its exit code, or -1 (killed, or still running at the limit).
    int wait_exit(std::chrono::milliseconds limit) {
        int status = 0;
        bool done = eventually([&] { return waitpid(m_pid, &status, WNOHANG) == m_pid; }, limit);
        if (!done) return -1;
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

private:
    int m_pid = -1;
    int m_in = -1;
    std::string m_out, m_err;
    std::size_t m_taken = 0;  // stdout lines await_line has returned or passed
};

// node on PATH, or "" when there is none (the Node test then reports skipped).
inline std::string find_node() {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        std::string candidate = dir + "/node";
        if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return "";
}

}  // namespace leakaudit::test
