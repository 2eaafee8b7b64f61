// Random identifiers: the run id (LEAKAUDIT_RUN_ID) handed to the harness, the Node
// kit's token, temp file names. They must be unique, not secret.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <string>

#include "core/result.hpp"

namespace leakaudit::os {

// Fills up to `length` bytes of `buffer` as getrandom(2) does: how many, or -1 with errno.
using RandomSource = std::function<ssize_t(void* buffer, std::size_t length)>;

// getrandom(2) itself.
ssize_t system_random(void* buffer, std::size_t length);

// How many times random_hex asks its source before it gives up.
inline constexpr int k_random_attempts = 64;

// `bytes` bytes from `source` as 2 * bytes lowercase hex digits. A source that fails or
// gives short reads is asked again, k_random_attempts times in all; then an error says
// why (e.g. "getrandom: Function not implemented (asked 64 times)"), never a hang.
Result<std::string> random_hex(std::size_t bytes, const RandomSource& source);

// The same from getrandom(2); if it keeps failing, hex of the clocks, the pid and a
// counter (fallback_hex): unique, which is all these identifiers need.
std::string random_hex(std::size_t bytes);

// 2 * bytes hex digits mixed from CLOCK_REALTIME, CLOCK_MONOTONIC, the pid and a
// per-process counter: different on every call, but predictable.
std::string fallback_hex(std::size_t bytes);

}  // namespace leakaudit::os
