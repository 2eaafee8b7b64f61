// Which rules files a run loads, in what order, and where packs are found:
// built-in defaults, the `default` pack, ./leakaudit.toml when present, then each
// `--rules FILE|PACK` in order.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "rules/diagnostic.hpp"
#include "rules/rule_set.hpp"

namespace leakaudit {

enum class DefaultPack { load, skip };

struct RuleLoadRequest {
    // Pack folders, searched in order (the app passes the build tree's and the installed one).
    std::vector<std::filesystem::path> pack_dirs;
    DefaultPack default_pack = DefaultPack::load;
    // ./leakaudit.toml: loaded only when it exists.
    std::optional<std::filesystem::path> project_file = std::filesystem::path("leakaudit.toml");
    // `--rules FILE|PACK`, in order.
    std::vector<std::string> extra;
};

// The merged rule set, or every problem of every file (then `run`, `diff`, `attach` and
// `rules check` exit 2).
Result<RuleSet, Diagnostics> load_rules(const RuleLoadRequest& request);

// Loads one FILE or PACK argument on top of `rules`.
void load_rules_source(std::string_view source, const std::vector<std::filesystem::path>& pack_dirs, RuleSet& rules,
                       Diagnostics& diagnostics);

// A bare name (no `/`, not ending in `.toml`) names a pack; anything else is a file.
bool is_pack_name(std::string_view source);

struct PackInfo {
    std::string name;
    std::filesystem::path path;
    std::string description;  // from the pack's `# description: ...` line
};

// Packs in `pack_dirs`, sorted by name; an earlier folder hides a later one's namesake.
std::vector<PackInfo> list_packs(const std::vector<std::filesystem::path>& pack_dirs);
std::optional<std::filesystem::path> find_pack(std::string_view name,
                                               const std::vector<std::filesystem::path>& pack_dirs);

// The text after `# description:` in the leading comment block, or "".
std::string pack_description(std::istream& in);

}  // namespace leakaudit
