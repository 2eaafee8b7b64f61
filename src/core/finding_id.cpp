// FNV-1a: tiny, deterministic across platforms and runs (std::hash is neither promised).
#include "core/finding_id.hpp"

#include <cstdint>
#include <cstdio>
#include <map>

namespace leakaudit {

namespace {

std::uint64_t fnv1a(std::uint64_t hash, std::string_view bytes) {
    for (unsigned char c : bytes) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    return hash;
}

}  // namespace

std::string make_finding_id(Kind kind, const std::vector<std::string>& parts) {
    std::uint64_t hash = fnv1a(14695981039346656037ULL, to_string(kind));
    for (const std::string& part : parts) {
        hash = fnv1a(hash, std::string_view("\x1f", 1));  // separator: {"ab","c"} != {"a","bc"}
        hash = fnv1a(hash, part);
    }
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", static_cast<unsigned>((hash >> 32) ^ (hash & 0xffffffffU)));
    return to_string(kind) + ":" + hex;
}

void disambiguate_ids(std::vector<Finding>& findings) {
    std::map<std::string, int> seen;
    for (Finding& f : findings) {
        int n = ++seen[f.id];
        if (n > 1) {
            // Appended piecewise: "#" + std::string trips GCC 12's -Wrestrict (bug 105329).
            f.id += '#';
            f.id += std::to_string(n);
        }
    }
}

}  // namespace leakaudit
