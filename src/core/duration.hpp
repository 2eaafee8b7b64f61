// Durations as users write them: "500ms", "2s", "5m", "1h", and combinations like
// "1m30s". The one parser for the command line (--timeout, --grace, --exit-timeout)
// and [settings]; its range is documented in README.md ("Limits").
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/result.hpp"

namespace leakaudit {

// The longest duration accepted: one year. Anything longer is a typo, and a deadline
// of now + that still fits every clock leakaudit adds it to.
inline constexpr std::chrono::milliseconds k_max_duration{365LL * 24 * 3'600'000};

// The duration, or an Error whose message says why `text` is not one, naming it.
Result<std::chrono::milliseconds> parse_duration_checked(std::string_view text);

// The value, or nullopt for anything parse_duration_checked refuses.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// later - earlier in milliseconds, never negative and never overflowing: times read
// from a snapshot file can be anything.
std::int64_t elapsed_ms(std::int64_t later, std::int64_t earlier);

}  // namespace leakaudit
