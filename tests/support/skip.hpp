// A test that cannot run here (no root, no IPv6, no chromium) reports skipped, not
// passed: it prints the marker below, which CTest's SKIP_REGULAR_EXPRESSION (set on
// every discovered test in tests/CMakeLists.txt) turns into "Skipped". Catch2 2.13 has
// no SKIP macro of its own.
#pragma once

#include <catch2/catch.hpp>

#define LEAKAUDIT_SKIP_MARKER "leakaudit-test-skipped:"

// Ends the current TEST_CASE as skipped, saying why.
#define LEAKAUDIT_SKIP(why)                     \
    do {                                        \
        WARN(LEAKAUDIT_SKIP_MARKER " " << why); \
        return;                                 \
    } while (false)
