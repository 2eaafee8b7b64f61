// End-to-end: leakaudit's own input and output under pressure. A reader that goes away
// (SIGPIPE), report targets that are not regular files, a flooded control channel.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "e2e.hpp"
#include "io_support.hpp"
#include "support/skip.hpp"

using namespace leakaudit::test;
using namespace std::chrono_literals;

namespace {

const std::string k_started = R"({"event":"started"})";
const std::string k_stopped = R"({"event":"stopped"})";

bool is_junit(const std::string& path) {
    return read_file(path).find("<testsuites") != std::string::npos;
}

}  // namespace

TEST_CASE("a harness that exits without reading its acknowledgements never kills leakaudit", "[e2e][io][sigpipe]") {
    // README "Acknowledgements": leakaudit writes `started`/`stopped` to LEAKAUDIT_ACK_FD;
    // this harness exits without reading them, so the writes meet a closed pipe.
    std::string script =
        "echo '" + k_started + "' >&$LEAKAUDIT_CONTROL_FD; echo '" + k_stopped + "' >&$LEAKAUDIT_CONTROL_FD";
    for (int i = 0; i < 20; ++i) {
        TempDir dir("ackpipe");
        Measured m = run_measured(run_args(dir, {"--grace", "100ms"}, {"/bin/bash", "-c", script}), dir.path());
        INFO("run " << i << ": " << read_file(dir / "stderr"));
        REQUIRE(m.signal == 0);  // before: SIGPIPE, exit 141, in 40 of 40 runs
        REQUIRE(m.exit_code == 0);
        REQUIRE(read_report(dir)["harness"]["sent_stopped"] == true);
    }
}

TEST_CASE("a leaked worker that closed the ack descriptor is still reported and reaped", "[e2e][io][sigpipe]") {
    TempDir dir("ackclosed");
    std::string script = "exec {LEAKAUDIT_ACK_FD}<&-; sleep 300 & echo $! > " + (dir / "pid") + "; echo '" + k_started +
                         "' >&$LEAKAUDIT_CONTROL_FD; echo '" + k_stopped + "' >&$LEAKAUDIT_CONTROL_FD";
    Measured m = run_measured(run_args(dir, {"--grace", "100ms"}, {"/bin/bash", "-c", script}), dir.path());
    int pid = read_pids(dir / "pid").at(0);
    INFO(read_file(dir / "stderr"));
    CHECK(m.signal == 0);
    CHECK(m.exit_code == 1);
    CHECK(findings_of(read_report(dir), "process").size() == 1);
    CHECK_FALSE(pid_alive(pid));
    kill_pids({pid});
}

TEST_CASE("stdout whose reader is gone: the run still reaps and writes JSON and JUnit", "[e2e][io][sigpipe]") {
    // `leakaudit run --json r.json --junit j.xml -- … | head -c1`, made deterministic: the
    // reader is gone before leakaudit writes its first byte.
    TempDir dir("stdoutpipe");
    int out = broken_pipe();
    REQUIRE(out >= 0);
    auto args = run_args(dir, {"--grace", "100ms", "--junit", dir / "junit.xml"},
                         {"/bin/sh", "-c", "sleep 300 & echo $! > " + (dir / "pid") + "; exit 0"});
    SECTION("stdout closed") {
        Measured m = run_measured(args, dir.path(), stdio_to(out));
        INFO(read_file(dir / "stderr"));
        CHECK(m.signal == 0);
        CHECK(m.exit_code == 1);  // the contract's code: a lost text report is not a failed audit
        CHECK(read_file(dir / "stderr").find("standard output") != std::string::npos);
    }
    SECTION("stdout and stderr closed") {
        Measured m = run_measured(args, dir.path(), stdio_to(out, out));
        CHECK(m.signal == 0);
        CHECK(m.exit_code == 1);
    }
    close(out);
    int pid = read_pids(dir / "pid").at(0);
    CHECK(findings_of(read_report(dir), "process").size() == 1);
    CHECK(is_junit(dir / "junit.xml"));
    CHECK_FALSE(pid_alive(pid));
    kill_pids({pid});
}

