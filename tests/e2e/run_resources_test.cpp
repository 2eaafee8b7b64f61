// End-to-end: sockets, descriptors, temp entries and the control channel, on real
// harnesses. Each test owns its watch folder, its ports (bound to 0) and its names.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>

#include "e2e.hpp"
#include "support/skip.hpp"

using namespace leakaudit::test;
using namespace std::chrono_literals;

namespace {

std::vector<nlohmann::json> findings_with(const nlohmann::json& report, const std::string& kind,
                                          const std::string& field, const nlohmann::json& value) {
    std::vector<nlohmann::json> out;
    for (const auto& f : findings_of(report, kind)) {
        if (f.contains(field) && f[field] == value) out.push_back(f);
    }
    return out;
}

}  // namespace

TEST_CASE("a leaked server process lists its listening port", "[e2e][socket]") {
    TempDir dir("server-child");
    auto r = run_process(run_args(dir, {"--grace", "200ms"}, {k_leaky, "--server-child", dir / "port"}), dir.path());
    REQUIRE(r.exit_code == 1);
    int port = read_pids(dir / "port").at(0);
    auto procs = findings_of(read_report(dir), "process");
    REQUIRE(procs.size() == 1);
    bool listed = false;
    for (const auto& res : procs[0]["resources"]) {
        listed =
            listed || (res["kind"] == "socket" && res.value("port", -1) == port && res.value("state", "") == "listen");
    }
    CHECK(listed);
    CHECK(r.out.find("holds tcp 127.0.0.1:" + std::to_string(port) + " listen") != std::string::npos);
    CHECK(procs[0]["hint"].get<std::string>().find("server") != std::string::npos);
}

TEST_CASE("the stopped checkpoint finds an unclosed server socket and an unclosed file", "[e2e][checkpoint]") {
    TempDir dir("checkpoint");
    std::string file = dir / "plugin.db";
    auto r = run_process(
        run_args(dir, {}, {k_leaky, "--started", "--listen", dir / "port", "--open", file, "--stopped"}), dir.path());
    auto report = read_report(dir);
    int port = read_pids(dir / "port").at(0);
    REQUIRE(report["harness"]["sent_stopped"] == true);
    auto sockets = findings_with(report, "socket", "port", port);
    REQUIRE(sockets.size() == 1);
    CHECK(sockets[0]["state"] == "listen");
    CHECK(sockets[0]["severity"] == "error");
    CHECK(sockets[0]["owner_pid"] == report["harness"]["pid"]);
    auto fds = findings_with(report, "fd", "target", file);
    REQUIRE(fds.size() == 1);
    CHECK(fds[0]["severity"] == "warning");
    CHECK(findings_of(report, "fd").size() == 1);  // nothing else: stdio and the control pipe are not leaks
    CHECK(r.exit_code == 1);
}

TEST_CASE("handles reported on the control channel become findings", "[e2e][handle]") {
    TempDir dir("handles");
    std::string line = R"({"event":"handles","items":[{"type":"Timeout","detail":"setInterval 60000ms"}]})";
    auto r = run_process(run_args(dir, {}, {k_leaky, "--started", "--line", line, "--stopped"}), dir.path());
    CHECK(r.exit_code == 0);  // handles are warnings by default
    auto handles = findings_of(read_report(dir), "handle");
    REQUIRE(handles.size() == 1);
    CHECK(handles[0]["type"] == "Timeout");
    CHECK(handles[0]["detail"] == "setInterval 60000ms");
    CHECK(handles[0]["severity"] == "warning");
}

TEST_CASE("malformed control lines are a harness warning, not a failure", "[e2e][handle]") {
    TempDir dir("badlines");
    auto r =
        run_process(run_args(dir, {}, {k_leaky, "--line", "not json", "--line", R"({"event":"dance"})"}), dir.path());
    CHECK(r.exit_code == 0);
    auto harness = findings_of(read_report(dir), "harness");
    REQUIRE(harness.size() == 2);
    for (const auto& h : harness)
        CHECK(h["severity"] == "warning");
}

