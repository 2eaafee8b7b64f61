// append_tmp_entry_json writes, without a JSON value per entry, the very text the DOM
// writer gave (nlohmann's dump(1) of the element, re-indented two levels deep): the
// reference below is that writer, kept here as it was.
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/report_json.hpp"
#include "core/snapshot_json.hpp"
#include "core/tmp_entry_json.hpp"

using namespace leakaudit;

namespace {

std::string dom_text(const TmpEntry& e) {
    nlohmann::ordered_json j = {
        {"type", to_string(e.type)}, {"dev", e.dev},          {"inode", e.inode}, {"uid", e.uid}, {"size", e.size},
        {"entries", e.entry_count},  {"birth_ms", e.birth_ms}};
    put_bytes(j, "path", e.path);
    put_bytes(j, "link_target", e.link_target);
    std::string out;
    for (char c : j.dump(1))
        out += c == '\n' ? std::string("\n  ") : std::string(1, c);
    return out;
}

TmpEntry entry(std::string path, EntryType type) {
    TmpEntry e;
    e.path = std::move(path);
    e.type = type;
    e.dev = 2049;
    e.inode = 1234567;
    e.uid = 1000;
    e.size = 42;
    e.birth_ms = 1764480000123;
    return e;
}

}  // namespace

TEST_CASE("tmp entry JSON: the text of the DOM writer, byte for byte", "[snapshot][tmp]") {
    std::vector<TmpEntry> cases = {
        entry("/tmp/plain-name.txt", EntryType::file),
        entry("/tmp/with \"quotes\" and \\backslash", EntryType::file),
        entry("/tmp/new\nline\ttab\x01\x1f\x7f", EntryType::fifo),
        entry("/tmp/caf\xc3\xa9-\xe2\x82\xac", EntryType::socket),  // valid UTF-8, not ASCII
        entry(std::string("/tmp/bad\xff\xfe\x00z", 13), EntryType::device),
        entry("/tmp/folder", EntryType::dir),
        entry("", EntryType::other),
    };
    TmpEntry link = entry("/tmp/link", EntryType::symlink);
    link.link_target = "../target\xc3\x28";
    cases.push_back(link);
    TmpEntry extremes = entry("/tmp/extremes", EntryType::dir);
    extremes.dev = std::numeric_limits<std::uint64_t>::max();
    extremes.inode = 0;
    extremes.uid = std::numeric_limits<std::uint32_t>::max();
    extremes.entry_count = 987654321;
    extremes.birth_ms = -1;
    cases.push_back(extremes);
    for (const TmpEntry& e : cases) {
        INFO(e.path);
        CHECK(snapshot_element_json(e) == dom_text(e));
        std::string appended = "kept";
        append_tmp_entry_json(appended, e);
        CHECK(appended == "kept" + dom_text(e));
    }
}