TEST_CASE("a JSON report to a stdout whose reader is gone (json to -) is not written: exit 4", "[e2e][io][sigpipe]") {
    TempDir dir("jsonpipe");
    int out = broken_pipe();
    Measured m = run_measured({k_leakaudit, "run", "--json", "-", "--watch", watch_dir(dir), "--", "/bin/true"},
                              dir.path(), stdio_to(out));
    close(out);
    CHECK(m.signal == 0);
    CHECK(m.exit_code == 4);
    CHECK(read_file(dir / "stderr").find("exit 4") != std::string::npos);
}

TEST_CASE("the harness gets SIGPIPE's default disposition back", "[e2e][io][sigpipe]") {
    // An ignored signal stays ignored across exec: leakaudit must not pass its own on.
    TempDir dir("sigdfl");
    Measured m = run_measured(
        run_args(dir, {}, {"/bin/sh", "-c", "grep SigIgn /proc/$$/status | cut -f2 > " + (dir / "ign")}), dir.path());
    REQUIRE(m.exit_code == 0);
    std::string mask = read_file(dir / "ign");
    REQUIRE_FALSE(mask.empty());
    unsigned long long ignored = std::stoull(mask, nullptr, 16);
    CHECK((ignored & (1ULL << (SIGPIPE - 1))) == 0);
}

namespace {

std::vector<std::string> true_run(const TempDir& dir, const std::string& json) {
    return {k_leakaudit, "run", "--no-color", "--json", json, "--watch", watch_dir(dir), "--", "/bin/true"};
}

mode_t mode_of(const std::string& path, bool follow = false) {
    struct stat st {};
    int rc = follow ? ::stat(path.c_str(), &st) : ::lstat(path.c_str(), &st);
    return rc == 0 ? st.st_mode : 0;
}

// Only the files the test named: no temp file left beside them.
std::size_t entries_in(const std::string& dir) {
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        (void)e;
        ++n;
    }
    return n;
}

}  // namespace

TEST_CASE("a report replaces a regular file atomically, created 0666 & ~umask", "[e2e][io][target]") {
    TempDir dir("target-reg");
    std::string json = dir / "out/r.json";
    std::filesystem::create_directory(dir / "out");
    IoPlan plan;
    plan.umask = 027;
    SECTION("missing") {}
    SECTION("an existing file") {
        std::ofstream(json) << "old";
    }
    Measured m = run_measured(true_run(dir, json), dir.path(), plan);
    CHECK(m.exit_code == 0);
    CHECK(S_ISREG(mode_of(json)));
    CHECK((mode_of(json) & 0777) == 0640);
    CHECK(nlohmann::json::parse(read_file(json), nullptr, false)["exit_code"] == 0);
    CHECK(entries_in(dir / "out") == 1);
}

TEST_CASE("/dev/full stays a device: ENOSPC is reported, exit 4, and the summary says exit 4", "[e2e][io][target]") {
    TempDir dir("target-full");
    Measured m = run_measured(true_run(dir, "/dev/full"), dir.path());
    CHECK(m.exit_code == 4);
    CHECK(S_ISCHR(mode_of("/dev/full")));
    std::string err = read_file(dir / "stderr");
    CHECK(err.find("/dev/full: No space left on device") != std::string::npos);
    CHECK(read_file(dir / "stdout").find("· exit 4") != std::string::npos);  // before: "exit 0"
}

TEST_CASE("a character device and a link to one are written in place", "[e2e][io][target]") {
    TempDir dir("target-chr");
    std::string link = dir / "null-link";
    REQUIRE(symlink("/dev/null", link.c_str()) == 0);
    for (std::string target : {std::string("/dev/null"), link}) {
        Measured m = run_measured(true_run(dir, target), dir.path());
        CHECK(m.exit_code == 0);
    }
    CHECK(S_ISCHR(mode_of("/dev/null")));
    CHECK(S_ISLNK(mode_of(link)));
}