TEST_CASE("a harness that never exits after stopped is killed, exit 3, with what it holds", "[e2e][checkpoint]") {
    TempDir dir("linger");
    auto r = run_process(run_args(dir, {"--exit-timeout", "300ms"},
                                  {k_leaky, "--started", "--listen", dir / "port", "--stopped", "--linger"}),
                         dir.path(), 30s);
    CHECK(r.exit_code == 3);
    CHECK(r.elapsed < 20s);
    auto report = read_report(dir);
    CHECK(report["harness"]["exit_timed_out"] == true);
    auto harness = findings_of(report, "harness");
    REQUIRE(harness.size() == 1);
    int port = read_pids(dir / "port").at(0);
    CHECK(harness[0]["message"].get<std::string>().find("did not exit") != std::string::npos);
    bool holds_port = false;
    for (const auto& res : harness[0]["resources"])
        holds_port = holds_port || res.value("port", -1) == port;
    CHECK(holds_port);
}

TEST_CASE("temp files, folders, unix socket files and strange names are found", "[e2e][tmp]") {
    TempDir dir("tmpkinds");
    std::string w = watch_dir(dir);
    std::string newline_name = w + "/new\nline";
    std::string bad_utf8 = w + "/bad\xff\xfe";
    std::string script = "touch '" + w + "/file.txt' && mkdir '" + w + "/folder' && echo 12345 > '" + w +
                         "/folder/a' && mkdir '" + w + "/folder/sub' && echo x > '" + w +
                         "/folder/sub/b' && ln -s /etc '" + w + "/etc-link' && touch \"$1\" \"$2\" && exec " + k_leaky +
                         " --listen " + (dir / "port");
    // The unix socket file comes from python: sh cannot make one.
    std::string sock = w + "/plugin.sock";
    std::string py = "import socket; s=socket.socket(socket.AF_UNIX); s.bind('" + sock + "'); s.close()";
    auto r = run_process(
        run_args(dir, {},
                 {"/bin/sh", "-c", "/usr/bin/python3 -c \"" + py + "\" && " + script, "sh", newline_name, bad_utf8}),
        dir.path());
    REQUIRE(r.exit_code == 1);
    auto report = read_report(dir);
    auto tmp = findings_of(report, "tmp");
    CHECK(tmp.size() == 6);  // file, folder (one finding), link, socket file, two strange names
    auto folder = findings_with(report, "tmp", "path", w + "/folder");
    REQUIRE(folder.size() == 1);
    CHECK(folder[0]["type"] == "dir");
    CHECK(folder[0]["entries"] == 3);
    CHECK(folder[0]["attribution"] == "creator-pid");
    CHECK(findings_with(report, "tmp", "path", w + "/etc-link").at(0)["type"] == "symlink");
    CHECK(findings_with(report, "tmp", "path", w + "/etc-link").at(0)["link_target"] == "/etc");
    CHECK(findings_with(report, "tmp", "path", sock).at(0)["type"] == "socket");
    CHECK(findings_with(report, "tmp", "path", newline_name).size() == 1);
    bool kept_bytes = false;
    for (const auto& f : tmp)
        kept_bytes = kept_bytes || (f.contains("path_base64"));
    CHECK(kept_bytes);
    for (const auto& f : tmp)
        CHECK(f["path"].get<std::string>().find("/etc/") == std::string::npos);  // never followed
}

TEST_CASE("entries that existed before, or were only modified, are not reported", "[e2e][tmp]") {
    TempDir dir("tmpbefore");
    std::string w = watch_dir(dir);
    { std::ofstream(w + "/existing") << "old"; }
    auto r = run_process(run_args(dir, {}, {"/bin/sh", "-c", "echo more >> '" + w + "/existing'"}), dir.path());
    CHECK(r.exit_code == 0);
    CHECK(findings_of(read_report(dir), "tmp").empty());
}

TEST_CASE("a /dev/shm entry the run leaves is reported", "[e2e][tmp]") {
    TempDir dir("shm");
    std::string name = "/dev/shm/leakaudit-test-" + std::to_string(getpid()) + "-" + std::to_string(rand());
    auto r = run_process(run_args(dir, {"--watch", "/dev/shm"}, {"/bin/sh", "-c", "echo data > " + name}), dir.path());
    CHECK(r.exit_code == 1);
    auto report = read_report(dir);
    auto shm = findings_with(report, "tmp", "path", name);
    REQUIRE(shm.size() == 1);
    CHECK(shm[0]["hint"].get<std::string>().find("shm") != std::string::npos);
    ::unlink(name.c_str());
}

