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
