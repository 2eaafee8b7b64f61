// Cycles end to end in the core: `metrics` lines parsed and bounded, readings turned into
// series (with what appeared each cycle), growth findings with their messages, ids and the
// text table, byte sizes in settings and rules.
#include <catch2/catch.hpp>

#include "core/byte_size.hpp"
#include "core/control_protocol.hpp"
#include "core/cycle_readings.hpp"
#include "core/cycles_text.hpp"
#include "core/growth_findings.hpp"

using namespace leakaudit;

namespace {

ControlEvent one_event(const std::string& line) {
    ControlParser parser;
    std::vector<ControlEvent> events = parser.feed(line + "\n");
    REQUIRE(events.size() == 1);
    return events[0];
}

Descriptor pipe_fd(int fd, int inode) {
    Descriptor d;
    d.fd = fd;
    d.type = FdType::pipe;
    d.inode = static_cast<std::uint64_t>(inode);
    d.target = "pipe:[" + std::to_string(inode) + "]";
    return d;
}

// A harness holding `base` files and `leaked` more pipes at each reading.
HarnessReading reading_with_pipes(int pipes) {
    std::vector<Descriptor> fds;
    for (int i = 0; i < pipes; ++i)
        fds.push_back(pipe_fd(10 + i, 1000 + i));
    HarnessReading r;
    r.resources = seen_resources(fds, {}, {}, {});
    r.threads = 1;
    return r;
}

const Series* find_series(const CycleRun& run, Quantity q, const std::string& what) {
    for (const Series& s : run.series) {
        if (s.quantity == q && s.what == what) return &s;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("a metrics event carries heap, rss, handles, listeners and values", "[cycles][control]") {
    ControlEvent e =
        one_event(R"({"event":"metrics","heap_used_bytes":12345678,"rss_bytes":45678901,)"
                  R"("handles":[{"type":"Timeout","count":2,"site":"src/plugin.mjs:41"}],)"
                  R"("listeners":[{"emitter":"process","event":"exit","count":3,"site":"src/plugin.mjs:12"}],)"
                  R"("values":{"cache_entries":10}})");
    REQUIRE(says(e, ControlMessage::Type::metrics));
    CHECK(e->metrics.heap_used_bytes == 12345678);
    CHECK(e->metrics.rss_bytes == 45678901);
    REQUIRE(e->metrics.handles.size() == 1);
    CHECK(e->metrics.handles[0].what == "Timeout");
    CHECK(e->metrics.handles[0].count == 2);
    CHECK(e->metrics.handles[0].site == "src/plugin.mjs:41");
    REQUIRE(e->metrics.listeners.size() == 1);
    CHECK(e->metrics.listeners[0].what == "process 'exit'");
    CHECK(e->metrics.listeners[0].count == 3);
    REQUIRE(e->metrics.values.size() == 1);
    CHECK(e->metrics.values[0].what == "cache_entries");
    CHECK(e->metrics.values[0].count == 10);

    ControlEvent empty = one_event(R"({"event":"metrics"})");
    REQUIRE(says(empty, ControlMessage::Type::metrics));
    CHECK_FALSE(empty->metrics.heap_used_bytes);
}

TEST_CASE("a malformed metrics event is an invalid line that says what was wrong", "[cycles][control]") {
    for (std::string line : {R"({"event":"metrics","heap_used_bytes":"big"})", R"({"event":"metrics","rss_bytes":-1})",
                             R"({"event":"metrics","handles":{}})", R"({"event":"metrics","handles":[7]})",
                             R"({"event":"metrics","listeners":[{"emitter":"p","count":-2}]})",
                             R"({"event":"metrics","values":[1]})", R"({"event":"metrics","values":{"a":"x"}})"}) {
        ControlEvent e = one_event(line);
        INFO(line);
        REQUIRE_FALSE(e.has_value());
        CHECK(e.error().message.starts_with("metrics: "));
    }
}

TEST_CASE("a metrics list longer than 1,000 items is refused, not kept", "[cycles][control]") {
    std::string items;
    for (int i = 0; i < 1001; ++i)
        items += std::string(i ? "," : "") + R"({"type":"T"})";
    ControlEvent e = one_event(R"({"event":"metrics","handles":[)" + items + "]}");
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().message == "metrics: \"handles\" has 1001 items, at most 1,000");
}

TEST_CASE("readings become series with what appeared each cycle", "[cycles]") {
    CycleRecorder recorder;
    for (int pipes = 2; pipes <= 6; ++pipes)
        recorder.add(reading_with_pipes(pipes));
    CycleRun run = recorder.run(4, 1, 4);
    CHECK(run.requested == 4);
    CHECK(run.warmup == 1);
    CHECK(run.completed == 4);
    const Series* pipes = find_series(run, Quantity::descriptors, "pipe");
    REQUIRE(pipes);
    CHECK(pipes->values == std::vector<std::int64_t>{2, 3, 4, 5, 6});
    REQUIRE(pipes->appeared.size() == 5);
    CHECK(pipes->appeared[0].empty());
    CHECK(pipes->appeared[1] == std::vector<std::string>{"pipe:[1002]"});
    CHECK(pipes->appeared[4] == std::vector<std::string>{"pipe:[1005]"});
    const Series* threads = find_series(run, Quantity::threads, "");
    REQUIRE(threads);
    CHECK(threads->values == std::vector<std::int64_t>{1, 1, 1, 1, 1});
}

TEST_CASE("a series first seen late is filled with what earlier readings imply", "[cycles]") {
    CycleRecorder recorder;
    HarnessReading plain;  // no metrics, no descriptors
    recorder.add(plain);
    HarnessReading with_metrics;
    with_metrics.metrics = HarnessMetrics{};
    recorder.add(with_metrics);
    HarnessReading late = reading_with_pipes(1);
    late.metrics = HarnessMetrics{};
    late.metrics->heap_used_bytes = 1000;
    late.metrics->listeners.push_back({"process 'exit'", 2, "a.mjs:3"});
    recorder.add(late);
    CycleRun run = recorder.run(0, 0, 2);
    // leakaudit measured descriptors every time: none before is 0
    CHECK(find_series(run, Quantity::descriptors, "pipe")->values == std::vector<std::int64_t>{0, 0, 1});
    // listeners are listed in full in every metrics: absent from one is 0, no metrics is missing
    const Series* listeners = find_series(run, Quantity::listeners, "process 'exit'");
    REQUIRE(listeners);
    CHECK(listeners->values == std::vector<std::int64_t>{Series::k_missing, 0, 2});
    CHECK(listeners->site == "a.mjs:3");
    // the heap was not said before: missing
    CHECK(find_series(run, Quantity::heap_bytes, "")->values ==
          std::vector<std::int64_t>{Series::k_missing, Series::k_missing, 1000});
}

TEST_CASE("a harness that leaks one pipe per cycle is one growth finding of 1 per cycle", "[cycles][growth]") {
    CycleRecorder recorder;
    for (int pipes = 3; pipes <= 13; ++pipes)
        recorder.add(reading_with_pipes(pipes));
    CycleRun run = recorder.run(10, 2, 10);
    std::vector<Finding> findings = growth_findings(run, GrowthTolerances{});
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.kind == Kind::growth);
    CHECK(f.severity == Severity::error);
    CHECK(f.attribution == Attribution::cycles);
    REQUIRE(f.growth);
    CHECK(f.growth->quantity == Quantity::descriptors);
    CHECK(f.growth->what == "pipe");
    CHECK(f.growth->per_cycle == Approx(1.0));
    CHECK(f.growth->cycles_judged == 8);
    CHECK(f.growth->first == 5);
    CHECK(f.growth->last == 13);
    CHECK(f.growth->appeared.size() == 8);
    CHECK(f.growth->appeared.front() == "pipe:[1005]");
    CHECK(
        f.message.starts_with("descriptors (pipe) grew by 1 per cycle over 8 cycles (5 → 13); new each cycle: "
                              "pipe:[1005], pipe:[1006]"));
    CHECK(f.id.starts_with("growth:"));
    // the id does not depend on the amounts: the same leak in another run has the same id
    CycleRecorder other;
    for (int pipes = 1; pipes <= 20; pipes += 2)
        other.add(reading_with_pipes(pipes));
    std::vector<Finding> again = growth_findings(other.run(0, 2, 9), GrowthTolerances{});
    REQUIRE(again.size() == 1);
    CHECK(again[0].id == f.id);
}

TEST_CASE("a clean cycling harness has no growth findings", "[cycles][growth]") {
    CycleRecorder recorder;
    for (int i = 0; i <= 10; ++i)
        recorder.add(reading_with_pipes(3));
    CHECK(growth_findings(recorder.run(10, 2, 10), GrowthTolerances{}).empty());
}

TEST_CASE("fewer cycles than asked is a harness warning, too few to judge a report warning", "[cycles]") {
    CycleRun run;
    run.requested = 10;
    run.warmup = 2;
    run.completed = 4;
    std::vector<Finding> f = cycle_count_findings(run);
    REQUIRE(f.size() == 1);
    CHECK(f[0].kind == Kind::harness);
    CHECK(f[0].severity == Severity::warning);
    CHECK(f[0].message.find("completed 4 of 10 cycles") != std::string::npos);
    CHECK(cycle_warnings(run).size() == 1);  // 2 judged < 3
    run.completed = 10;
    CHECK(cycle_count_findings(run).empty());
    CHECK(cycle_warnings(run).empty());
}

TEST_CASE("amounts are shown in their unit", "[cycles]") {
    CHECK(format_amount(Quantity::descriptors, 1.0) == "1");
    CHECK(format_amount(Quantity::descriptors, 0.98) == "1");
    CHECK(format_amount(Quantity::listeners, 0.5) == "0.5");
    CHECK(format_amount(Quantity::heap_bytes, 1048576.0) == "1.0 MiB");
    CHECK(format_amount(Quantity::heap_bytes, 524288.0) == "512 KiB");
    CHECK(format_amount(Quantity::rss_bytes, 12.0) == "12 B");
}

TEST_CASE("the text table shows one column per reading, warm-up set off", "[cycles]") {
    CycleRecorder recorder;
    for (int pipes = 3; pipes <= 7; ++pipes)
        recorder.add(reading_with_pipes(pipes));
    CycleRun run = recorder.run(4, 1, 4);
    Growth g;
    g.quantity = Quantity::descriptors;
    g.what = "pipe";
    std::vector<std::string> lines = growth_table(run, g);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "cycle base 1 | 2 3 4");
    CHECK(lines[1] == " pipe    3 4 | 5 6 7");
    g.what = "file";
    CHECK(growth_table(run, g).empty());
}

