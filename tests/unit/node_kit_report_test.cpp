// Handle and listener findings from the Node kit in every output: the text report shows
// the site under the finding, JSON carries site/stack/package, annotations point at the
// user's file and line, JUnit lists the frames; the report says whether the kit ran.
#include <catch2/catch.hpp>

#include <sstream>

#include "core/report.hpp"
#include "core/report_annotations.hpp"
#include "core/report_json.hpp"
#include "core/report_junit.hpp"
#include "core/report_text.hpp"

using namespace leakaudit;

namespace {

SourceSite site_at(const std::string& site, const std::string& file, int line, const std::string& package = "") {
    SourceSite s;
    s.site = site;
    s.package = package;
    s.stack = {StackFrame{"/home/u/plugin/" + file, line, 17, "onStart", ""}};
    s.user_file = file;
    s.user_line = line;
    return s;
}

Report kit_report() {
    Report r;
    r.node_kit = {true, 2, 1};
    Finding h;
    h.id = "handle:0a0b0c0d";
    h.kind = Kind::handle;
    h.severity = Severity::error;
    h.attribution = Attribution::node_kit;
    h.message = "setInterval 60000ms (Timeout) still alive after the plugin stopped";
    h.hint =
        "clear the timer in onStop() (clearInterval/clearTimeout; a cron job: task.stop()): it keeps the event "
        "loop alive";
    h.handle = Handle{"Timeout", "setInterval 60000ms", true, 1, site_at("src/plugin.mjs:41", "src/plugin.mjs", 41)};
    Finding l;
    l.id = "listener:01020304";
    l.kind = Kind::listener;
    l.severity = Severity::error;
    l.attribution = Attribution::node_kit;
    l.message = "process listener for 'SIGTERM' still attached after the plugin stopped";
    l.hint = "remove the listener in onStop() (process.off('SIGTERM', handler))";
    l.listener = Listener{"process", "SIGTERM", 1, site_at("src/plugin.mjs:52", "src/plugin.mjs", 52)};
    r.findings = {h, l};
    r.exit_code = ExitCode::leaks;
    return r;
}

}  // namespace

TEST_CASE("node kit report: the text report shows the site under the finding", "[node-kit][report]") {
    std::ostringstream out;
    write_report_text(kit_report(), 0, Color::off, Verbosity::normal, out);
    std::string text = out.str();
    INFO(text);
    CHECK(text.find("[error] handle  setInterval 60000ms (Timeout) still alive after the plugin stopped  "
                    "handle:0a0b0c0d\n   at src/plugin.mjs:41\n") != std::string::npos);
    CHECK(text.find("[error] listener  process listener for 'SIGTERM' still attached after the plugin stopped  "
                    "listener:01020304\n   at src/plugin.mjs:52\n") != std::string::npos);
    CHECK(text.find("node kit: active in 2 Node processes, 1 report") != std::string::npos);
}

TEST_CASE("node kit report: a kit that no process loaded is said so", "[node-kit][report]") {
    Report r;
    r.node_kit = {true, 0, 0};
    std::ostringstream out;
    write_report_text(r, 0, Color::off, Verbosity::normal, out);
    CHECK(out.str().find("node kit: requested, but no Node process of the run loaded it") != std::string::npos);
    nlohmann::ordered_json j = report_to_json(r);
    CHECK(j["node_kit"]["requested"] == true);
    CHECK(j["node_kit"]["active"] == false);
    CHECK_FALSE(report_to_json(Report{}).contains("node_kit"));
}

TEST_CASE("node kit report: JSON carries ref, site, package, the stack and the listener's fields",
          "[node-kit][report]") {
    nlohmann::ordered_json j = report_to_json(kit_report());
    const auto& h = j["findings"][0];
    CHECK(h["kind"] == "handle");
    CHECK(h["ref"] == true);
    CHECK(h["site"] == "src/plugin.mjs:41");
    CHECK(h["package"].is_null());
    REQUIRE(h["stack"].size() == 1);
    CHECK(h["stack"][0]["line"] == 41);
    CHECK(h["stack"][0]["package"].is_null());
    const auto& l = j["findings"][1];
    CHECK(l["kind"] == "listener");
    CHECK(l["emitter"] == "process");
    CHECK(l["event"] == "SIGTERM");
    CHECK(l["count"] == 1);
    CHECK(j["summary"]["by_kind"]["listener"] == 1);
    CHECK(j["node_kit"]["processes"] == 2);
}

TEST_CASE("node kit report: annotations point at the first user frame", "[node-kit][annotations]") {
    std::ostringstream out;
    write_github_annotations(kit_report(), out);
    std::string text = out.str();
    CHECK(
        text.starts_with("::error file=src/plugin.mjs,line=41,title=leakaudit%3A leaked handle (handle%3A0a0b0c0d)::"
                         "setInterval 60000ms (Timeout) still alive after the plugin stopped%0Aat src/plugin.mjs:41"));
    CHECK(text.find("::error file=src/plugin.mjs,line=52,title=leakaudit%3A leaked listener") != std::string::npos);
}

TEST_CASE("node kit report: JUnit details carry the site and frames", "[node-kit][junit]") {
    std::ostringstream out;
    write_report_junit(kit_report(), out);
    std::string xml = out.str();
    CHECK(xml.find("site: src/plugin.mjs:41") != std::string::npos);
    CHECK(xml.find("  at onStart (/home/u/plugin/src/plugin.mjs:41:17)") != std::string::npos);
    CHECK(xml.find("classname=\"leakaudit.listener\"") != std::string::npos);
}