TEST_CASE("files an unrelated process creates in the watched folder during the run are not reported", "[e2e][tmp]") {
    TempDir dir("unrelated-tmp");
    std::string w = watch_dir(dir);
    // Started before the run, it keeps creating files every 50 ms throughout it.
    TempDir noise_dir("unrelated-tmp-noise");
    int noise = spawn_process(
        {"/bin/sh", "-c",
         "i=0; while :; do i=$((i+1)); touch " + w + "/noise-$i; mkdir " + w + "/noisedir-$i; sleep 0.05; done"},
        noise_dir.path());
    REQUIRE(eventually([&] { return std::ifstream(w + "/noise-2").good(); }));
    auto r =
        // Watching all of /tmp, as a default run does, while other tests run beside it.
        run_process(run_args(dir, {"--watch", "/tmp"}, {"/bin/sh", "-c", "sleep 0.5; touch " + w + "/mine"}),
                    dir.path());
    kill(noise, SIGKILL);
    wait_process(noise, noise_dir.path(), 5s);
    auto tmp = findings_of(read_report(dir), "tmp");
    REQUIRE(tmp.size() == 1);
    CHECK(tmp[0]["path"] == w + "/mine");
    CHECK(tmp[0]["attribution"] == "creator-pid");
    CHECK(r.exit_code == 1);
}

TEST_CASE("clean-tmp removes what the run created and nothing else", "[e2e][tmp]") {
    TempDir dir("cleantmp");
    std::string w = watch_dir(dir);
    { std::ofstream(w + "/keep") << "before"; }
    auto r = run_process(run_args(dir, {"--clean-tmp"}, {k_leaky, "--mkdir", w + "/scratch"}), dir.path());
    CHECK(r.exit_code == 1);
    CHECK_FALSE(std::ifstream(w + "/scratch/a.db").good());
    CHECK(std::ifstream(w + "/keep").good());
    CHECK(read_report(dir)["cleaned"] == nlohmann::json::array({w + "/scratch"}));
}

TEST_CASE("a leaked server in another network namespace still lists its port", "[e2e][socket]") {
    TempDir dir("netns");
    TempDir probe_dir("netns-probe");
    if (run_process({"/usr/bin/unshare", "-n", "/bin/true"}, probe_dir.path()).exit_code != 0) {
        LEAKAUDIT_SKIP("cannot create a network namespace here (needs root): not tested");
    }
    auto r = run_process(
        run_args(dir, {"--grace", "200ms"}, {"/usr/bin/unshare", "-n", k_leaky, "--server-child", dir / "port"}),
        dir.path());
    REQUIRE(r.exit_code == 1);
    int port = read_pids(dir / "port").at(0);
    auto procs = findings_of(read_report(dir), "process");
    REQUIRE(procs.size() == 1);
    bool listed = false;
    for (const auto& res : procs[0]["resources"])
        listed = listed || (res.value("port", -1) == port && res.value("state", "") == "listen");
    CHECK(listed);
}

TEST_CASE("without root the tmp attribution degrades to time-window and says so", "[e2e][tmp]") {
    TempDir dir("nonroot");
    std::string w = watch_dir(dir);
    ::chmod(dir.path().c_str(), 0777);
    ::chmod(w.c_str(), 0777);
    TempDir probe("nonroot-probe");
    if (run_process({"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "/bin/true"},
                    probe.path())
            .exit_code != 0) {
        LEAKAUDIT_SKIP("cannot switch to user nobody here: not tested");
    }
    std::vector<std::string> args{"/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"};
    args = cat(args, run_args(dir, {"--grace", "100ms"}, {"/bin/sh", "-c", "sleep 300 & touch " + w + "/x; exit 0"}));
    auto r = run_process(args, dir.path());
    CHECK(r.exit_code == 1);
    auto report = read_report(dir);
    CHECK(findings_of(report, "process").size() == 1);  // process attribution needs no privilege
    auto tmp = findings_of(report, "tmp");
    REQUIRE(tmp.size() == 1);
    CHECK(tmp[0]["attribution"] == "time-window");
    bool said_so = false;
    for (const auto& note : report["warnings"])
        said_so = said_so || note.get<std::string>().find("creation watch") != std::string::npos;
    CHECK(said_so);
}

TEST_CASE("an entry renamed into place (an atomic write) is the renamer's", "[e2e][tmp]") {
    TempDir dir("renamed");
    std::string w = watch_dir(dir);
    auto r = run_process(
        run_args(dir, {},
                 {"/bin/sh", "-c", "echo state > " + w + "/.state.tmp && mv " + w + "/.state.tmp " + w + "/state"}),
        dir.path());
    CHECK(r.exit_code == 1);
    auto tmp = findings_of(read_report(dir), "tmp");
    REQUIRE(tmp.size() == 1);
    CHECK(tmp[0]["path"] == w + "/state");
    CHECK(tmp[0]["attribution"] == "creator-pid");
}