TEST_CASE("a FIFO is written in place and stays a FIFO, one nobody reads is exit 4, not a hang", "[e2e][io][target]") {
    TempDir dir("target-fifo");
    std::string fifo = dir / "fifo";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    SECTION("with a reader") {
        int reader = open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        REQUIRE(reader >= 0);
        Measured m = run_measured(true_run(dir, fifo), dir.path());
        CHECK(m.exit_code == 0);
        std::string got;
        char buf[4096];
        for (ssize_t n; (n = read(reader, buf, sizeof buf)) > 0;)
            got.append(buf, static_cast<std::size_t>(n));
        close(reader);
        CHECK(nlohmann::json::parse(got, nullptr, false)["exit_code"] == 0);
    }
    SECTION("without a reader") {
        IoPlan plan;
        plan.limit = 20s;
        Measured m = run_measured(true_run(dir, fifo), dir.path(), plan);
        CHECK_FALSE(m.timed_out);
        CHECK(m.exit_code == 4);
        CHECK(read_file(dir / "stderr").find("FIFO") != std::string::npos);
    }
    CHECK(S_ISFIFO(mode_of(fifo)));
}

TEST_CASE("a symbolic link to a file is refused with exit 4 and neither is touched", "[e2e][io][target]") {
    TempDir dir("target-link");
    std::string target = dir / "precious";
    std::string link = dir / "r.json";
    std::ofstream(target) << "precious";
    REQUIRE(symlink(target.c_str(), link.c_str()) == 0);
    SECTION("--json") {
        Measured m = run_measured(true_run(dir, link), dir.path());
        CHECK(m.exit_code == 4);
    }
    SECTION("--junit") {
        auto args = true_run(dir, dir / "ok.json");
        args.insert(args.begin() + 2, {"--junit", link});
        Measured m = run_measured(args, dir.path());
        CHECK(m.exit_code == 4);
    }
    SECTION("snapshot -o") {
        Measured m = run_measured({k_leakaudit, "snapshot", "--watch", watch_dir(dir), "-o", link}, dir.path());
        CHECK(m.exit_code == 4);
    }
    CHECK(read_file(dir / "stderr").find("symbolic link") != std::string::npos);
    CHECK(S_ISLNK(mode_of(link)));
    CHECK(read_file(target) == "precious");
}

TEST_CASE("a folder as report target is exit 4", "[e2e][io][target]") {
    TempDir dir("target-dir");
    Measured m = run_measured(true_run(dir, dir.path()), dir.path());
    CHECK(m.exit_code == 4);
    CHECK(S_ISDIR(mode_of(dir.path())));
}

TEST_CASE("snapshots are created 0600 whatever the umask, /dev/null stays a device", "[e2e][io][target]") {
    TempDir dir("target-snap");
    IoPlan plan;
    plan.umask = 0;
    std::string file = dir / "snap.json";
    Measured m = run_measured({k_leakaudit, "snapshot", "--watch", watch_dir(dir), "-o", file}, dir.path(), plan);
    CHECK(m.exit_code == 0);
    CHECK((mode_of(file) & 0777) == 0600);
    m = run_measured({k_leakaudit, "snapshot", "--watch", watch_dir(dir), "-o", "/dev/null"}, dir.path(), plan);
    CHECK(m.exit_code == 0);
    CHECK(S_ISCHR(mode_of("/dev/null")));
}

namespace {

// A harness that writes `line` a million times to the control channel, then exits.
std::vector<std::string> flood_harness(const std::string& line) {
    return {"/bin/bash", "-c", "yes '" + line + "' | head -n 1000000 >&$LEAKAUDIT_CONTROL_FD"};
}

constexpr long k_rss_limit_kib = 256 * 1024;

}  // namespace

