// fork/exec rather than popen: the tests need exit codes, both streams and a deadline.
#include "support/processes.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

extern char** environ;

namespace leakaudit::test {

namespace {

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (std::string& s : strings)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

ProcessResult collect(int status, const std::string& dir, std::chrono::milliseconds elapsed) {
    ProcessResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_file(dir + "/stdout");
    r.err = read_file(dir + "/stderr");
    r.elapsed = elapsed;
    return r;
}

int start(const std::vector<std::string>& argv, const std::string& dir, const std::vector<std::string>& extra_env) {
    std::vector<std::string> args = argv;
    // An extra NAME=VALUE replaces the inherited NAME (getenv finds the first of two): a
    // test that says CI= means CI empty, also when the suite itself runs under CI=true.
    auto overridden = [&](const std::string& entry) {
        return std::any_of(extra_env.begin(), extra_env.end(), [&](const std::string& extra) {
            std::size_t eq = extra.find('=');
            return eq != std::string::npos && entry.compare(0, eq + 1, extra, 0, eq + 1) == 0;
        });
    };
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
        if (!overridden(*e)) env.emplace_back(*e);
    }
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    std::vector<char*> c_args = c_strings(args);
    std::vector<char*> c_env = c_strings(env);
    std::string out = dir + "/stdout";
    std::string err = dir + "/stderr";
    pid_t pid = fork();
    if (pid == 0) {
        int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int n = open("/dev/null", O_RDONLY);
        dup2(n, 0);
        dup2(o, 1);
        dup2(e, 2);
        // Only 0-2 reach the program under test: the three opens above and whatever
        // ctest left open (its LastTest.log under -j) would otherwise take fd numbers a
        // harness uses itself (`exec 5> …`) and show up as the harness's own descriptors.
        close_range(3, ~0U, 0);
        execve(c_args[0], c_args.data(), c_env.data());
        _exit(127);
    }
    return pid;
}

}  // namespace

int spawn_process(const std::vector<std::string>& argv, const std::string& dir) {
    return start(argv, dir, {});
}

std::optional<ProcessResult> wait_process(int pid, const std::string& dir, std::chrono::milliseconds limit) {
    auto begin = std::chrono::steady_clock::now();
    int status = 0;
    bool done = eventually([&] { return waitpid(pid, &status, WNOHANG) == pid; }, limit);
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - begin);
    if (!done) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        return std::nullopt;
    }
    return collect(status, dir, elapsed);
}

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& dir, std::chrono::milliseconds limit,
                          const std::vector<std::string>& extra_env) {
    auto begin = std::chrono::steady_clock::now();
    int pid = start(argv, dir, extra_env);
    auto result = wait_process(pid, dir, limit);
    if (!result) {
        ProcessResult r;
        r.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - begin);
        r.err = "timed out";
        return r;
    }
    return *result;
}

bool pid_alive(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    std::size_t close = line.rfind(')');
    return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z' && line[close + 2] != 'X';
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<int> read_pids(const std::string& path) {
    std::vector<int> pids;
    std::ifstream in(path);
    int pid = 0;
    while (in >> pid)
        pids.push_back(pid);
    return pids;
}

void kill_pids(const std::vector<int>& pids) {
    for (int pid : pids) {
        if (pid > 1) kill(pid, SIGKILL);
    }
}

}  // namespace leakaudit::test
