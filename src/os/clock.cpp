// Start ticks count from boot; CLOCK_BOOTTIME shares that origin.
#include "os/clock.hpp"

#include <time.h>
#include <unistd.h>

namespace leakaudit::os {

namespace {

std::int64_t clock_ms(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

}  // namespace

std::int64_t now_unix_ms() {
    return clock_ms(CLOCK_REALTIME);
}

std::int64_t ticks_to_unix_ms(std::uint64_t start_ticks) {
    // CLOCK_BOOTTIME counts from the same origin as start_ticks, and more finely than
    // the whole seconds of btime in /proc/stat.
    static const long hz = sysconf(_SC_CLK_TCK);
    std::int64_t boot_ms = clock_ms(CLOCK_REALTIME) - clock_ms(CLOCK_BOOTTIME);
    return boot_ms + static_cast<std::int64_t>(start_ticks * 1000 / static_cast<std::uint64_t>(hz));
}

std::uint64_t now_boot_ticks() {
    static const long hz = sysconf(_SC_CLK_TCK);
    return static_cast<std::uint64_t>(clock_ms(CLOCK_BOOTTIME)) * static_cast<std::uint64_t>(hz) / 1000;
}

}  // namespace leakaudit::os
