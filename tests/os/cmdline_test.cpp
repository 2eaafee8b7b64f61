// Command lines read from /proc/PID/cmdline split on NUL: each argument keeps its bytes
// exactly (issue 8: libproc2 cut an argument holding a newline in two).
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "os/process_table.hpp"

using namespace leakaudit;

namespace {

// A child running `sh -c 'sleep 30; :' ARG`, killed and reaped when the test ends.
class ShellChild {
public:
    explicit ShellChild(const std::string& arg) {
        m_pid = ::fork();
        if (m_pid == 0) {
            ::execl("/bin/sh", "sh", "-c", "sleep 30; :", arg.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
    }
    ~ShellChild() {
        if (m_pid <= 0) return;
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
    int pid() const { return m_pid; }

private:
    int m_pid = -1;
};

}  // namespace

TEST_CASE("split_cmdline keeps empty, spaced and multi-line arguments", "[os][cmdline]") {
    using V = std::vector<std::string>;
    CHECK(os::split_cmdline(std::string_view("a\0b c\0\0d\ne\0", 10)) == V{"a", "b c", "", "d\ne"});
    CHECK(os::split_cmdline("") == V{});
    CHECK(os::split_cmdline("no-terminator") == V{"no-terminator"});  // rewritten by setproctitle
}

TEST_CASE("a live process's arguments are read byte for byte", "[os][cmdline]") {
    std::string arg = "one arg\nsecond line\t\xff";
    ShellChild child(arg);
    REQUIRE(child.pid() > 0);
    std::vector<std::string> expected{"sh", "-c", "sleep 30; :", arg};
    std::vector<std::string> read;
    for (int i = 0; i < 500 && read != expected; ++i) {  // until exec has happened, 5 s at most
        read = os::read_cmdline(child.pid());
        if (read != expected) ::usleep(10'000);
    }
    CHECK(read == expected);
    bool in_table = false;
    Result<std::vector<Process>> table = os::read_process_table();
    REQUIRE(table);
    for (const Process& p : *table) {
        if (p.id.pid != child.pid()) continue;
        in_table = true;
        CHECK(p.cmdline == expected);
    }
    CHECK(in_table);
    CHECK(os::read_cmdline(0).empty());  // no such process
}