TEST_CASE("a long run's table shows the first and the last readings", "[cycles]") {
    CycleRecorder recorder;
    for (int pipes = 0; pipes <= 40; ++pipes)
        recorder.add(reading_with_pipes(pipes));
    Growth g;
    g.quantity = Quantity::descriptors;
    g.what = "pipe";
    std::vector<std::string> lines = growth_table(recorder.run(40, 2, 40), g);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].find(" … ") != std::string::npos);
    CHECK(lines[0].find(" 40") != std::string::npos);
}

TEST_CASE("sites give annotations a file and line when relative", "[cycles]") {
    auto a = site_line("src/plugin.mjs:41:7");
    REQUIRE(a);
    CHECK(a->file == "src/plugin.mjs");
    CHECK(a->line == 41);
    auto b = site_line("start (src/plugin.mjs:12:3) ← main (test.mjs:2:1)");
    REQUIRE(b);
    CHECK(b->file == "src/plugin.mjs");
    CHECK(b->line == 12);
    CHECK(site_line("src/plugin.mjs:9")->line == 9);
    CHECK_FALSE(site_line("/abs/plugin.mjs:4:1"));
    CHECK_FALSE(site_line("file:///x/plugin.mjs:4:1"));
    CHECK_FALSE(site_line("node:events:5:1"));
    CHECK_FALSE(site_line("plugin.mjs"));
    CHECK_FALSE(site_line(""));
}

