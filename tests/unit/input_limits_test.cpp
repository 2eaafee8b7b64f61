// Bad input bounded in the core: durations that would overflow, ages from absurd start
// times, and snapshot files with out-of-range numbers, huge exponents or deep nesting.
// Each was a crash, a silent truncation or undefined behaviour before (issue 8).
#include <catch2/catch.hpp>

#include <limits>
#include <memory>
#include <sstream>

#include "core/duration.hpp"
#include "core/report_text.hpp"
#include "core/snapshot_json.hpp"
#include "snapshot_builder.hpp"

using namespace leakaudit;
using namespace leakaudit::test;
using namespace std::chrono_literals;

namespace {

std::string snapshot_text(const Process& p) {
    std::stringstream io;
    write_snapshot_json(snapshot({p}), {"0.1.0", "boot", "host"}, io);
    return io.str();
}

// `text` with the first `"key": <number>` replaced by `"key": value`.
std::string with_number(std::string text, const std::string& key, const std::string& value) {
    std::size_t at = text.find("\"" + key + "\":");
    REQUIRE(at != std::string::npos);
    std::size_t start = text.find_first_of("-0123456789", at);
    std::size_t end = text.find_first_of(",\n}", start);
    return text.replace(start, end - start, value);
}

Result<SnapshotRead> read_text(const std::string& text) {
    return read_snapshot_json(std::string_view(text));
}

// A chunk reader of `head`, then `count` times `piece`, then `tail`, made as it is read.
SnapshotChunkReader generated(const std::string& head, const std::string& piece, std::size_t count,
                              const std::string& tail) {
    std::string block;
    for (int i = 0; i < 65536; ++i)
        block += piece;
    std::size_t body = piece.size() * count;
    std::size_t total = head.size() + body + tail.size();
    return [=, at = std::size_t{0}](char* buffer, std::size_t size) mutable {
        std::size_t n = 0;
        while (n < size && at < total) {
            std::size_t take = 0;
            if (at < head.size()) {
                take = head.copy(buffer + n, size - n, at);
            } else if (at < head.size() + body) {
                std::size_t in = (at - head.size()) % block.size();
                take = block.copy(buffer + n, std::min(size - n, head.size() + body - at), in);
            } else {
                take = tail.copy(buffer + n, size - n, at - head.size() - body);
            }
            n += take;
            at += take;
        }
        return n;
    };
}

}  // namespace

TEST_CASE("a duration longer than the limit is refused, never wrapped", "[duration][limits]") {
    CHECK(parse_duration("8760h") == 8760h);
    Result<std::chrono::milliseconds> huge = parse_duration_checked("2600000h");
    REQUIRE_FALSE(huge);
    CHECK(huge.error().message == "duration `2600000h` is too long (at most 8760h, one year)");
    CHECK_FALSE(parse_duration("8761h"));
    CHECK_FALSE(parse_duration("8760h1ms"));
    CHECK_THAT(parse_duration_checked("99999999999999999999999999h").error().message, Catch::Contains("too long"));
    std::string parts;
    for (int i = 0; i < 5000; ++i)
        parts += "999999999h";
    CHECK_THAT(parse_duration_checked(parts).error().message, Catch::Contains("too long"));
    CHECK(parse_duration_checked("5x").error().message ==
          "invalid duration `5x` (write it with a unit: 500ms, 2s, 5m, 1h)");
}

TEST_CASE("an age or a span between absurd times saturates instead of overflowing", "[duration][limits]") {
    constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
    CHECK(elapsed_ms(max, min) == max);
    CHECK(elapsed_ms(min, max) == 0);
    CHECK(elapsed_ms(5, 7) == 0);
    CHECK(elapsed_ms(7, 5) == 2);

    Report r;
    Finding f = finding(Kind::process, Severity::error);
    f.process = proc(200, 1, 1, {"sleep", "9"});
    f.process->started_at_ms = min;
    r.findings = {f};
    std::ostringstream out;
    write_report_text(r, max, Color::off, Verbosity::normal, out);
    CHECK(out.str().find("age 0ms") == std::string::npos);  // the wrapped difference was -1
}

