// os::random_hex: hex of the asked length, and a bounded number of attempts when the
// source keeps failing (an error, not a hang), then the fallback.
#include <catch2/catch.hpp>
#include <cerrno>
#include <cstring>

#include "os/random.hpp"

using namespace leakaudit;

TEST_CASE("random_hex gives 2 hex digits a byte from getrandom", "[os][random]") {
    Result<std::string> hex = os::random_hex(8, os::system_random);
    REQUIRE(hex);
    CHECK(hex->size() == 16);
    CHECK(hex->find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(os::random_hex(8).size() == 16);
}

TEST_CASE("random_hex asks a failing source a bounded number of times, then says why", "[os][random]") {
    int calls = 0;
    auto failing = [&](void*, std::size_t) -> ssize_t {
        ++calls;
        errno = ENOSYS;
        return -1;
    };
    Result<std::string> hex = os::random_hex(8, failing);
    REQUIRE_FALSE(hex);
    CHECK(calls == os::k_random_attempts);
    CHECK(hex.error().message == std::string("getrandom: ") + std::strerror(ENOSYS) + " (asked 64 times)");
}

TEST_CASE("random_hex completes from a source that gives one byte at a time", "[os][random]") {
    auto trickle = [](void* buffer, std::size_t) -> ssize_t {
        std::memset(buffer, 0xab, 1);
        return 1;
    };
    Result<std::string> hex = os::random_hex(4, trickle);
    REQUIRE(hex);
    CHECK(*hex == "abababab");
}

TEST_CASE("fallback_hex is hex of the asked length and differs on every call", "[os][random]") {
    std::string a = os::fallback_hex(8);
    std::string b = os::fallback_hex(8);
    CHECK(a.size() == 16);
    CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(a != b);
    CHECK(os::fallback_hex(6).size() == 12);
}
