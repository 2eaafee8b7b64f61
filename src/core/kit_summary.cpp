// Merging and wording only; what is alive was judged in the kit (kits/node/lib/summary.cjs).
#include "core/kit_summary.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/plural.hpp"
#include "core/text_bytes.hpp"

namespace leakaudit {

namespace {

using json = nlohmann::json;

constexpr std::size_t k_text_bytes = 200;
constexpr std::size_t k_site_chars = 60;
constexpr std::size_t k_word_chars = 40;  // a kind or a detail, on the status line
constexpr long long k_count_bound = 1'000'000'000;

// Cut to `limit` bytes, not inside a character.
std::string cut(std::string text, std::size_t limit) {
    if (text.size() <= limit) return text;
    std::size_t at = limit;
    while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80)
        --at;
    return text.substr(0, at) + "…";
}

std::string text_of(const json& obj, const char* key) {
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? cut(it->get<std::string>(), k_text_bytes) : "";
}

long long count_of(const json& obj, const char* key) {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_number_integer()) return 0;
    return std::clamp<long long>(it->get<long long>(), 0, k_count_bound);
}

// The first part of a site outside node_modules ("src/a.mjs:4" of "node_modules/x.js:3 ←
// src/a.mjs:4"), else its first part; cut from the left, so the file and line stay.
std::string short_site(const std::string& site) {
    static const std::string k_arrow = " ← ";
    std::string chosen;
    for (std::size_t at = 0; at <= site.size();) {
        std::size_t end = site.find(k_arrow, at);
        std::string part = site.substr(at, end == std::string::npos ? std::string::npos : end - at);
        if (chosen.empty()) chosen = part;
        if (!part.starts_with("node_modules/") && part.find("/node_modules/") == std::string::npos) {
            chosen = part;
            break;
        }
        if (end == std::string::npos) break;
        at = end + k_arrow.size();
    }
    if (chosen.size() <= k_site_chars) return chosen;
    std::size_t from = chosen.size() - k_site_chars;
    while (from < chosen.size() && (static_cast<unsigned char>(chosen[from]) & 0xC0) == 0x80)
        ++from;
    return "…" + chosen.substr(from);
}

std::string kind_text(const KitHeldKind& k) {
    std::string text = std::to_string(k.count) + " " + escape_for_terminal(cut(k.kind, k_word_chars));
    if (!k.detail.empty()) text += " " + escape_for_terminal(cut(k.detail, k_word_chars));
    if (k.ref == 0) text += " (unref'd)";
    if (!k.site.empty()) text += " (" + escape_for_terminal(short_site(k.site)) + ")";
    return text;
}

}  // namespace

std::optional<KitSummary> parse_kit_summary(std::string_view text, std::string_view token) {
    if (text.size() > k_summary_bytes) return std::nullopt;
    json doc = json::parse(text.begin(), text.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
    if (text_of(doc, "type") != "summary" || token.empty() || text_of(doc, "token") != token) return std::nullopt;
    KitSummary out;
    out.pid = static_cast<int>(std::clamp<long long>(count_of(doc, "pid"), 0, 1 << 22));
    out.more_kinds = count_of(doc, "more_kinds");
    auto at = doc.find("at_ms");
    if (at != doc.end() && at->is_number_integer()) out.at_ms = at->get<std::int64_t>();
    auto handles = doc.find("handles");
    if (handles == doc.end() || !handles->is_array()) return out;
    for (const json& item : *handles) {
        if (!item.is_object()) continue;
        if (out.kinds.size() == k_summary_kinds) {
            ++out.more_kinds;
            continue;
        }
        KitHeldKind k;
        k.kind = text_of(item, "kind");
        k.count = count_of(item, "count");
        k.ref = std::min(count_of(item, "ref"), k.count);
        k.detail = text_of(item, "detail");
        k.site = text_of(item, "site");
        if (k.kind.empty() || k.count == 0) continue;
        out.kinds.push_back(std::move(k));
    }
    return out;
}

std::string kit_held_text(const std::vector<KitSummary>& summaries, std::size_t shown) {
    std::vector<KitHeldKind> merged;
    std::map<std::string, std::size_t> at;
    long long more_kinds = 0;
    for (const KitSummary& s : summaries) {
        more_kinds += s.more_kinds;
        for (const KitHeldKind& k : s.kinds) {
            auto [it, fresh] = at.emplace(k.kind, merged.size());
            if (fresh) {
                merged.push_back(k);
                continue;
            }
            KitHeldKind& m = merged[it->second];
            m.count = std::min(m.count + k.count, k_count_bound);
            m.ref = std::min(m.ref + k.ref, k_count_bound);
            if (m.site.empty()) m.site = k.site;
            if (m.detail.empty()) m.detail = k.detail;
        }
    }
    if (merged.empty()) return "";
    std::stable_sort(merged.begin(), merged.end(), [](const KitHeldKind& a, const KitHeldKind& b) {
        return (a.ref > 0) != (b.ref > 0) ? a.ref > 0 : a.count > b.count;
    });
    std::string text = "holds ";
    std::size_t n = std::min(merged.size(), std::max<std::size_t>(shown, 1));
    for (std::size_t i = 0; i < n; ++i)
        text += (i ? ", " : "") + kind_text(merged[i]);
    long long rest = static_cast<long long>(merged.size() - n) + more_kinds;
    if (rest > 0) text += " and " + counted(rest, "more kind", "more kinds");
    return text;
}

}  // namespace leakaudit