TEST_CASE("a million garbage control lines: bounded memory, a small report, exit 0", "[e2e][io][flood]") {
    TempDir dir("flood-garbage");
    Measured m = run_measured(run_args(dir, {"--junit", dir / "junit.xml"}, flood_harness("garbage")), dir.path());
    INFO(read_file(dir / "stderr"));
    CHECK(m.exit_code == 0);                                             // warnings only, --fail-on error
    CHECK(m.max_rss_kib < k_rss_limit_kib);                              // before: 4.8 GB
    CHECK(std::filesystem::file_size(dir / "report.json") < 1'000'000);  // before: 311 MB
    CHECK(std::filesystem::file_size(dir / "junit.xml") < 1'000'000);
    CHECK(read_file(dir / "stdout").size() < 100'000);
    auto report = read_report(dir);
    auto harness = findings_of(report, "harness");
    CHECK(harness.size() == 22);  // the first 20, one "more invalid lines", one "more lines"
    std::string all = report["findings"].dump();
    CHECK(all.find("99980 more invalid control channel lines ignored") != std::string::npos);
    CHECK(all.find("900000 more control channel lines ignored") != std::string::npos);
}

TEST_CASE("a million one-item handles events: bounded memory, findings capped with a count", "[e2e][io][flood]") {
    TempDir dir("flood-handles");
    std::string line = R"({"event":"handles","items":[{"type":"Timeout","detail":"x"}]})";
    IoPlan plan;
    Measured m = run_measured(run_args(dir, {"--junit", dir / "junit.xml"}, flood_harness(line)), dir.path(), plan);
    INFO(read_file(dir / "stderr"));
    CHECK(m.exit_code == 0);
    CHECK(m.max_rss_kib < k_rss_limit_kib);  // before: 4.7 GB
    CHECK(std::filesystem::file_size(dir / "report.json") < 2'000'000);
    CHECK(std::filesystem::file_size(dir / "junit.xml") < 2'000'000);
    auto report = read_report(dir);
    CHECK(findings_of(report, "handle").size() == 1000);
    CHECK(report["omitted"]["handle"] == 9000);
    CHECK(report["summary"]["by_kind"]["handle"] == 10000);
    CHECK(read_file(dir / "stdout").find("… 9000 more handle findings") != std::string::npos);
    CHECK(read_file(dir / "junit.xml").find("9000 more handle findings") != std::string::npos);
    CHECK(report["findings"].dump().find("90000 more handle items ignored") != std::string::npos);
}

TEST_CASE("the man page's `>&\"$LEAKAUDIT_CONTROL_FD\"` works in dash and in bash", "[e2e][io][shell]") {
    // dash reads one digit after >&: the descriptors must be below 10 (README "The control channel").
    std::string script = "echo '" + k_started + "' >&\"$LEAKAUDIT_CONTROL_FD\"; echo '" + k_stopped +
                         "' >&\"$LEAKAUDIT_CONTROL_FD\"; echo \"$LEAKAUDIT_CONTROL_FD $LEAKAUDIT_ACK_FD\" > " +
                         "\"$OUT\"";
    // One run per shell; a shell that is not installed makes the test report skipped.
    std::string shell = GENERATE(as<std::string>{}, "/bin/dash", "/bin/bash");
    if (access(shell.c_str(), X_OK) != 0) LEAKAUDIT_SKIP(shell << " is not installed");
    TempDir dir("shellfd");
    Measured m =
        run_measured(run_args(dir, {}, {"/usr/bin/env", "OUT=" + (dir / "fds"), shell, "-c", script}), dir.path());
    INFO(shell << ": " << read_file(dir / "stderr") << read_file(dir / "stdout"));
    CHECK(m.exit_code == 0);
    auto report = read_report(dir);
    CHECK(report["harness"]["sent_stopped"] == true);
    CHECK(findings_of(report, "harness").empty());  // no "line ignored", no "stopped without started"
    std::vector<int> fds = read_pids(dir / "fds");
    REQUIRE(fds.size() == 2);
    CHECK(fds[0] < 10);
    CHECK(fds[1] < 10);
}

TEST_CASE("leakaudit's own EMFILE is exit 4, never blamed on the harness (exit 3)", "[e2e][io][emfile]") {
    // Lowering RLIMIT_NOFILE step by step makes each of leakaudit's descriptors fail in
    // turn: the snapshot, the pipes, the launch, the report. None of them is the harness's.
    bool saw_internal = false;
    for (rlim_t limit = 6; limit <= 40; ++limit) {
        TempDir dir("emfile");
        IoPlan plan;
        plan.nofile = limit;
        Measured m = run_measured(run_args(dir, {"--grace", "100ms"}, {"/bin/true"}), dir.path(), plan);
        INFO("RLIMIT_NOFILE " << limit << ": " << read_file(dir / "stderr") << read_file(dir / "stdout"));
        CHECK(m.signal == 0);
        CHECK(m.exit_code != 3);
        CHECK((m.exit_code == 0 || m.exit_code == 4));
        saw_internal = saw_internal || m.exit_code == 4;
    }
    CHECK(saw_internal);
}

TEST_CASE("SIGTERM while leaked processes are reaped: the run finishes with its own exit code", "[e2e][io][signals]") {
    TempDir dir("termreap");
    std::string marker = dir / "got-term";
    // The leaked process takes SIGTERM without dying, so reaping waits its 1s for SIGKILL.
    std::string leak = "trap 'echo > " + marker + "' TERM; while :; do sleep 0.05; done";
    auto args = run_args(dir, {"--grace", "100ms"},
                         {"/bin/sh", "-c", "sh -c \"" + leak + "\" & echo $! > " + (dir / "pid") + "; exit 0"});
    std::vector<std::string> a = args;
    std::vector<char*> c_args;
    for (std::string& s : a)
        c_args.push_back(s.data());
    c_args.push_back(nullptr);
    std::string out = dir / "stdout";
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(o, 1);
        execv(c_args[0], c_args.data());
        _exit(127);
    }
    bool reaping = eventually([&] { return access(marker.c_str(), F_OK) == 0; }, 20s);
    CHECK(reaping);
    kill(pid, SIGTERM);
    int status = 0;
    bool done = eventually([&] { return waitpid(pid, &status, WNOHANG) == pid; }, 30s);
    if (!done) {
        kill(-pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    REQUIRE(done);
    CHECK_FALSE(WIFSIGNALED(status));  // before: 143 after the report
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 1);
    CHECK_FALSE(findings_of(read_report(dir), "process").empty());  // the loop, perhaps its sleep
    std::vector<int> pids = read_pids(dir / "pid");
    REQUIRE(pids.size() == 1);
    CHECK(eventually([&] { return !pid_alive(pids[0]); }, 5s));
    kill_pids(pids);
}

TEST_CASE("60 unreadable folders are one note with their count", "[e2e][io][notes]") {
    if (access("/usr/bin/setpriv", X_OK) != 0 || getuid() != 0) {
        LEAKAUDIT_SKIP("needs root and setpriv to run leakaudit as nobody");
    }
    TempDir dir("notes");
    std::string watch = watch_dir(dir);
    chmod(dir.path().c_str(), 0755);
    chmod(watch.c_str(), 0777);
    for (int i = 0; i < 60; ++i)
        ::mkdir((watch + "/locked-" + std::to_string(i)).c_str(), 0700);  // root's, unreadable to nobody
    std::string json = watch + "/report.json";
    Measured m = run_measured({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", k_leakaudit,
                               "run", "--no-color", "--json", json, "--watch", watch, "--", "/bin/true"},
                              dir.path());
    INFO(read_file(dir / "stderr"));
    REQUIRE(m.exit_code == 0);
    std::string out = read_file(dir / "stdout");
    std::size_t notes = 0;
    for (std::size_t at = 0; (at = out.find("locked-", at)) != std::string::npos; ++at)
        ++notes;
    CHECK(notes <= 3);  // before: 60 notes, then 20 and "… 40 more notes"; now one naming three
    CHECK(out.find("cannot open 60 folders under " + watch) != std::string::npos);
}
