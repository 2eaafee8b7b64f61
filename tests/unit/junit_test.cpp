// The JUnit report on plain data, parsed for real by Python's XML parser: a report CI
// cannot parse is worse than none.
#include <catch2/catch.hpp>

#include "snapshot_builder.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "core/harness_findings.hpp"
#include "core/report.hpp"
#include "core/report_junit.hpp"
#include "core/text_bytes.hpp"

using namespace leakaudit;
using namespace leakaudit::test;
using namespace std::string_literals;

namespace {

// Prints the parsed suite as JSON (ASCII only); exits non-zero when the XML is not
// well-formed, which fails the test with Python's message.
constexpr const char* k_parse_script =
    "import sys, json, xml.etree.ElementTree as E\n"
    "root = E.parse(sys.argv[1]).getroot()\n"
    "suite = root if root.tag == \"testsuite\" else root.find(\"testsuite\")\n"
    "cases = []\n"
    "for c in suite.iter(\"testcase\"):\n"
    "    f, s, o = c.find(\"failure\"), c.find(\"skipped\"), c.find(\"system-out\")\n"
    "    cases.append({\"classname\": c.get(\"classname\"), \"name\": c.get(\"name\"), \"time\": c.get(\"time\"),\n"
    "        \"failure\": None if f is None else {\"message\": f.get(\"message\"), \"type\": f.get(\"type\"),\n"
    "                                           \"text\": f.text or \"\"},\n"
    "        \"skipped\": s is not None, \"out\": None if o is None else (o.text or \"\")})\n"
    "print(json.dumps({\"root\": root.tag, \"suites\": len(list(root.iter(\"testsuite\"))),\n"
    "    \"name\": suite.get(\"name\"), \"tests\": suite.get(\"tests\"), \"failures\": suite.get(\"failures\"),\n"
    "    \"skipped\": suite.get(\"skipped\"), \"time\": suite.get(\"time\"), \"cases\": cases}))\n";

std::filesystem::path temp_path(const std::string& suffix) {
    std::random_device rd;
    return std::filesystem::temp_directory_path() /
           ("leakaudit-junit-test-" + std::to_string(rd()) + std::to_string(rd()) + suffix);
}

std::string read_command_output(const std::string& command, int& status) {
    std::string output;
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe))
        output.append(buf, n);
    status = pclose(pipe);
    return output;
}

// Writes the report's XML to a temp file and returns what /usr/bin/python3 parsed.
nlohmann::json parse_with_python(const Report& report) {
    std::filesystem::path xml = temp_path(".xml");
    std::filesystem::path script = temp_path(".py");
    {
        std::ofstream out(xml, std::ios::binary);
        write_report_junit(report, out);
        std::ofstream(script) << k_parse_script;
    }
    int status = 0;
    std::string output =
        read_command_output("/usr/bin/python3 " + script.string() + " " + xml.string() + " 2>&1", status);
    INFO("python said: " << output);
    std::filesystem::remove(script);
    if (status == 0) std::filesystem::remove(xml);
    REQUIRE(status == 0);
    return nlohmann::json::parse(output);
}

Report clean_report() {
    Report r;
    r.version = "0.1.0";
    r.run_id = "run-1";
    r.harness.started = true;
    r.harness.exit_code = 0;
    r.harness.duration_ms = 1250;
    r.duration_ms = 1300;
    r.started_at_ms = 1'795'000'000'000;
    r.command = {"node", "harness.mjs"};
    return r;
}

