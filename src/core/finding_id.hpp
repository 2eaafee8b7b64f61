// Stable finding ids: the same leak gets the same id in every run, so CI can track it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"

namespace leakaudit {

// "process:6f1c2a9e": the kind and eight hex digits of a 64-bit FNV-1a hash of `parts`.
std::string make_finding_id(Kind kind, const std::vector<std::string>& parts);

// A command line with its run-specific parts folded, for stable ids: digit runs of four
// or more (ports, pids, timestamps, handles) become '#', and long tokens that mix
// letters and digits (seeds, uuids, base64) become '*'. "sleep 300" stays itself.
// Secrets are folded too (they are redacted first), so an id is the same whether it is
// computed from the real command line or from a redacted snapshot of it.
std::string stable_command_key(const std::vector<std::string>& args);
// The same for a path: every number is folded (pids, counters, timestamps).
std::string stable_path_key(const std::string& path);
// A piece of a command-line argument or a path: kept as it is, or run-specific (a part
// the two keys above fold; `folded` is what they put there: '#' or '*').
struct TextPiece {
    std::string text;
    bool run_specific = false;
    std::string folded;
};
// The pieces of one argument (as stable_command_key folds it, without redacting) and of
// a path (as stable_path_key): `--suggest-rules` turns the run-specific ones into `*`.
std::vector<TextPiece> command_arg_pieces(std::string_view arg);
std::vector<TextPiece> path_pieces(std::string_view path);
// `text` with the secrets the built-in redaction finds replaced by `***`: for ids of
// findings that hash a path or a descriptor target as it is.
std::string secret_folded(std::string_view text);

// Same leak twice in one run (500 identical sleeps): the second and later copies get
// "#2", "#3"… in report order, so ids stay unique and still stable run to run.
void disambiguate_ids(std::vector<Finding>& findings);

}  // namespace leakaudit
