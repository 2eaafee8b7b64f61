// FNV-1a: tiny, deterministic across platforms and runs (std::hash is neither promised).
#include "core/finding_id.hpp"

#include <algorithm>
#include <cctype>
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

namespace {

bool is_alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// `after_equals`: the token is part of an option's value (--port=8080), where any number
// is a setting of this run; `after_separator`: it follows '-', '.' or '_', as mktemp's
// random suffix does.
std::string fold_token(const std::string& token, bool after_equals, bool after_separator) {
    bool digits = std::any_of(token.begin(), token.end(), is_digit);
    bool letters = std::any_of(token.begin(), token.end(), [](char c) { return !is_digit(c); });
    bool upper =
        std::any_of(token.begin(), token.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
    bool lower =
        std::any_of(token.begin(), token.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
    if (digits && letters && token.size() >= 8) return "*";
    if (after_separator && token.size() >= 6 && (digits || (upper && lower))) return "*";
    if (digits && !letters && (token.size() >= 4 || after_equals)) return "#";
    return token;
}

}  // namespace

std::string stable_command_key(const std::vector<std::string>& args) {
    std::string out;
    for (const std::string& arg : args) {
        if (!out.empty()) out += ' ';
        bool after_equals = false;
        for (std::size_t i = 0; i < arg.size();) {
            std::size_t j = i;
            while (j < arg.size() && is_alnum(arg[j])) ++j;
            if (j == i) {
                after_equals = after_equals || arg[i] == '=';
                out += arg[i++];
                continue;
            }
            bool after_separator = i > 0 && (arg[i - 1] == '-' || arg[i - 1] == '.' || arg[i - 1] == '_');
            out += fold_token(arg.substr(i, j - i), after_equals, after_separator);
            i = j;
        }
    }
    return out;
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
