// Result<T> and Error: the one result type, and how an error names its place.
#include <catch2/catch.hpp>

#include "core/result.hpp"

using namespace leakaudit;

namespace {
Result<int> half(int n) {
    if (n % 2 != 0) return unexpected(std::to_string(n) + " is odd");
    return n / 2;
}
}  // namespace

TEST_CASE("Result holds a value or an error", "[result]") {
    Result<int> ok = half(8);
    REQUIRE(ok);
    CHECK(*ok == 4);
    Result<int> bad = half(3);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message == "3 is odd");
    Result<void> done;
    CHECK(done.has_value());
    Result<void> failed = unexpected("no");
    CHECK_FALSE(failed);
    CHECK(failed.error().message == "no");
}

TEST_CASE("describe names file, line and column where known", "[result]") {
    CHECK(describe(Error{"bad"}) == "bad");
    CHECK(describe(Error{"bad", "a.toml"}) == "a.toml: bad");
    CHECK(describe(Error{"bad", "a.toml", 3}) == "a.toml:3: bad");
    CHECK(describe(Error{"bad", "a.toml", 3, 7}) == "a.toml:3:7: bad");
}

namespace {
enum class Why { missing, too_big };
struct TypedError {
    Why why;
    std::string message;
};
Result<int, TypedError> parse_small(int n) {
    if (n < 0) return unexpected(TypedError{Why::missing, "no value"});
    if (n > 9) return unexpected(TypedError{Why::too_big, std::to_string(n) + " is too big"});
    return n;
}
Result<void, TypedError> check_small(int n) {
    if (Result<int, TypedError> parsed = parse_small(n); !parsed) return unexpected(parsed.error());
    return {};
}
}  // namespace

TEST_CASE("a Result with a typed error keeps the kind a caller branches on", "[result]") {
    Result<int, TypedError> ok = parse_small(7);
    REQUIRE(ok);
    CHECK(*ok == 7);
    Result<int, TypedError> missing = parse_small(-1);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().why == Why::missing);
    Result<int, TypedError> big = parse_small(12);
    REQUIRE_FALSE(big);
    CHECK(big.error().why == Why::too_big);
    CHECK(big.error().message == "12 is too big");
    CHECK(check_small(3).has_value());
    Result<void, TypedError> failed = check_small(10);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().why == Why::too_big);
}

TEST_CASE("a string literal still makes an Error, not an error of type const char*", "[result]") {
    Result<std::string> failed = unexpected("plain");
    REQUIRE_FALSE(failed);
    CHECK(failed.error().message == "plain");
    CHECK(failed.error().file.empty());
}
