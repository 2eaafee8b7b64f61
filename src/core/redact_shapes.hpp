// Secrets recognised by their shape alone, wherever they appear: private key blocks, URL
// passwords, and tokens with a well-known prefix. Internal to the redactor; each
// function adds the byte ranges to hide, and apply_spans replaces them with `***`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace leakaudit::redact_detail {

struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;  // one past the last byte
};
using Spans = std::vector<Span>;

// The body of `-----BEGIN … PRIVATE KEY-----` … `-----END … PRIVATE KEY-----` (to the
// end of the text when the END line is missing); the BEGIN and END lines stay.
void add_private_key_blocks(std::string_view text, Spans& spans);

// `scheme://user:PASSWORD@host`: the password; a long userinfo without a colon
// (`https://TOKEN@host`) is a token and is hidden whole.
void add_url_passwords(std::string_view text, Spans& spans);

// AWS access key ids (AKIA…, ASIA…), GitHub (ghp_…, github_pat_…), GitLab (glpat-…),
// Slack (xox?-…), Stripe (sk_live_…), Google (AIza…), npm (npm_…) tokens and JWTs
// (eyJ….eyJ….…), each hidden whole.
void add_token_shapes(std::string_view text, Spans& spans);

// `text` with every span (overlapping or not) replaced by `***`.
std::string apply_spans(std::string_view text, Spans spans);

}  // namespace leakaudit::redact_detail
