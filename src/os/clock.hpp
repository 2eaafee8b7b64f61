// Wall-clock time in Unix milliseconds: when a snapshot was taken, when a process started.
#pragma once

#include <cstdint>

namespace leakaudit::os {

std::int64_t now_unix_ms();
// Wall-clock Unix milliseconds of a start time in clock ticks since boot (/proc/PID/stat).
std::int64_t ticks_to_unix_ms(std::uint64_t start_ticks);
// Now, in the clock ticks since boot that /proc/PID/stat start times count (rounded down).
std::uint64_t now_boot_ticks();

}  // namespace leakaudit::os
