// Random bytes from getrandom(2), for the run id the harness and its processes carry.
#include "os/random.hpp"

#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

namespace leakaudit::os {

namespace {

std::string to_hex(const std::vector<unsigned char>& raw) {
    static const char k_hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : raw) {
        out += k_hex[c >> 4];
        out += k_hex[c & 15];
    }
    return out;
}

std::uint64_t clock_ns(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

// splitmix64: spreads every input bit over the output.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15u;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

}  // namespace

ssize_t system_random(void* buffer, std::size_t length) {
    return ::getrandom(buffer, length, 0);
}

Result<std::string> random_hex(std::size_t bytes, const RandomSource& source) {
    std::vector<unsigned char> raw(bytes);
    std::size_t got = 0;
    int last_errno = 0;
    for (int attempt = 0; attempt < k_random_attempts && got < bytes; ++attempt) {
        ssize_t n = source(raw.data() + got, bytes - got);
        if (n > 0) got += static_cast<std::size_t>(n);
        if (n < 0) last_errno = errno;
    }
    if (got < bytes) {
        std::string why = last_errno != 0 ? std::strerror(last_errno) : "no random bytes";
        return unexpected("getrandom: " + why + " (asked " + std::to_string(k_random_attempts) + " times)");
    }
    return to_hex(raw);
}

std::string random_hex(std::size_t bytes) {
    Result<std::string> hex = random_hex(bytes, system_random);
    return hex ? std::move(*hex) : fallback_hex(bytes);
}

std::string fallback_hex(std::size_t bytes) {
    static std::atomic<std::uint64_t> counter{0};
    std::uint64_t state = mix(clock_ns(CLOCK_REALTIME) ^ mix(clock_ns(CLOCK_MONOTONIC)) ^
                              mix((static_cast<std::uint64_t>(::getpid()) << 32) | counter.fetch_add(1)));
    std::vector<unsigned char> raw(bytes);
    for (std::size_t i = 0; i < bytes; ++i) {
        if (i % 8 == 0) state = mix(state);
        raw[i] = static_cast<unsigned char>(state >> (8 * (i % 8)));
    }
    return to_hex(raw);
}

}  // namespace leakaudit::os
