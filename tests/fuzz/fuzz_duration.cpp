// libFuzzer target: any text as a duration (--timeout, [settings]). Never overflows
// (UBSan aborts on signed overflow); an accepted value is within the limit, and prints
// back to text that parses to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/duration.hpp"
#include "rules/toml_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    leakaudit::Result<std::chrono::milliseconds> parsed = leakaudit::parse_duration_checked(text);
    if (!parsed) {
        if (parsed.error().message.empty()) std::abort();  // a refusal always says why
        return 0;
    }
    if (*parsed < std::chrono::milliseconds(0) || *parsed > leakaudit::k_max_duration) std::abort();
    if (leakaudit::parse_duration(leakaudit::format_duration(*parsed)) != *parsed) std::abort();
    return 0;
}
