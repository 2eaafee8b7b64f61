// Three layers of evidence, each adding byte ranges to hide: shapes (redact_shapes.cpp),
// `NAME=VALUE` / `Name: VALUE` assignments anywhere, and word rules that look at the
// next word (`--token VALUE`, `Bearer VALUE`, `mysql -pVALUE`). A command line is
// redacted argument by argument, so its words are its arguments; free text is split at
// white space.
#include "core/redact.hpp"

#include <cctype>
#include <optional>

#include "core/redact_names.hpp"
#include "core/redact_shapes.hpp"

namespace leakaudit {

using namespace redact_detail;

namespace {

bool is_space(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}
bool is_quote(char c) {
    return c == '\'' || c == '"';
}
bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
}
bool equals_no_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    }
    return true;
}

// `Authorization: Basic X`: the scheme is worth keeping, X is the secret.
bool is_auth_scheme(std::string_view word) {
    for (std::string_view scheme : {"bearer", "basic", "token", "digest", "negotiate", "ntlm", "bot"}) {
        if (equals_no_case(word, scheme)) return true;
    }
    return false;
}

// Where an unquoted value inside free text or a URL ends: `?token=X&page=2`; in a URL
// query also at its `#fragment`.
std::size_t value_end(std::string_view s, std::size_t from, bool in_query = false) {
    std::size_t end = from;
    while (end < s.size() && !is_space(s[end]) && s[end] != '&' && !is_quote(s[end]) && !(in_query && s[end] == '#'))
        ++end;
    return end;
}

// The quote open at byte `at` (0 outside quotes), shell style: `'` inside `"…"` is text.
// Asked only where a secret value starts, which is rare: a scan from the start is cheap.
char open_quote_at(std::string_view s, std::size_t at) {
    char current = 0;
    for (std::size_t i = 0; i < at && i < s.size(); ++i) {
        if (is_quote(s[i]) && (current == 0 || current == s[i])) current = current ? 0 : s[i];
    }
    return current;
}

std::size_t skip_blanks(std::string_view s, std::size_t from) {
    while (from < s.size() && (s[from] == ' ' || s[from] == '\t'))
        ++from;
    return from;
}

// An argument is one value: in `--password=a b&c` (one argument) all of `a b&c` is the
// password. In free text, the value ends at white space, `&` or a quote.
enum class Scope { argument, text };

struct Assignment {
    std::size_t name_begin = 0;
    std::size_t name_end = 0;
    bool quoted_name = false;  // "password": "x"
};

// The name just before the `=` or `:` at `at`, when there is one.
std::optional<Assignment> name_before(std::string_view s, std::size_t at) {
    Assignment a{at, at, false};
    if (a.name_end > 0 && is_quote(s[a.name_end - 1])) {
        a.quoted_name = true;
        --a.name_end;
    }
    a.name_begin = a.name_end;
    while (a.name_begin > 0 && is_name_char(s[a.name_begin - 1]))
        --a.name_begin;
    if (a.name_begin == a.name_end) return std::nullopt;
    if (a.quoted_name && (a.name_begin == 0 || s[a.name_begin - 1] != s[a.name_end])) return std::nullopt;
    return a;
}

// Hides the value after the `=` or `:` at `at`; returns where scanning goes on.
std::size_t hide_value(std::string_view s, std::size_t at, const Assignment& a, Scope scope, Spans& spans) {
    bool colon = s[at] == ':';
    std::size_t v = colon || a.quoted_name ? skip_blanks(s, at + 1) : at + 1;
    bool in_query = a.name_begin > 0 && (s[a.name_begin - 1] == '?' || s[a.name_begin - 1] == '&');
    std::size_t end = value_end(s, v, in_query);
    if (is_auth_scheme(s.substr(v, end - v)) && skip_blanks(s, end) < s.size()) v = skip_blanks(s, end);
    if (v < s.size() && is_quote(s[v])) {
        std::size_t close = s.find(s[v], v + 1);
        end = close == std::string_view::npos ? s.size() : close;
        ++v;
    } else if (scope == Scope::argument && !colon && a.name_begin == 0) {
        end = s.size();  // `--password=a b&c` as one argument: all of it
    } else if (char quote = open_quote_at(s, v)) {
        std::size_t close = s.find(quote, v);  // `'--password=a b'`: to the closing quote
        end = close == std::string_view::npos ? s.size() : close;
    } else {
        end = value_end(s, v, in_query);
    }
    if (end > v) spans.push_back({v, end});
    return end;
}

