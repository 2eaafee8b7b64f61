// Counts in words, for every output that says how many: "1 entry", "3 entries",
// "1 process", "2 processes". English plurals of the words leakaudit uses.
#pragma once

#include <string>
#include <string_view>

namespace leakaudit {

// "1 entry" / "0 entries": `many` is the plural, given where it is not `one` + "s".
inline std::string counted(long long n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// "1 warning" / "2 warnings".
inline std::string counted(long long n, std::string_view one) {
    return std::to_string(n) + " " + std::string(one) + (n == 1 ? "" : "s");
}

}  // namespace leakaudit
