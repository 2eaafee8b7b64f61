// Secrets on a leaked process's command line appear in no output: the text report, JSON,
// JUnit, HTML, GitHub annotations, suggested rules, snapshots and diffs. Ids are the same
// with --no-redact, which shows them.
#include <catch2/catch.hpp>

#include <signal.h>

#include <set>

#include "e2e.hpp"

using namespace leakaudit::test;
using namespace std::chrono_literals;

namespace {

// Each secret, and the argument that carries it.
const std::vector<std::string> k_secrets{"hunter2",      "pw123", "tokVALUE77", "KEYVALUE55", "AKIAIOSFODNN7EXAMPLE",
                                         "BEARERSECRET9"};
const std::vector<std::string> k_secret_args{"--password=hunter2",
                                             "postgres://u:pw123@h/db",
                                             "--token",
                                             "tokVALUE77",
                                             "https://h/x?api_key=KEYVALUE55&page=2",
                                             "AKIAIOSFODNN7EXAMPLE",
                                             "Authorization: Bearer BEARERSECRET9"};

// perl sleeps without forking, and keeps its arguments in /proc/PID/cmdline.
std::vector<std::string> worker_command() {
    return cat({"/usr/bin/perl", "-e", "sleep 300", "--"}, k_secret_args);
}

std::vector<std::string> secrets_in(const std::string& text) {
    std::vector<std::string> found;
    for (const std::string& s : k_secrets) {
        if (text.find(s) != std::string::npos) found.push_back(s);
    }
    return found;
}

std::set<std::string> ids_of(const nlohmann::json& report) {
    std::set<std::string> ids;
    for (const auto& f : report["findings"])
        ids.insert(f["id"].get<std::string>());
    return ids;
}

std::string id_of_pid(const nlohmann::json& report, int pid) {
    for (const auto& f : report["findings"]) {
        if (f.contains("pid") && f["pid"] == pid) return f["id"];
    }
    return "";
}

struct Outputs {
    int exit_code = -1;
    std::string all;  // stdout, stderr and every file written
    nlohmann::json report;
};

// `leakaudit COMMAND` writing JSON, JUnit, HTML, annotations and suggested rules.
Outputs audit(const TempDir& dir, const std::string& tag, std::vector<std::string> args) {
    std::string json = dir / (tag + ".json");
    std::string junit = dir / (tag + ".xml");
    std::string html = dir / (tag + ".html");
    args.insert(args.begin() + 2, {"--no-color", "--json", json, "--junit", junit, "--html", html, "--annotations",
                                   "github", "--suggest-rules"});
    ProcessResult r = run_process(args, dir.path());
    Outputs o;
    o.exit_code = r.exit_code;
    o.all = r.out + r.err + read_file(json) + read_file(junit) + read_file(html);
    o.report = nlohmann::json::parse(read_file(json), nullptr, false);
    return o;
}

}  // namespace

TEST_CASE("run: no secret of a leaked process in any output, same ids with --no-redact", "[e2e][redact]") {
    TempDir dir("redact-run");
    // The harness carries the secrets too (the report's `command`), and leaks the worker.
    std::vector<std::string> harness =
        cat({"/bin/sh", "-c", "perl -e 'sleep 300' -- \"$@\" & exit 0", "harness"}, k_secret_args);
    auto run_args_for = [&](std::vector<std::string> options) {
        options.insert(options.begin(), {"--watch", watch_dir(dir)});
        return cat(cat({k_leakaudit, "run"}, options), cat({"--"}, harness));
    };

    Outputs shown = audit(dir, "redacted", run_args_for({}));
    CHECK(shown.exit_code == 1);
    INFO(shown.all);
    CHECK(secrets_in(shown.all).empty());
    CHECK(shown.report["redacted"] == true);
    auto workers = findings_of(shown.report, "process");
    REQUIRE(workers.size() == 1);
    CHECK(workers[0]["cmdline"] ==
          nlohmann::json({"perl", "-e", "sleep 300", "--", "--password=***", "postgres://u:***@h/db", "--token", "***",
                          "https://h/x?api_key=***&page=2", "***", "Authorization: Bearer ***"}));
    CHECK(shown.all.find("::error") != std::string::npos);   // the annotations were written
    CHECK(shown.all.find("[[rule]]") != std::string::npos);  // and the suggestions

    Outputs raw = audit(dir, "raw", run_args_for({"--no-redact"}));
    CHECK(raw.exit_code == 1);
    CHECK(secrets_in(raw.all) == k_secrets);
    CHECK(raw.report["redacted"] == false);
    CHECK(ids_of(raw.report) == ids_of(shown.report));
}

TEST_CASE("snapshot and diff: no secret in a snapshot or a diff, same ids with --no-redact", "[e2e][redact]") {
    TempDir dir("redact-diff");
    std::string w = watch_dir(dir);
    auto snapshot = [&](const std::string& file, std::vector<std::string> extra = {}) {
        auto r = run_process(cat({k_leakaudit, "snapshot", "--watch", w, "-o", dir / file}, extra), dir.path());
        REQUIRE(r.exit_code == 0);
        return read_file(dir / file);
    };
    snapshot("before.json");
    TempDir worker_dir("redact-worker");
    int worker = spawn_process(worker_command(), worker_dir.path());
    REQUIRE(eventually([&] {
        return read_file("/proc/" + std::to_string(worker) + "/cmdline").find("hunter2") != std::string::npos;
    }));

    std::string after = snapshot("after.json");
    std::string after_raw = snapshot("after-raw.json", {"--no-redact"});
    CHECK(secrets_in(after).empty());
    CHECK(after.find("\"redacted\": true") != std::string::npos);
    CHECK(secrets_in(after_raw) == k_secrets);

    Outputs files = audit(dir, "diff", {k_leakaudit, "diff", dir / "before.json", dir / "after.json"});
    Outputs live = audit(dir, "diff-live", {k_leakaudit, "diff", dir / "before.json"});
    Outputs mixed = audit(dir, "diff-mixed", {k_leakaudit, "diff", dir / "before.json", dir / "after-raw.json"});
    Outputs raw =
        audit(dir, "diff-raw", {k_leakaudit, "diff", "--no-redact", dir / "before.json", dir / "after-raw.json"});
    kill(worker, SIGKILL);
    wait_process(worker, worker_dir.path(), 5s);

    for (const Outputs* o : {&files, &live, &mixed}) {
        INFO(o->all);
        CHECK(o->exit_code == 1);
        CHECK(secrets_in(o->all).empty());
    }
    CHECK(secrets_in(raw.all) == k_secrets);
    std::string id = id_of_pid(raw.report, worker);
    CHECK(!id.empty());
    CHECK(id_of_pid(files.report, worker) == id);
    CHECK(id_of_pid(live.report, worker) == id);
    CHECK(id_of_pid(mixed.report, worker) == id);
}
