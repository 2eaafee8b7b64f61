// Counts in every output read as English: "1 entry", not "1 entries" (issue: JUnit
// said "1 entries" for a folder with one file).
#include <catch2/catch.hpp>

#include <sstream>

#include "core/plural.hpp"
#include "core/report.hpp"
#include "core/report_annotations.hpp"
#include "core/report_junit.hpp"

using namespace leakaudit;

namespace {

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

Report report_with_tmp(std::uint64_t entries, std::uint64_t size) {
    Report r;
    Finding f;
    f.id = "tmp:1";
    f.kind = Kind::tmp;
    f.severity = Severity::error;
    f.message = "left /tmp/plugin-x";
    TmpEntry t;
    t.path = "/tmp/plugin-x";
    t.type = EntryType::dir;
    t.entry_count = entries;
    t.size = size;
    f.tmp = t;
    r.findings.push_back(f);
    return r;
}

std::string junit(const Report& r) {
    std::ostringstream out;
    write_report_junit(r, out);
    return out.str();
}

}  // namespace

TEST_CASE("counted says one and many", "[plural]") {
    CHECK(counted(0, "entry", "entries") == "0 entries");
    CHECK(counted(1, "entry", "entries") == "1 entry");
    CHECK(counted(2, "entry", "entries") == "2 entries");
    CHECK(counted(1, "Node process", "Node processes") == "1 Node process");
    CHECK(counted(1, "warning") == "1 warning");
    CHECK(counted(3, "warning") == "3 warnings");
}

TEST_CASE("JUnit: a folder of one entry and one byte is said in the singular", "[plural][junit]") {
    std::string one = junit(report_with_tmp(1, 1));
    CHECK(has(one, "1 entry, 1 byte)"));
    CHECK_FALSE(has(one, "1 entries"));
    CHECK(has(junit(report_with_tmp(2, 0)), "2 entries, 0 bytes)"));
}

TEST_CASE("findings left out: one is a finding, not findings", "[plural][junit][annotations]") {
    Report r;
    r.omitted[Kind::process][Severity::error] = 1;
    CHECK(has(junit(r), "1 more process finding left out"));
    std::ostringstream out;
    write_github_annotations(r, out);
    CHECK(has(out.str(), "1 more process finding left out"));
    r.omitted[Kind::process][Severity::error] = 2;
    CHECK(has(junit(r), "2 more process findings left out"));
}

TEST_CASE("capped notes: one more note", "[plural]") {
    std::vector<std::string> notes(21, "unreadable");
    CHECK(capped_notes(notes, 20).back() == "… 1 more note about the watched folders");
}