TEST_CASE("byte sizes in settings and rules", "[cycles]") {
    CHECK(*parse_byte_size("512KiB") == 512 * 1024);
    CHECK(*parse_byte_size("1MiB") == 1024 * 1024);
    CHECK(*parse_byte_size("1.5MiB") == 1572864);
    CHECK(*parse_byte_size("2MB") == 2'000'000);
    CHECK(*parse_byte_size("4096") == 4096);
    CHECK(*parse_byte_size("10 KB") == 10'000);
    CHECK_FALSE(parse_byte_size(""));
    CHECK_FALSE(parse_byte_size("KiB"));
    Result<std::int64_t> parsecs = parse_byte_size("5 parsecs");
    REQUIRE_FALSE(parsecs);
    CHECK(parsecs.error().message == "unknown unit `parsecs` in `5 parsecs`: expected B, KB, KiB, MB, MiB, GB or GiB");
    CHECK_FALSE(parse_byte_size("99999999999GiB"));
}

// node-cron 4 keeps a stopped task in its registry (one 'task:destroyed' listener per
// start): the hint names the library's object to end, not emitter.off().
TEST_CASE("a listener a library adds each cycle gets a hint naming the library", "[cycles][growth]") {
    auto listener_growth = [](const std::string& site) {
        CycleRecorder recorder;
        for (int n = 0; n <= 6; ++n) {
            HarnessReading r = reading_with_pipes(3);
            r.metrics = HarnessMetrics{};
            r.metrics->listeners.push_back({"TaskEmitter 'task:destroyed'", n, site});
            recorder.add(r);
        }
        std::vector<Finding> findings = growth_findings(recorder.run(6, 2, 6), GrowthTolerances{});
        REQUIRE(findings.size() == 1);
        return findings[0].hint;
    };
    std::string cron = listener_growth("node_modules/node-cron/dist/_shared.js:1223 ← plugins/clean-cron.mjs:5");
    CHECK_THAT(cron, Catch::StartsWith("a listener that node-cron adds each cycle is never released"));
    CHECK_THAT(cron, Catch::Contains("task.destroy()"));
    std::string scoped = listener_growth("/srv/app/node_modules/@acme/bus/index.js:4 ← src/plugin.mjs:9");
    CHECK_THAT(scoped, Catch::StartsWith("a listener that @acme/bus adds each cycle"));
    CHECK_THAT(scoped, !Catch::Contains("task.destroy()"));
    std::string own = listener_growth("src/plugin.mjs:9 ← node_modules/host/index.js:3");
    CHECK(own == "a listener is added each cycle and never removed: remove it in stop() (emitter.off)");
}