void add_assignments(std::string_view s, Scope scope, const std::vector<std::string>& extra, Spans& spans) {
    if (s.find_first_of("=:") == std::string_view::npos) return;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '=' && s[i] != ':') continue;
        if (s[i] == ':' && s.compare(i + 1, 2, "//") == 0) continue;  // a URL's scheme
        std::optional<Assignment> a = name_before(s, i);
        if (!a) continue;
        NameForm form = s[i] == '=' ? NameForm::assignment : NameForm::colon;
        if (!is_secret_name(s.substr(a->name_begin, a->name_end - a->name_begin), form, extra)) continue;
        std::size_t next = hide_value(s, i, *a, scope, spans);
        if (next > i) i = next - 1;
    }
}

// A word rule's verdict: hide word `word` from byte `from` on.
struct Hit {
    std::size_t word;
    std::size_t from;
};

std::size_t leading_quotes(std::string_view w) {
    std::size_t n = 0;
    while (n < w.size() && is_quote(w[n]))
        ++n;
    return n;
}

std::string_view unquoted(std::string_view w) {
    w.remove_prefix(leading_quotes(w));
    while (!w.empty() && is_quote(w.back()))
        w.remove_suffix(1);
    return w;
}

bool ends_command(std::string_view w) {
    return w == "|" || w == "||" || w == "&&" || w == "&" || w.ends_with(';');
}

class WordRules {
public:
    WordRules(const std::vector<std::string_view>& words, const std::vector<std::string>& extra)
        : m_words(words), m_extra(extra) {}

    std::vector<Hit> run() {
        for (std::size_t k = 0; k < m_words.size(); ++k) {
            std::string_view w = unquoted(m_words[k]);
            if (const ProgramFlags* flags = program_flags(w)) {
                m_program = flags;
                continue;
            }
            if (m_program && m_program->options_first && !w.starts_with('-')) m_program = nullptr;
            if (!program_rule(k, w)) generic_rule(k, w);
            if (ends_command(w)) m_program = nullptr;
        }
        return std::move(m_hits);
    }

private:
    bool has(std::size_t k) const { return k < m_words.size(); }

    // Hides word `k` from `from` (relative to its unquoted text), or, with `userinfo`,
    // what follows its first `:`.
    void hide(std::size_t k, std::size_t from, bool userinfo) {
        std::size_t lead = leading_quotes(m_words[k]);
        if (userinfo) {
            std::size_t colon = m_words[k].find(':', lead + from);
            if (colon == std::string_view::npos) return;  // no password given: the program asks for it
            from = colon + 1 - lead;
        }
        m_hits.push_back({k, lead + from});
    }

    // A flag of the current program (`mysql -pX`, `sshpass -p X`, psql's `--password`).
    bool program_rule(std::size_t& k, std::string_view w) {
        if (!m_program || w.size() < 2 || w[0] != '-') return false;
        for (const ProgramFlag& f : m_program->flags) {
            if (w == f.flag) {
                if (f.value == FlagValue::attached_or_next && has(k + 1)) hide(++k, 0, f.userinfo);
                return true;
            }
            bool is_short = f.flag.size() == 2;
            if (f.value == FlagValue::boolean || !w.starts_with(f.flag)) continue;
            std::size_t from = f.flag.size();
            if (w.size() > from && w[from] == '=')
                ++from;
            else if (!is_short)
                continue;  // `--password-file`, not `--password`
            hide(k, from, f.userinfo);
            return true;
        }
        return false;
    }

    void generic_rule(std::size_t& k, std::string_view w) {
        if (!has(k + 1)) return;
        bool option = w.size() > 1 && w[0] == '-' && w.find('=') == std::string_view::npos;
        if (option && is_secret_name(w, NameForm::assignment, m_extra)) {
            if (!unquoted(m_words[k + 1]).starts_with("--")) hide(++k, 0, false);
        } else if (equals_no_case(w, "bearer")) {
            hide(++k, 0, false);
        } else if (w.size() > 1 && w.back() == ':' &&
                   is_secret_name(w.substr(0, w.size() - 1), NameForm::colon, m_extra)) {
            if (is_auth_scheme(unquoted(m_words[k + 1])) && has(k + 2)) ++k;
            hide(++k, 0, false);
        }
    }

