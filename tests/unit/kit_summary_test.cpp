// The Node kit's live summary on plain data (core/kit_summary.hpp): parsed with bounds,
// worded for the status line, and bounded however much the harness holds.
#include <catch2/catch.hpp>

#include "core/kit_summary.hpp"
#include "core/status_line.hpp"

using namespace leakaudit;

namespace {

constexpr const char* k_token = "0123456789abcdef";

KitHeldKind kind(std::string name, long long count, long long ref, std::string detail, std::string site) {
    return KitHeldKind{std::move(name), count, ref, std::move(detail), std::move(site)};
}

}  // namespace

TEST_CASE("a kit summary is read only with the run's token, and bounded", "[status-line][kit-summary]") {
    std::string text = R"({"type":"summary","token":"0123456789abcdef","pid":4242,"at_ms":1,"recorded":2,
        "handles":[{"kind":"setInterval","count":1,"ref":1,"detail":"60000ms","site":"plugins/leak-interval.mjs:12"},
                   {"kind":"server","count":1,"ref":1,"detail":"127.0.0.1:43121"}],"more_kinds":0})";
    std::optional<KitSummary> s = parse_kit_summary(text, k_token);
    REQUIRE(s);
    CHECK(s->pid == 4242);
    CHECK(s->at_ms == 1);
    REQUIRE(s->kinds.size() == 2);
    CHECK(s->kinds[0].site == "plugins/leak-interval.mjs:12");
    CHECK_FALSE(parse_kit_summary(text, "ffffffffffffffff"));  // a stray file
    CHECK_FALSE(parse_kit_summary("{\"type\":\"summary\"", k_token));
    CHECK_FALSE(parse_kit_summary("[1,2]", k_token));
    CHECK_FALSE(parse_kit_summary(R"({"type":"report","token":"0123456789abcdef"})", k_token));
    CHECK_FALSE(parse_kit_summary(std::string(k_summary_bytes + 1, ' '), k_token));

    std::string many = R"({"type":"summary","token":"0123456789abcdef","pid":1,"handles":[)";
    for (int i = 0; i < 30; ++i)
        many += std::string(i ? "," : "") + R"({"kind":"k)" + std::to_string(i) + R"(","count":-5,"ref":9,"site":")" +
                std::string(1000, 'x') + "\"}";
    many += "]}";
    std::optional<KitSummary> bounded = parse_kit_summary(many, k_token);
    REQUIRE(bounded);
    CHECK(bounded->kinds.empty());  // a negative count is none
    std::string big = R"({"type":"summary","token":"0123456789abcdef","pid":1,"handles":[)";
    for (int i = 0; i < 30; ++i)
        big += std::string(i ? "," : "") + R"({"kind":"k)" + std::to_string(i) + R"(","count":3,"ref":9,"site":")" +
               std::string(1000, 'x') + "\"}";
    big += "]}";
    bounded = parse_kit_summary(big, k_token);
    REQUIRE(bounded);
    CHECK(bounded->kinds.size() == k_summary_kinds);
    CHECK(bounded->more_kinds == 10);
    CHECK(bounded->kinds[0].ref == 3);                // never more ref'd than there are
    CHECK(bounded->kinds[0].site.size() <= 200 + 3);  // cut, with "…"
}

TEST_CASE("the status line names what the kit says the harness holds, with sites", "[status-line][kit-summary]") {
    KitSummary harness{4242,
                       0,
                       {kind("setInterval", 1, 1, "60000ms", "plugins/leak-interval.mjs:12"),
                        kind("server", 1, 1, "127.0.0.1:43121", "plugins/leak-server.mjs:9")},
                       0};
    CHECK(kit_held_text({harness}) ==
          "holds 1 setInterval 60000ms (plugins/leak-interval.mjs:12), 1 server 127.0.0.1:43121 "
          "(plugins/leak-server.mjs:9)");
    RunNow now;
    now.command = {"node", "harness-plain.mjs", "leak-interval.mjs"};
    now.harness_pid = 4242;
    now.age_ms = 30'000;
    now.kit = {harness};
    CHECK_THAT(status_line(now), Catch::Contains(" · holds 1 setInterval 60000ms (plugins/leak-interval.mjs:12), "));
    CHECK(kit_held_text({}).empty());
    CHECK(kit_held_text({KitSummary{1, 0, {}, 0}}).empty());
}

TEST_CASE("kinds merge over Node processes, ref'd first, and a site is the user's frame",
          "[status-line][kit-summary]") {
    KitSummary a{1, 0, {kind("fs.watch", 5, 0, "", "src/w.mjs:2"), kind("setTimeout", 2, 2, "100ms", "")}, 0};
    KitSummary b{
        2, 0, {kind("setTimeout", 3, 1, "5ms", "node_modules/node-cron/src/scheduler.js:30 ← src/plugin.mjs:41")}, 0};
    CHECK(kit_held_text({a, b}) == "holds 5 setTimeout 100ms (src/plugin.mjs:41), 5 fs.watch (unref'd) (src/w.mjs:2)");
    KitSummary lib{
        3, 0, {kind("socket", 1, 1, "", "node_modules/pg/lib/client.js:9 ← node_modules/pg/lib/pool.js:3")}, 0};
    CHECK(kit_held_text({lib}) == "holds 1 socket (node_modules/pg/lib/client.js:9)");
    std::string deep = "/" + std::string(300, 'd') + "/plugin.mjs:41";
    std::string text = kit_held_text({KitSummary{4, 0, {kind("setInterval", 1, 1, "", deep)}, 0}});
    CHECK_THAT(text, Catch::EndsWith("/plugin.mjs:41)"));  // cut from the left: file and line stay
    CHECK(text.size() < 100);
    KitSummary escape{5, 0, {kind("server", 1, 1, "\x1b]0;x\x07", "a.mjs:1")}, 0};
    CHECK(kit_held_text({escape}).find('\x1b') == std::string::npos);
}

TEST_CASE("a harness holding 10,000 handles gives a status line of bounded size", "[status-line][kit-summary]") {
    KitSummary huge{4242, 0, {}, 0};
    for (int i = 0; i < 10'000; ++i)
        huge.kinds.push_back(kind("kind" + std::to_string(i), 10'000, 10'000, std::string(200, 'd'),
                                  std::string(200, 's') + ".mjs:" + std::to_string(i)));
    std::string text = kit_held_text({huge, huge});
    CHECK_THAT(text, Catch::EndsWith(" and 9997 more kinds"));
    CHECK_THAT(text, Catch::StartsWith("holds 20000 kind0 "));
    CHECK(text.size() < 1200);
    RunNow now;
    now.command = {"node", "h.mjs"};
    now.harness_pid = 1;
    now.kit = {huge};
    CHECK(status_line(now).size() < 1500);
    // One kind, 10,000 of it: one count.
    CHECK(kit_held_text({KitSummary{1, 0, {kind("setTimeout", 10'000, 10'000, "1000ms", "p.mjs:3")}, 0}}) ==
          "holds 10000 setTimeout 1000ms (p.mjs:3)");
}
