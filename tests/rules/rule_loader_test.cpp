// Load order and precedence across files and packs, pack lookup and its messages, the
// `rules check` / `rules packs` commands, and that every shipped pack checks clean.
#include <catch2/catch.hpp>

#include <sstream>

#include "app/rules_command.hpp"
#include "rules/rule_loader.hpp"
#include "rules_test_support.hpp"

namespace leakaudit {

using namespace leakaudit::test;
using namespace std::chrono_literals;

namespace {

const std::filesystem::path k_data = RULES_TEST_DATA;
const std::vector<std::filesystem::path> k_test_packs{k_data / "packs_a", k_data / "packs_b"};

RuleLoadRequest test_request(std::vector<std::string> extra) {
    RuleLoadRequest request;
    request.pack_dirs = k_test_packs;
    request.project_file = k_data / "project" / "leakaudit.toml";
    request.extra = std::move(extra);
    return request;
}

}  // namespace

TEST_CASE("load order: built-ins, default pack, project file, then --rules in order", "[rules][loader]") {
    Result<RuleSet, Diagnostics> loaded = load_rules(test_request({"alpha", "beta"}));
    INFO((loaded ? "" : all_messages(loaded.error())));
    REQUIRE(loaded.has_value());
    std::vector<std::string> files = loaded->files();
    REQUIRE(files.size() == 4);
    CHECK(files[0] == (k_data / "packs_a" / "default.toml").string());
    CHECK(files[1] == (k_data / "project" / "leakaudit.toml").string());
    CHECK(files[2] == (k_data / "packs_a" / "alpha.toml").string());  // the first folder wins
    CHECK(files[3] == (k_data / "packs_b" / "beta.toml").string());
    // Later files override settings and severities...
    CHECK(loaded->settings().grace == 3s);
    CHECK(loaded->settings().timeout == 1min);
    CHECK(loaded->default_severity(Kind::fd) == Severity::error);
    // ...while rules concatenate and the first match wins: the project's rule beats beta's.
    REQUIRE(loaded->rules().size() == 4);
    std::vector<Finding> findings{tmp_finding("/tmp/alpha-beta"), process_finding("from-default", {})};
    loaded->apply(findings);
    CHECK(findings[0].severity == Severity::warning);
    CHECK(findings[1].severity == Severity::ignore);
}

TEST_CASE("a missing project file is skipped, and an explicit default pack is not loaded twice", "[rules][loader]") {
    RuleLoadRequest request = test_request({"default", (k_data / "packs_b" / "beta.toml").string()});
    request.project_file = k_data / "project" / "no-such-leakaudit.toml";
    Result<RuleSet, Diagnostics> loaded = load_rules(request);
    REQUIRE(loaded.has_value());
    CHECK(loaded->files().size() == 2);
}

TEST_CASE("pack names versus file paths", "[rules][loader]") {
    CHECK(is_pack_name("node"));
    CHECK_FALSE(is_pack_name("node.toml"));
    CHECK_FALSE(is_pack_name("./node"));
    CHECK_FALSE(is_pack_name("rules/node"));
    CHECK_FALSE(is_pack_name(""));
}

TEST_CASE("an unknown pack lists the folders searched and the packs available", "[rules][loader]") {
    Result<RuleSet, Diagnostics> loaded = load_rules(test_request({"alpah"}));
    REQUIRE_FALSE(loaded.has_value());
    REQUIRE(loaded.error().size() == 1);
    std::string text = format_diagnostic(loaded.error()[0]);
    CHECK(text == "alpah: unknown rule pack `alpah`: looked for alpah.toml in " + (k_data / "packs_a").string() + ", " +
                      (k_data / "packs_b").string() +
                      "; available packs: alpha, beta, default — did you mean `alpha`?\n");
}

TEST_CASE("a missing default pack is an error naming where it was looked for", "[rules][loader]") {
    RuleLoadRequest request;
    request.pack_dirs = {k_data / "empty"};
    request.project_file.reset();
    Result<RuleSet, Diagnostics> loaded = load_rules(request);
    REQUIRE_FALSE(loaded.has_value());
    REQUIRE(loaded.error().size() == 1);
    CHECK_THAT(loaded.error()[0].message, Catch::Contains("unknown rule pack `default`") &&
                                              Catch::Contains((k_data / "empty").string()) &&
                                              Catch::Contains("available packs: none"));
}

TEST_CASE("errors from several files are all reported", "[rules][loader]") {
    Result<RuleSet, Diagnostics> loaded =
        load_rules(test_request({(k_data / "project" / "broken.toml").string(), "nope", "missing.toml"}));
    REQUIRE_FALSE(loaded.has_value());
    REQUIRE(loaded.error().size() == 3);
    CHECK(loaded.error()[0].line == 3);
    CHECK(loaded.error()[1].file == "nope");
    CHECK(loaded.error()[2].file == "missing.toml");
}

TEST_CASE("list_packs: sorted, first folder hides a namesake, descriptions read", "[rules][loader]") {
    std::vector<PackInfo> packs = list_packs(k_test_packs);
    REQUIRE(packs.size() == 3);
    CHECK(packs[0].name == "alpha");
    CHECK(packs[0].description == "test pack alpha (first folder)");
    CHECK(packs[1].name == "beta");
    CHECK(packs[1].description.empty());
    CHECK(packs[2].name == "default");
}

TEST_CASE("rules check: prints the merged set and exits 0", "[rules][command]") {
    RulesCheckOptions options;
    options.pack_dirs = k_test_packs;
    options.project_file = k_data / "project" / "leakaudit.toml";
    std::ostringstream out, err;
    CHECK(run_rules_check(options, out, err) == ExitCode::ok);
    CHECK(err.str().empty());
    std::string text = out.str();
    CHECK_THAT(text, Catch::Contains("grace = \"2s\"") && Catch::Contains("timeout = \"1m\""));
    CHECK_THAT(text, Catch::Contains("fd = \"info\"  # from " + (k_data / "packs_a" / "default.toml").string()));
    CHECK_THAT(text, Catch::Contains("[[rule]]  # " + (k_data / "packs_a" / "default.toml").string() + "#1"));
    CHECK_THAT(text, Catch::Contains("[[rule]]  # " + (k_data / "project" / "leakaudit.toml").string() + "#1"));
    CHECK(text.find("default.toml#1") < text.find("leakaudit.toml#1"));
    // The printed set is itself a valid rules file with the same rules.
    Parsed reparsed = parse(text, "printed.toml");
    INFO(all_messages(reparsed.diagnostics));
    CHECK(reparsed.diagnostics.empty());
    CHECK(reparsed.rules.rules().size() == 2);
}

TEST_CASE("rules check FILE: every diagnostic on err, exit 2", "[rules][command]") {
    RulesCheckOptions options;
    options.pack_dirs = k_test_packs;
    options.files = {(k_data / "project" / "broken.toml").string(), "nope"};
    std::ostringstream out, err;
    CHECK(run_rules_check(options, out, err) == ExitCode::usage);
    CHECK(out.str().empty());
    CHECK_THAT(err.str(), Catch::Contains("broken.toml:3:1: unknown key `nmae` in [[rule]] — did you mean `name`?") &&
                              Catch::Contains("unknown rule pack `nope`") &&
                              Catch::EndsWith("leakaudit: error: 2 problems in 2 rules files\n"));
}

TEST_CASE("rules packs: one line per pack with its description", "[rules][command]") {
    RulesPacksOptions options{k_test_packs};
    std::ostringstream out, err;
    CHECK(run_rules_packs(options, out, err) == ExitCode::ok);
    CHECK_THAT(out.str(), Catch::StartsWith("alpha    test pack alpha (first folder)  [") &&
                              Catch::Contains("beta     (no description)"));
    RulesPacksOptions none{{k_data / "empty"}};
    CHECK(run_rules_packs(none, out, err) == ExitCode::usage);
}

TEST_CASE("every shipped pack checks clean, with a description and a reason per rule", "[rules][packs]") {
    std::vector<std::filesystem::path> shipped{RULES_PACK_DIR};
    std::vector<PackInfo> packs = list_packs(shipped);
    std::vector<std::string> names;
    for (const PackInfo& pack : packs)
        names.push_back(pack.name);
    CHECK(names == std::vector<std::string>{"chromium", "default", "jvm", "node", "python"});
    for (const PackInfo& pack : packs) {
        INFO(pack.name);
        CHECK_FALSE(pack.description.empty());
        RulesCheckOptions options;
        options.pack_dirs = shipped;
        options.files = {pack.name};
        std::ostringstream out, err;
        CHECK(run_rules_check(options, out, err) == ExitCode::ok);
        CHECK(err.str().empty());
        Diagnostics diagnostics;
        RuleFile file = read_rule_file(pack.path, pack.name, diagnostics);
        CHECK_FALSE(file.rules.empty());
        for (const Rule& rule : file.rules)
            CHECK_FALSE(rule.reason.empty());
    }
    RuleLoadRequest all;
    all.pack_dirs = shipped;
    all.project_file.reset();
    all.extra = {"node", "chromium", "python", "jvm"};
    CHECK(load_rules(all).has_value());
}

}  // namespace leakaudit
