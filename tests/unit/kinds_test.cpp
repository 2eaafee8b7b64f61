// The per-kind and per-attribution tables: every value has one name, names read back.
#include <catch2/catch.hpp>

#include <set>

#include "core/finding.hpp"

using namespace leakaudit;

TEST_CASE("every kind's name reads back as that kind", "[kinds]") {
    for (const KindInfo& info : k_kinds) {
        CHECK(parse_kind(info.name) == info.kind);
        CHECK(to_string(info.kind) == info.name);
    }
    CHECK_FALSE(parse_kind("listeners"));
}

TEST_CASE("only harness findings escape rules, and defaults match the README", "[kinds]") {
    CHECK(ruled_kind_names() ==
          std::vector<std::string_view>{"process", "socket", "fd", "tmp", "handle", "listener", "growth"});
    CHECK(kind_info(Kind::fd).default_severity == Severity::warning);
    CHECK(kind_info(Kind::handle).default_severity == Severity::warning);
    CHECK(kind_info(Kind::listener).default_severity == Severity::warning);
    CHECK(kind_info(Kind::tmp).default_severity == Severity::error);
    CHECK(kind_info(Kind::growth).default_severity == Severity::error);  // README "Cycles and growth"
}

TEST_CASE("every attribution has its own report name", "[kinds]") {
    std::set<std::string> names;
    for (const AttributionName& a : k_attribution_names)
        CHECK(names.insert(to_string(a.attribution)).second);
    CHECK(names.size() == std::size(k_attribution_names));
    CHECK(to_string(Attribution::creator_pid) == "creator-pid");
    CHECK(to_string(Attribution::node_kit) == "node-kit");
    CHECK(to_string(Attribution::none).empty());
}

TEST_CASE("severity names read back, in --fail-on order", "[kinds]") {
    for (Severity s : {Severity::ignore, Severity::info, Severity::warning, Severity::error})
        CHECK(parse_severity(to_string(s)) == s);
    CHECK_FALSE(parse_severity("fatal"));
}
