// Hand-written scanners rather than regexes: they run over every command line and
// descriptor target of a snapshot, so they must be linear and never backtrack.
#include "core/redact_shapes.hpp"

#include <algorithm>
#include <cctype>

#include "core/redact.hpp"

namespace leakaudit::redact_detail {

namespace {

bool is_alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool is_upper_or_digit(char c) {
    return std::isupper(static_cast<unsigned char>(c)) != 0 || std::isdigit(static_cast<unsigned char>(c)) != 0;
}
bool is_base64url(char c) {
    return is_alnum(c) || c == '-' || c == '_';
}
bool is_token_char(char c) {
    return is_alnum(c) || c == '_';
}
bool is_slack_char(char c) {
    return is_alnum(c) || c == '-';
}
bool ends_url_authority(char c) {
    return c == '/' || c == '?' || c == '#' || c == '\'' || c == '"' || c == '<' || c == '>' ||
           std::isspace(static_cast<unsigned char>(c)) != 0;
}

std::size_t run_of(std::string_view text, std::size_t from, bool (*accepts)(char)) {
    std::size_t end = from;
    while (end < text.size() && accepts(text[end]))
        ++end;
    return end - from;
}

struct TokenShape {
    std::string_view prefix;
    bool (*body)(char);
    std::size_t min_body;
    std::size_t max_body;  // the body is exactly this long when min_body == max_body
};

constexpr std::size_t k_unbounded = static_cast<std::size_t>(-1);

const TokenShape k_shapes[] = {
    {"AKIA", is_upper_or_digit, 16, 16},
    {"ASIA", is_upper_or_digit, 16, 16},
    {"ghp_", is_alnum, 20, k_unbounded},
    {"gho_", is_alnum, 20, k_unbounded},
    {"ghu_", is_alnum, 20, k_unbounded},
    {"ghs_", is_alnum, 20, k_unbounded},
    {"ghr_", is_alnum, 20, k_unbounded},
    {"github_pat_", is_token_char, 20, k_unbounded},
    {"glpat-", is_base64url, 20, k_unbounded},
    {"xoxa-", is_slack_char, 10, k_unbounded},
    {"xoxb-", is_slack_char, 10, k_unbounded},
    {"xoxp-", is_slack_char, 10, k_unbounded},
    {"xoxr-", is_slack_char, 10, k_unbounded},
    {"xoxs-", is_slack_char, 10, k_unbounded},
    {"xoxe-", is_slack_char, 10, k_unbounded},
    {"xapp-", is_slack_char, 10, k_unbounded},
    {"sk_live_", is_alnum, 16, k_unbounded},
    {"rk_live_", is_alnum, 16, k_unbounded},
    {"sk_test_", is_alnum, 16, k_unbounded},
    {"AIza", is_base64url, 35, 35},
    {"npm_", is_alnum, 36, 36},
};

// Length of a token of `shape` at `at`, or 0.
std::size_t shape_length(std::string_view text, std::size_t at, const TokenShape& shape) {
    if (text.compare(at, shape.prefix.size(), shape.prefix) != 0) return 0;
    std::size_t body = run_of(text, at + shape.prefix.size(), shape.body);
    if (body < shape.min_body || body > shape.max_body) return 0;
    return shape.prefix.size() + body;
}

// eyJ<header>.eyJ<payload>.<signature>: base64url of `{"` twice, then a signature
// (empty for alg "none").
std::size_t jwt_length(std::string_view text, std::size_t at) {
    std::size_t i = at;
    for (int part = 0; part < 2; ++part) {
        if (text.compare(i, 3, "eyJ") != 0) return 0;
        std::size_t run = run_of(text, i, is_base64url);
        if (run < 8 || i + run >= text.size() || text[i + run] != '.') return 0;
        i += run + 1;
    }
    return i + run_of(text, i, is_base64url) - at;
}

}  // namespace

void add_private_key_blocks(std::string_view text, Spans& spans) {
    constexpr std::string_view k_dashes = "-----";
    for (std::size_t at = text.find("-----BEGIN "); at != std::string_view::npos;) {
        std::size_t header_end = text.find(k_dashes, at + 11);
        if (header_end == std::string_view::npos) return;
        std::string_view label = text.substr(at + 11, header_end - at - 11);
        std::size_t body = header_end + k_dashes.size();
        if (label.find("PRIVATE KEY") == std::string_view::npos || label.find('\n') != std::string_view::npos) {
            at = text.find("-----BEGIN ", body);
            continue;
        }
        std::size_t end = text.find("-----END ", body);
        if (end == std::string_view::npos) end = text.size();
        if (end > body) spans.push_back({body, end});
        at = end == text.size() ? std::string_view::npos : text.find("-----BEGIN ", end + 9);
    }
}

void add_url_passwords(std::string_view text, Spans& spans) {
    for (std::size_t sep = text.find("://"); sep != std::string_view::npos; sep = text.find("://", sep + 3)) {
        std::size_t start = sep + 3;
        std::size_t end = start;
        while (end < text.size() && !ends_url_authority(text[end]))
            ++end;
        std::size_t at = text.rfind('@', end == start ? start : end - 1);
        if (at == std::string_view::npos || at < start) continue;
        std::size_t colon = text.find(':', start);
        constexpr std::size_t k_min_token = 20;  // longer than a user name, as long as a token
        if (colon != std::string_view::npos && colon < at) {
            if (colon + 1 < at) spans.push_back({colon + 1, at});
        } else if (at - start >= k_min_token) {
            spans.push_back({start, at});
        }
    }
}

namespace {

// The first letters of the shapes above and of JWTs, to skip other words at once.
bool may_start_token(char c) {
    return c == 'A' || c == 'g' || c == 'x' || c == 's' || c == 'r' || c == 'n' || c == 'e';
}

}  // namespace

void add_token_shapes(std::string_view text, Spans& spans) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!may_start_token(text[i]) || (i > 0 && is_token_char(text[i - 1]))) continue;  // a word's start only
        std::size_t length = jwt_length(text, i);
        for (const TokenShape& shape : k_shapes) {
            if (length == 0) length = shape_length(text, i, shape);
        }
        if (length == 0) continue;
        spans.push_back({i, i + length});
        i += length - 1;
    }
}

std::string apply_spans(std::string_view text, Spans spans) {
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
    std::string out;
    std::size_t done = 0;
    for (const Span& span : spans) {
        std::size_t begin = std::max(span.begin, done);
        std::size_t end = std::min(span.end, text.size());
        if (begin >= end) continue;
        out.append(text.substr(done, begin - done));
        if (begin != done || out.size() < k_redacted.size() || out.compare(out.size() - 3, 3, k_redacted) != 0)
            out.append(k_redacted);
        done = end;
    }
    out.append(text.substr(done));
    return out;
}

}  // namespace leakaudit::redact_detail
