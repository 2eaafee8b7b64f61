// Input bounds seen from the command line (issue 8): a duration past the limit, a device
// or an endless stream as a snapshot, a FIFO as a rules file. Each is exit 2 with a
// message, promptly, in bounded memory.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "e2e.hpp"

using namespace leakaudit::test;
using namespace std::chrono_literals;

namespace {

// The largest peak RSS of any child this test process has waited for, in KiB.
long children_peak_rss_kib() {
    struct rusage usage {};
    getrusage(RUSAGE_CHILDREN, &usage);
    return usage.ru_maxrss;
}

constexpr long k_max_rss_kib = 256 * 1024;

}  // namespace

TEST_CASE("a duration past the limit is a usage error, not an instant timeout", "[e2e][limits]") {
    TempDir dir("duration");
    auto r = run_process(run_args(dir, {"--timeout", "2600000h"}, {"true"}), dir.path(), 30s);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("--timeout: duration `2600000h` is too long"));

    { std::ofstream(dir / "leakaudit.toml") << "[settings]\ngrace = \"2600000h\"\n"; }
    auto settings = run_process({k_leakaudit, "rules", "check", dir / "leakaudit.toml"}, dir.path(), 30s);
    CHECK(settings.exit_code == 2);
    CHECK_THAT(settings.err, Catch::Contains("leakaudit.toml:2:9: `grace`: duration `2600000h` is too long"));
}

TEST_CASE("diff refuses a device at once, in bounded memory", "[e2e][limits]") {
    TempDir dir("diff-zero");
    auto r = run_process({k_leakaudit, "diff", "/dev/zero"}, dir.path(), 30s);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("snapshot /dev/zero is a device, not a file"));
    CHECK(children_peak_rss_kib() < k_max_rss_kib);
}

TEST_CASE("diff refuses a snapshot file larger than the limit before reading it", "[e2e][limits]") {
    TempDir dir("diff-huge");
    std::string huge = dir / "huge.json";
    // Sparse: 257 MiB of size, no blocks; diff must refuse it by its size, not read it.
    { std::ofstream create(huge); }
    REQUIRE(::truncate(huge.c_str(), off_t{257} << 20) == 0);
    auto r = run_process({k_leakaudit, "diff", huge, huge}, dir.path(), 30s);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("snapshot " + huge + " is larger than 256 MiB"));
    CHECK(children_peak_rss_kib() < k_max_rss_kib);
}

TEST_CASE("diff reads a FIFO or stdin up to the size limit, then refuses", "[e2e][limits]") {
    TempDir dir("diff-stream");
    std::string fifo = dir / "before.json";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string flood = "head -c 200000000 /dev/zero";
    auto from_fifo = run_process({"/bin/sh", "-c", flood + " > " + fifo + " & exec " + k_leakaudit + " diff " + fifo},
                                 dir.path(), 60s);
    CHECK(from_fifo.exit_code == 2);
    CHECK_THAT(from_fifo.err, Catch::Contains("is larger than 64 MiB"));
    auto from_stdin = run_process({"/bin/sh", "-c", flood + " | " + k_leakaudit + " diff -"}, dir.path(), 60s);
    CHECK(from_stdin.exit_code == 2);
    CHECK_THAT(from_stdin.err, Catch::Contains("snapshot - is larger than 64 MiB"));
    CHECK(children_peak_rss_kib() < k_max_rss_kib);

    // A real snapshot through a pipe is read in full.
    auto snap = run_process({k_leakaudit, "snapshot", "--watch", watch_dir(dir), "-o", dir / "snap.json"}, dir.path());
    REQUIRE(snap.exit_code == 0);
    auto piped = run_process({"/bin/sh", "-c",
                              "cat " + (dir / "snap.json") + " | " + k_leakaudit + " diff --json - - " +
                                  (dir / "snap.json") + " >/dev/null"},
                             dir.path(), 60s);
    CHECK(piped.exit_code == 0);
}

TEST_CASE("rules check on a FIFO is refused without waiting for a writer", "[e2e][limits]") {
    TempDir dir("rules-fifo");
    std::string fifo = dir / "rules.toml";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto r = run_process({k_leakaudit, "rules", "check", fifo}, dir.path(), 10s);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("is a FIFO"));
}

TEST_CASE("a leaked process's arguments keep their bytes: a newline and a space", "[e2e][limits][process]") {
    TempDir dir("cmdline-bytes");
    std::string script = "sh -c 'sleep 300; :' 'one arg\nsecond line' & echo $! > " + (dir / "pid") + "; exit 0";
    auto r = run_process(run_args(dir, {}, {"/bin/sh", "-c", script}), dir.path());
    std::vector<int> pids = read_pids(dir / "pid");
    REQUIRE(pids.size() == 1);
    REQUIRE(r.exit_code == 1);
    bool found = false;
    for (const auto& f : findings_of(read_report(dir), "process")) {
        if (f["pid"] != pids[0]) continue;
        found = true;
        CHECK(f["cmdline"] == nlohmann::json::array({"sh", "-c", "sleep 300; :", "one arg\nsecond line"}));
    }
    CHECK(found);
    kill_pids(pids);  // reaped already unless the run failed
}
