// Globs and regexes as rule values: `*` vs `/`, `**`, classes, escapes, anchoring.
#include <catch2/catch.hpp>

#include "rules/pattern.hpp"

namespace leakaudit {
namespace {

bool glob(std::string_view pattern, std::string_view text, GlobMode mode = GlobMode::path) {
    Result<Pattern, PatternError> compiled = Pattern::compile(pattern, mode);
    REQUIRE(compiled);
    return compiled->matches(text);
}

std::string compile_error(std::string_view pattern, std::size_t* offset_out = nullptr) {
    Result<Pattern, PatternError> compiled = Pattern::compile(pattern, GlobMode::path);
    REQUIRE_FALSE(compiled);
    if (offset_out) *offset_out = compiled.error().offset;
    return compiled.error().message;
}

}  // namespace

TEST_CASE("path glob: `*` and `?` stay inside one component, `**` crosses `/`", "[rules][glob]") {
    CHECK(glob("/tmp/*", "/tmp/plugin-1"));
    CHECK_FALSE(glob("/tmp/*", "/tmp/plugin-1/cache"));
    CHECK(glob("/tmp/**", "/tmp/plugin-1/cache/x"));
    CHECK(glob("/tmp/**/x", "/tmp/a/b/x"));
    CHECK(glob("/tmp/**/x", "/tmp//x"));
    CHECK_FALSE(glob("/tmp/?", "/tmp//"));
    CHECK(glob("/tmp/?", "/tmp/a"));
    CHECK(glob("**/__pycache__", "/tmp/a/b/__pycache__"));
    CHECK_FALSE(glob("/tmp/*/x", "/tmp/a/b/x"));
    CHECK(glob("/tmp/***", "/tmp/a/b"));  // three stars are two
}

TEST_CASE("text glob: `*` matches `/` for non-path keys", "[rules][glob]") {
    CHECK(glob("kworker/*", "kworker/0:1-events", GlobMode::text));
    CHECK(glob("node *", "node /srv/app/server.js --port 80", GlobMode::text));
    CHECK(glob("*", "", GlobMode::text));
    CHECK_FALSE(glob("?", "", GlobMode::text));
}

TEST_CASE("globs are anchored at both ends", "[rules][glob]") {
    CHECK_FALSE(glob("sleep", "sleepy", GlobMode::text));
    CHECK_FALSE(glob("sleep", "asleep", GlobMode::text));
    CHECK(glob("", ""));
    CHECK_FALSE(glob("", "x"));
}

TEST_CASE("glob classes: ranges, negation, ` `-first, no `/` in path mode", "[rules][glob]") {
    CHECK(glob("/tmp/[a-c]x", "/tmp/bx"));
    CHECK_FALSE(glob("/tmp/[a-c]x", "/tmp/dx"));
    CHECK(glob("/tmp/[!a-c]x", "/tmp/dx"));
    CHECK(glob("/tmp/[^a-c]x", "/tmp/dx"));
    CHECK_FALSE(glob("/tmp/[!a-c]x", "/tmp/ax"));
    CHECK(glob("[]]", "]"));
    CHECK(glob("[!]]", "a"));
    CHECK_FALSE(glob("[!]]", "]"));
    CHECK(glob("[a-]", "-"));
    CHECK_FALSE(glob("a[!x]b", "a/b"));
    CHECK(glob("a[!x]b", "a/b", GlobMode::text));
}

TEST_CASE("glob escapes: bracket classes and backslashes make specials literal", "[rules][glob]") {
    CHECK(glob("a[*]b", "a*b"));
    CHECK_FALSE(glob("a[*]b", "axb"));
    CHECK(glob("a[?]", "a?"));
    CHECK(glob("a[[]", "a["));
    CHECK(glob("a[\\]", "a\\"));  // backslash is literal inside a class
    CHECK(glob("a\\*", "a*"));
    CHECK_FALSE(glob("a\\*", "ab"));
}

TEST_CASE("globs match raw bytes, not only UTF-8", "[rules][glob]") {
    CHECK(glob("/tmp/caf?", "/tmp/caf\xe9"));
    CHECK(glob("/tmp/*", "/tmp/\xff\xfe"));
    CHECK(glob("/tmp/caf\xc3\xa9", "/tmp/caf\xc3\xa9"));
}

TEST_CASE("glob matching has no exponential backtracking", "[rules][glob]") {
    std::string text(5000, 'a');
    CHECK_FALSE(glob("*a*a*a*a*a*a*a*a*a*a*b", text, GlobMode::text));
    CHECK(glob("**a**a**a", text));
}

TEST_CASE("bad globs name the problem and its offset", "[rules][glob]") {
    std::size_t offset = 99;
    CHECK_THAT(compile_error("/tmp/[abc", &offset), Catch::Contains("unclosed `[`"));
    CHECK(offset == 5);
    CHECK_THAT(compile_error("[]"), Catch::Contains("unclosed"));
    CHECK_THAT(compile_error("a\\", &offset), Catch::Contains("lone `\\`"));
    CHECK(offset == 1);
}

TEST_CASE("regex after `re:` must match the whole value", "[rules][regex]") {
    CHECK(glob("re:sle+p", "sleep"));
    CHECK_FALSE(glob("re:sle+p", "sleep 5"));
    CHECK_FALSE(glob("re:leep", "sleep"));
    CHECK(glob("re:/tmp/.*", "/tmp/a/b"));  // `.` crosses `/`: regexes are not path-aware
    CHECK(glob("re:a|b", "b"));
    CHECK(glob("re:", ""));
    CHECK(glob("re:caf.", "caf\xe9"));  // `.` is one byte
}

TEST_CASE("bad regexes and oversized patterns are errors, not crashes", "[rules][regex]") {
    CHECK_THAT(compile_error("re:(unclosed"), Catch::Contains("bad regex"));
    CHECK_THAT(compile_error("re:a{2,1}"), Catch::Contains("bad regex"));
    CHECK_THAT(compile_error("re:[z-a]"), Catch::Contains("bad regex"));
    CHECK_THAT(compile_error(std::string(k_max_pattern_length + 1, 'a')), Catch::Contains("limit"));
}

TEST_CASE("port ranges", "[rules][port]") {
    CHECK(parse_port_range("9229")->contains(9229));
    Result<PortRange> range = parse_port_range("9000-9100");
    REQUIRE(range);
    CHECK(range->contains(9000));
    CHECK(range->contains(9100));
    CHECK_FALSE(range->contains(9101));
    for (const char* bad : {"", "-", "9100-9000", "70000", "9000-", "x", "1-2-3", " 80", "-5"}) {
        INFO(bad);
        Result<PortRange> refused = parse_port_range(bad);
        REQUIRE_FALSE(refused);
        CHECK_THAT(refused.error().message, Catch::Contains("bad port range"));
    }
}

}  // namespace leakaudit
