// FNV-1a: tiny, deterministic across platforms and runs (std::hash is neither promised).
#include "core/finding_id.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <map>

#include "core/redact.hpp"

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

enum class FoldNumbers { all, long_or_values };

// `after_equals`: the token is part of an option's value (--port=8080), where any number
// is a setting of this run. A token after '-', '.' or '_' that ends a name is mktemp's
// random suffix when it has six characters (XXXXXX) or mixes digits or cases.
std::string fold_token(const std::string& token, FoldNumbers numbers, bool after_equals, bool after_separator,
                       bool ends_name) {
    bool digits = std::any_of(token.begin(), token.end(), is_digit);
    bool letters = std::any_of(token.begin(), token.end(), [](char c) { return !is_digit(c); });
    bool upper =
        std::any_of(token.begin(), token.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
    bool lower =
        std::any_of(token.begin(), token.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
    if (digits && letters && token.size() >= 8) return "*";
    if (after_separator && token.size() >= 6 && (digits || (upper && lower) || (ends_name && token.size() == 6)))
        return "*";
    if (digits && numbers == FoldNumbers::all) return "*";
    if (digits && !letters && (token.size() >= 4 || after_equals)) return "#";
    return token;
}

// `text` cut into what stays and what fold_token folds (each folded token is one piece,
// with its replacement: '#' or '*').
std::vector<TextPiece> fold_pieces(std::string_view text, FoldNumbers numbers) {
    std::vector<TextPiece> pieces;
    auto literal = [&pieces](std::string_view part) {
        if (pieces.empty() || pieces.back().run_specific) pieces.push_back({});
        pieces.back().text += part;
    };
    bool after_equals = false;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t j = i;
        while (j < text.size() && is_alnum(text[j]))
            ++j;
        if (j == i) {
            after_equals = after_equals || text[i] == '=';
            literal(text.substr(i++, 1));
            continue;
        }
        bool after_separator = i > 0 && (text[i - 1] == '-' || text[i - 1] == '.' || text[i - 1] == '_');
        bool ends_name = j == text.size() || text[j] == '/';
        std::string token(text.substr(i, j - i));
        std::string folded = fold_token(token, numbers, after_equals, after_separator, ends_name);
        if (folded == token)
            literal(token);
        else
            pieces.push_back({token, true, folded});
        i = j;
    }
    return pieces;
}

std::string stable_text_key(const std::string& text, FoldNumbers numbers) {
    std::string out;
    for (const TextPiece& piece : fold_pieces(text, numbers))
        out += piece.run_specific ? piece.folded : piece.text;
    return out;
}

}  // namespace

std::string stable_command_key(const std::vector<std::string>& args) {
    std::string out;
    for (const std::string& arg : Redactor().args(args)) {
        if (!out.empty()) out += ' ';
        out += stable_text_key(arg, FoldNumbers::long_or_values);
    }
    return out;
}

std::string stable_path_key(const std::string& path) {
    return stable_text_key(secret_folded(path), FoldNumbers::all);
}

std::vector<TextPiece> command_arg_pieces(std::string_view arg) {
    return fold_pieces(arg, FoldNumbers::long_or_values);
}

std::vector<TextPiece> path_pieces(std::string_view path) {
    return fold_pieces(path, FoldNumbers::all);
}

std::string secret_folded(std::string_view text) {
    return Redactor().text(text);
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