const nlohmann::json* find_case(const nlohmann::json& suite, const std::string& name) {
    for (const auto& c : suite["cases"]) {
        if (c["name"] == name) return &c;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("a clean run is a passing suite that still lists every check", "[junit]") {
    nlohmann::json suite = parse_with_python(clean_report());
    CHECK(suite["root"] == "testsuites");
    CHECK(suite["suites"] == 1);
    CHECK(suite["name"] == "leakaudit");
    CHECK(suite["tests"] == "7");
    CHECK(suite["failures"] == "0");
    CHECK(suite["skipped"] == "0");
    CHECK(suite["time"] == "1.300");
    for (const char* name : {"harness", "no leaked processes", "no leaked sockets", "no leaked descriptors",
                             "no leaked temp entries", "no leaked handles", "no leaked listeners"}) {
        const nlohmann::json* c = find_case(suite, name);
        REQUIRE(c != nullptr);
        CHECK((*c)["failure"].is_null());
    }
    CHECK((*find_case(suite, "harness"))["time"] == "1.250");
    CHECK((*find_case(suite, "no leaked sockets"))["classname"] == "leakaudit.socket");
}

TEST_CASE("findings at or above fail-on fail, lower ones pass with output, ignored ones skip", "[junit]") {
    Report r = clean_report();
    Finding p = finding(Kind::process, Severity::error, "process:6f1c2a9e",
                        "process 4250 (sleep) is still running after the harness stopped");
    p.hint = "kill it in onStop()";
    p.attribution = Attribution::descendant;
    p.process = Process{};
    p.process->id.pid = 4250;
    p.process->name = "sleep";
    p.process->exe = "/usr/bin/sleep";
    p.process->cmdline = {"sleep", "300"};
    p.resources.push_back({std::nullopt, std::nullopt, "holds 0.0.0.0:8080 listening", std::nullopt});
    r.findings.push_back(p);
    Finding t = finding(Kind::tmp, Severity::warning, "tmp:11111111", "new folder /tmp/plugin-x");
    t.tmp = TmpEntry{};
    t.tmp->path = "/tmp/plugin-x";
    t.tmp->type = EntryType::dir;
    r.findings.push_back(t);
    Finding s = finding(Kind::socket, Severity::ignore, "socket:22222222", "socket 127.0.0.1:9229 listening");
    s.rule = RuleRef{"node", 1, "node-inspector", "the inspector"};
    r.findings.push_back(s);

    nlohmann::json suite = parse_with_python(r);
    CHECK(suite["tests"] == "8");  // harness, 3 findings, no sockets/descriptors/handles/listeners
    CHECK(suite["failures"] == "1");
    CHECK(suite["skipped"] == "1");
    // Names are the id and a label without pids (core/finding_name.hpp); the message
    // with its pid is the failure's.
    const nlohmann::json* pc = find_case(suite, p.id + " sleep");
    REQUIRE(pc != nullptr);
    CHECK((*pc)["classname"] == "leakaudit.process");
    CHECK((*pc)["failure"]["message"] == p.message);
    CHECK((*pc)["failure"]["type"] == "error");
    std::string text = (*pc)["failure"]["text"];
    for (const char* part : {"hint: kill it in onStop()", "attribution: descendant", "cmdline: sleep 300",
                             "exe: /usr/bin/sleep", "holds 0.0.0.0:8080 listening"}) {
        CHECK(text.find(part) != std::string::npos);
    }
    const nlohmann::json* tc = find_case(suite, t.id + " folder /tmp/plugin-x");
    REQUIRE(tc != nullptr);
    CHECK(tc->at("failure").is_null());
    CHECK(tc->at("out").get<std::string>().find("path: /tmp/plugin-x (dir") != std::string::npos);
    const nlohmann::json* sc = find_case(suite, s.id + " socket");
    REQUIRE(sc != nullptr);
    CHECK((*sc)["skipped"] == true);
    CHECK((*sc)["failure"].is_null());
    // Kinds with nothing (or only ignored findings) keep their passing check.
    CHECK(find_case(suite, "no leaked sockets") != nullptr);
    CHECK(find_case(suite, "no leaked handles") != nullptr);
    CHECK(find_case(suite, "no leaked processes") == nullptr);
    CHECK(find_case(suite, "no leaked temp entries") == nullptr);

    r.fail_on = Severity::warning;
    CHECK(parse_with_python(r)["failures"] == "2");
}

TEST_CASE("markup, newlines, control characters and invalid UTF-8 still give well-formed XML", "[junit]") {
    Report r = clean_report();
    r.command = {"sh", "-c", "echo <&>\"'\x01\xff"};
    std::string nasty = "bad <&>\"' name\x1b[31m \xff\xfe end\nsecond line ]]> \x00 x"s;
    Finding f = finding(Kind::tmp, Severity::error, "tmp:33333333", nasty);
    f.tmp = TmpEntry{};
    f.tmp->path = "/tmp/x\xc3\x28y\x0b\xef\xbf\xbe";
    f.hint = "remove </failure> & co";
    r.findings.push_back(f);

    nlohmann::json suite = parse_with_python(r);
    CHECK(suite["failures"] == "1");
    const std::string fffd = "\xEF\xBF\xBD";
    const std::string first_line = "bad <&>\"' name" + fffd + "[31m " + fffd + fffd + " end";
    const nlohmann::json* c = nullptr;
    for (const auto& each : suite["cases"]) {
        if (each["name"].get<std::string>().starts_with("tmp:33333333 ")) c = &each;
    }
    REQUIRE(c != nullptr);
    CHECK((*c)["name"] == "tmp:33333333 other /tmp/x" + fffd + "(y" + fffd + fffd);
    CHECK((*c)["failure"]["message"] == first_line + "\nsecond line ]]> " + fffd + " x");
    std::string text = (*c)["failure"]["text"];
    CHECK(text.find("hint: remove </failure> & co") != std::string::npos);
    CHECK(text.find("path: /tmp/x" + fffd + "(y" + fffd + fffd + " (") != std::string::npos);
}

TEST_CASE("a failed harness fails the harness test case, once", "[junit]") {
    Report r = clean_report();
    r.harness.exit_code = 7;
    r.findings = harness_findings(r.harness, r.command);
    r.findings.push_back(harness_warning("bad control line `{`", "write one JSON object per line"));
    nlohmann::json suite = parse_with_python(r);
    CHECK(suite["failures"] == "1");
    const nlohmann::json* h = find_case(suite, "harness");
    REQUIRE(h != nullptr);
    CHECK((*h)["failure"]["message"] == "the harness exited with status 7");
    CHECK((*h)["failure"]["type"] == "harness");
    CHECK((*h)["failure"]["text"].get<std::string>().find("command: node harness.mjs") != std::string::npos);
    // The control-channel warning is a finding of its own, below fail-on.
    std::size_t harness_cases = 0;
    for (const auto& c : suite["cases"])
        harness_cases += c["classname"] == "leakaudit.harness";
    CHECK(harness_cases == 2);

    Report never_started = clean_report();
    never_started.harness.started = false;
    never_started.harness.start_error = "No such file or directory";
    nlohmann::json s2 = parse_with_python(never_started);  // no findings: the outcome alone fails it
    CHECK((*find_case(s2, "harness"))["failure"]["message"] ==
          "the harness could not start: No such file or directory");
}

TEST_CASE("xml_escape replaces what XML 1.0 forbids and keeps the rest", "[junit]") {
    CHECK(xml_escape("a<b>&\"'", XmlContext::text) == "a&lt;b&gt;&amp;\"'");
    CHECK(xml_escape("a<b>&\"'", XmlContext::attribute) == "a&lt;b&gt;&amp;&quot;&apos;");
    CHECK(xml_escape("t\tn\nr\r", XmlContext::text) == "t\tn\nr&#13;");
    CHECK(xml_escape("t\tn\nr\r", XmlContext::attribute) == "t&#9;n&#10;r&#13;");
    CHECK(xml_escape(std::string("\x00\x1f\x7f", 3), XmlContext::text) == "\xEF\xBF\xBD\xEF\xBF\xBD\x7f");
    CHECK(xml_escape("\xef\xbf\xbe\xef\xbf\xbf", XmlContext::text) == "\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(xml_escape("plügin-✓ \xf0\x9f\x98\x80", XmlContext::text) == "plügin-✓ \xf0\x9f\x98\x80");
    CHECK(xml_escape("\xed\xa0\x80", XmlContext::text) == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
}

TEST_CASE("long paths make short test names, cut on a character boundary", "[junit]") {
    Report r = clean_report();
    std::string path = "/tmp/";
    for (int i = 0; i < 100; ++i)
        path += "é";  // 200 bytes
    Finding f = finding(Kind::tmp, Severity::warning, "tmp:44444444", "temp folder " + path + " left behind");
    f.tmp = TmpEntry{};
    f.tmp->path = path;
    f.tmp->type = EntryType::dir;
    r.findings.push_back(f);
    nlohmann::json suite = parse_with_python(r);
    bool found = false;
    for (const auto& c : suite["cases"]) {
        std::string name = c["name"];
        if (name.rfind("tmp:44444444 ", 0) != 0) continue;
        found = true;
        CHECK(name.size() < 150);
        CHECK(name.ends_with("é…"));
    }
    CHECK(found);
}

TEST_CASE("a command line is quoted so a shell takes it back word for word", "[junit][html]") {
    CHECK(leakaudit::quoted_command({"sleep", "300"}) == "sleep 300");
    CHECK(leakaudit::quoted_command({"sh", "-c", "sleep 300 &"}) == "sh -c 'sleep 300 &'");
    CHECK(leakaudit::quoted_command({"echo", ""}) == "echo ''");
    CHECK(leakaudit::quoted_command({}).empty());
}