TEST_CASE("a snapshot number too large for JSON is an error with its position", "[snapshot][limits]") {
    std::string text = with_number(snapshot_text(proc(42, 4242, 1, {"x"})), "taken_at_ms", "1e999");
    Result<SnapshotRead> r = read_text(text);
    REQUIRE_FALSE(r.has_value());
    CHECK_THAT(describe(r.error()), Catch::Matches(R"(\d+:\d+: invalid JSON .*1e999.*)"));
}

TEST_CASE("snapshot pids, ports and times out of range are errors naming the field", "[snapshot][limits]") {
    std::string good = snapshot_text(proc(42, 4242, 1, {"x"}));
    REQUIRE(read_text(good).has_value());
    Result<SnapshotRead> big = read_text(with_number(good, "pid", "1099511627776"));  // 2^40
    REQUIRE_FALSE(big.has_value());
    CHECK_THAT(describe(big.error()), Catch::StartsWith("processes[0]: `pid` is 1099511627776, out of range"));
    Result<SnapshotRead> negative = read_text(with_number(good, "pid", "-1"));
    REQUIRE_FALSE(negative.has_value());
    CHECK_THAT(describe(negative.error()), Catch::StartsWith("processes[0]: `pid` is -1, out of range"));
    CHECK_FALSE(read_text(with_number(good, "ppid", "-5")).has_value());
    CHECK_FALSE(read_text(with_number(good, "uid", "4294967296")).has_value());
    CHECK_FALSE(read_text(with_number(good, "started_at_ms", "-9223372036854775808")).has_value());
    CHECK_FALSE(read_text(with_number(good, "taken_at_ms", "18446744073709551615")).has_value());
    CHECK_FALSE(read_text(with_number(good, "start_ticks", "-1")).has_value());
    CHECK(read_text(with_number(good, "start_ticks", "18446744073709551615")).has_value());
}

TEST_CASE("a snapshot nested or sized beyond the limits is refused without building it", "[snapshot][limits]") {
    std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
    CHECK_THAT(describe(read_text(deep).error()), Catch::Contains("1:1: not a snapshot: nested deeper than"));
    // Generated as read: the bounds are far larger than a test should hold in memory.
    CHECK_THAT(describe(read_snapshot_json(generated("[", "0,", k_max_element_values + 10, "0]")).error()),
               Catch::Contains("not a snapshot: more than 2000000 values outside the lists"));
    // Every value counts toward the file's bound, in the lists too: 32 million of them.
    CHECK_THAT(describe(read_snapshot_json(generated(R"({"tmp": [)", "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],",
                                                     k_max_snapshot_values / 16 + 10, "0]}"))
                            .error()),
               Catch::Contains("not a snapshot: more than 32000000 values"));
    // The byte bound: tests/e2e/input_limits_e2e_test.cpp ("diff refuses a snapshot file
    // larger than the limit before reading it").
}

TEST_CASE("one list element is bounded, the file's own snapshots are not refused", "[snapshot][limits]") {
    // One process with more values than an element may have: refused by both readers alike.
    std::string head = R"({"schema": "leakaudit.snapshot/1", "processes": [{"cmdline": [)";
    std::string big = head;
    for (std::size_t i = 0; i < k_max_element_values; ++i)
        big += "0,";
    big += "0]}], \"sockets\": [], \"tmp\": []}";
    CHECK_THAT(describe(read_text(big).error()),
               Catch::Contains("not a snapshot: processes[0] has more than 2000000 values"));
    // 300,000 temp entries (3.3 million values, more than the old bound of 2 million): what a
    // snapshot of a /tmp that full writes is read back.
    Snapshot full;
    for (int i = 0; i < 300'000; ++i) {
        TmpEntry e;
        e.path = "/tmp/d/f" + std::to_string(i);
        e.type = EntryType::file;
        e.inode = static_cast<std::uint64_t>(i) + 1;
        full.tmp.push_back(std::move(e));
    }
    std::ostringstream written;
    write_snapshot_json(full, SnapshotMeta{}, written);
    std::string many = written.str();
    Result<SnapshotRead> read = read_text(many);
    INFO((read ? "" : describe(read.error())));
    REQUIRE(read);
    CHECK(read->snapshot.tmp.size() == 300'000);
    CHECK_THAT(describe(read_text("{\"schema\": \"leakaudit.snapshot/99999999999999999999\"}").error()),
               Catch::Contains("newer leakaudit"));
}
