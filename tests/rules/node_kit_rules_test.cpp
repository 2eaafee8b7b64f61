// Rules over the Node kit's fields: `site`, `package` on handles; `emitter`, `event`,
// `site`, `package` on listeners; misspellings get "did you mean"; and the finding's
// natural severity (ref'd handle: error) holds unless a rule or [severity] decides.
#include <catch2/catch.hpp>

#include "rules/suggest.hpp"
#include "rules_test_support.hpp"

namespace leakaudit {

using namespace leakaudit::test;

namespace {

Finding kit_handle(std::string package, std::string site, bool ref = true) {
    Finding f = handle_finding("Timeout", "setInterval 1000ms");
    f.handle->ref = ref;
    f.handle->where.package = std::move(package);
    f.handle->where.site = std::move(site);
    f.natural_severity = ref ? Severity::error : Severity::warning;
    return f;
}

Finding kit_listener(std::string emitter, std::string event) {
    Finding f;
    f.kind = Kind::listener;
    f.listener = Listener{std::move(emitter), std::move(event), 1, {}};
    f.listener->where.site = "src/plugin.mjs:52";
    f.natural_severity = Severity::warning;
    return f;
}

}  // namespace

TEST_CASE("node kit rules: ignore every handle created inside pino", "[rules][node-kit]") {
    std::string rules = "[[rule]]\nkind = \"handle\"\npackage = \"pino\"\naction = \"ignore\"\n";
    CHECK(judge(rules, kit_handle("pino", "node_modules/pino/lib/tools.js:12")) == Severity::ignore);
    CHECK(judge(rules, kit_handle("", "src/plugin.mjs:41")) == Severity::error);
    std::string by_site = "[[rule]]\nkind = \"handle\"\nsite = \"node_modules/thread-stream/**\"\naction = \"info\"\n";
    CHECK(judge(by_site, kit_handle("thread-stream", "node_modules/thread-stream/index.js:3")) == Severity::info);
}

TEST_CASE("node kit rules: listeners match emitter and event", "[rules][node-kit]") {
    std::string rules = "[[rule]]\nkind = \"listener\"\nemitter = \"process\"\nevent = \"SIG*\"\naction = \"info\"\n";
    CHECK(judge(rules, kit_listener("process", "SIGTERM")) == Severity::info);
    CHECK(judge(rules, kit_listener("Host", "SIGTERM")) == Severity::warning);
}

TEST_CASE("node kit rules: natural severity unless a [severity] table decides", "[rules][node-kit]") {
    CHECK(judge("", kit_handle("", "a.mjs:1", true)) == Severity::error);
    CHECK(judge("", kit_handle("", "a.mjs:1", false)) == Severity::warning);
    CHECK(judge("", handle_finding("Timeout", "from the control channel")) == Severity::warning);
    CHECK(judge("[severity]\nhandle = \"info\"\n", kit_handle("", "a.mjs:1", true)) == Severity::info);
    CHECK(judge("[severity]\nlistener = \"error\"\n", kit_listener("Host", "data")) == Severity::error);
}

TEST_CASE("node kit rules: misspelt and misplaced keys are errors with their position", "[rules][node-kit]") {
    Parsed typo = parse("[[rule]]\nkind = \"listener\"\nevnet = \"SIGTERM\"\naction = \"ignore\"\n");
    REQUIRE(typo.diagnostics.size() == 1);
    CHECK(format_diagnostic(typo.diagnostics[0])
              .starts_with("leakaudit.toml:3:1: unknown key `evnet` in [[rule]] — did you mean `event`?"));
    Parsed wrong_kind = parse("[[rule]]\nkind = \"process\"\npackage = \"pino\"\naction = \"ignore\"\n");
    REQUIRE(wrong_kind.diagnostics.size() == 1);
    CHECK(wrong_kind.diagnostics[0].message.find("`package` does not apply to kind `process`") != std::string::npos);
    Parsed kind_typo = parse("[[rule]]\nkind = \"listner\"\naction = \"ignore\"\n");
    REQUIRE(kind_typo.diagnostics.size() == 1);
    CHECK(kind_typo.diagnostics[0].message.find("did you mean `listener`?") != std::string::npos);
}

TEST_CASE("node kit rules: --suggest-rules matches by site, which is stable, not by detail", "[rules][node-kit]") {
    Finding h = kit_handle("", "src/plugin.mjs:41");
    h.severity = Severity::error;
    Finding l = kit_listener("process", "SIGTERM");
    l.severity = Severity::error;
    std::string text = suggest_rules({h, l});
    CHECK(text.find("kind = \"handle\"\ntype = \"Timeout\"\nsite = \"src/plugin.mjs:41\"\n") != std::string::npos);
    CHECK(text.find("kind = \"listener\"\nemitter = \"process\"\nevent = \"SIGTERM\"\nsite = \"src/plugin.mjs:41\"") ==
          std::string::npos);
    CHECK(
        text.find("kind = \"listener\"\nemitter = \"process\"\nevent = \"SIGTERM\"\nsite = \"src/plugin.mjs:52\"\n") !=
        std::string::npos);
    Parsed back = parse(text);
    CHECK(back.diagnostics.empty());
    CHECK(judge(text, h) == Severity::ignore);
    CHECK(judge(text, l) == Severity::ignore);
}

}  // namespace leakaudit