    const std::vector<std::string_view>& m_words;
    const std::vector<std::string>& m_extra;
    const ProgramFlags* m_program = nullptr;
    std::vector<Hit> m_hits;
};

std::vector<std::string_view> words_of(std::string_view s) {
    std::vector<std::string_view> words;
    for (std::size_t i = 0; i < s.size();) {
        while (i < s.size() && is_space(s[i]))
            ++i;
        std::size_t begin = i;
        while (i < s.size() && !is_space(s[i]))
            ++i;
        if (i > begin) words.push_back(s.substr(begin, i - begin));
    }
    return words;
}

// In free text a hidden word keeps its quotes, and a value that opens a quote runs to
// the closing one: `--password 'a b'`.
void add_word_hits(std::string_view s, const std::vector<std::string>& extra, Spans& spans) {
    if (s.find_first_of(" \t\n\r\f\v") == std::string_view::npos) return;  // one word: nothing follows it
    std::vector<std::string_view> words = words_of(s);
    for (const Hit& hit : WordRules(words, extra).run()) {
        std::string_view w = words[hit.word];
        std::size_t start = static_cast<std::size_t>(w.data() - s.data());
        std::size_t lead = leading_quotes(w);
        std::size_t begin = start + hit.from;
        std::size_t end = start + w.size();
        if (lead > 0 && hit.from <= lead) {  // the whole word, which opens a quote
            begin = start + lead;
            std::size_t close = s.find(s[begin - 1], begin);
            end = close == std::string_view::npos ? s.size() : close;
        } else {
            while (end > begin && (is_quote(s[end - 1]) || s[end - 1] == ';'))  // `-pX;` ends a command
                --end;
        }
        if (begin < end) spans.push_back({begin, end});
    }
}

void add_regex_matches(std::string_view s, const std::vector<std::shared_ptr<const std::regex>>& regexes,
                       Spans& spans) {
    if (regexes.empty() || s.empty()) return;
    if (s.size() > k_max_regex_input) {
        spans.push_back({0, s.size()});
        return;
    }
    try {
        for (const auto& re : regexes) {
            for (std::cregex_iterator it(s.data(), s.data() + s.size(), *re), done; it != done; ++it) {
                const std::cmatch& m = *it;
                for (std::size_t g = m.size() > 1 ? 1 : 0; g < m.size(); ++g) {
                    if (m[g].matched && m.length(g) > 0) {
                        auto begin = static_cast<std::size_t>(m.position(g));
                        spans.push_back({begin, begin + static_cast<std::size_t>(m.length(g))});
                    }
                }
            }
        }
    } catch (const std::regex_error&) {
        spans.push_back({0, s.size()});  // the engine gave up (complexity, stack): hide it all
    }
}

Spans spans_of(std::string_view s, Scope scope, const RedactPatterns& extra) {
    Spans spans;
    add_private_key_blocks(s, spans);
    add_url_passwords(s, spans);
    add_token_shapes(s, spans);
    add_assignments(s, scope, extra.names, spans);
    add_word_hits(s, extra.names, spans);
    add_regex_matches(s, extra.regexes, spans);
    return spans;
}

}  // namespace

std::string Redactor::text(std::string_view text) const {
    Spans spans = spans_of(text, Scope::text, m_extra);
    return spans.empty() ? std::string(text) : apply_spans(text, std::move(spans));
}

std::vector<std::string> Redactor::args(const std::vector<std::string>& argv) const {
    std::vector<Spans> spans(argv.size());
    for (std::size_t i = 0; i < argv.size(); ++i)
        spans[i] = spans_of(argv[i], Scope::argument, m_extra);
    std::vector<std::string_view> words(argv.begin(), argv.end());
    for (const Hit& hit : WordRules(words, m_extra.names).run())
        spans[hit.word].push_back({hit.from, argv[hit.word].size()});
    std::vector<std::string> out;
    out.reserve(argv.size());
    for (std::size_t i = 0; i < argv.size(); ++i)
        out.push_back(spans[i].empty() ? argv[i] : apply_spans(argv[i], std::move(spans[i])));
    return out;
}

}  // namespace leakaudit
