// Running the built binary and watching processes from end-to-end tests, with deadlines.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace leakaudit::test {

struct ProcessResult {
    int exit_code = -1;  // -1 when killed by a signal or not finished
    std::string out;     // stdout
    std::string err;     // stderr
    std::chrono::milliseconds elapsed{0};
};

// Runs argv with stdout/stderr captured to files in `dir`; kills it after `limit`.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& dir,
                          std::chrono::milliseconds limit = std::chrono::seconds(60),
                          const std::vector<std::string>& extra_env = {});

// Starts argv in the background; output goes to files in `dir`.
int spawn_process(const std::vector<std::string>& argv, const std::string& dir);
// Waits for a spawned process; nullopt when it did not exit in time (it is then killed).
std::optional<ProcessResult> wait_process(int pid, const std::string& dir, std::chrono::milliseconds limit);

bool pid_alive(int pid);  // alive and not a zombie
// Polls `condition` until it holds or `limit` passes.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        struct timespec ts {
            0, 5'000'000
        };
        nanosleep(&ts, nullptr);
    }
    return condition();
}

std::string read_file(const std::string& path);
std::vector<int> read_pids(const std::string& path);
void kill_pids(const std::vector<int>& pids);

}  // namespace leakaudit::test
