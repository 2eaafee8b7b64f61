// Resolving FILE|PACK arguments and loading them in README's order ("`run`, step by
// step", step 1). All files are read even after one fails, so one `rules check` shows
// every problem.
#include "rules/rule_loader.hpp"

#include <algorithm>
#include <fstream>
#include <system_error>

#include "core/text_bytes.hpp"
#include "rules/rule_file.hpp"

namespace leakaudit {

namespace {

constexpr std::string_view k_description_tag = "# description:";

std::string unknown_pack_message(std::string_view name, const std::vector<std::filesystem::path>& dirs) {
    std::vector<std::string> searched;
    for (const std::filesystem::path& dir : dirs)
        searched.push_back(dir.string());
    std::vector<std::string> available;
    std::vector<std::string_view> names;
    std::vector<PackInfo> packs = list_packs(dirs);
    for (const PackInfo& pack : packs)
        available.push_back(pack.name);
    for (const std::string& pack : available)
        names.push_back(pack);
    std::string message = "unknown rule pack `" + std::string(name) + "`: looked for " + std::string(name) +
                          ".toml in " + (searched.empty() ? "no folders" : join(searched, ", ")) +
                          "; available packs: " + (available.empty() ? "none" : join(available, ", "));
    std::string hint = closest_name(name, names);
    return hint.empty() ? message : message + " — did you mean `" + hint + "`?";
}

void load_pack(std::string_view name, const std::vector<std::filesystem::path>& dirs, RuleSet& rules,
               Diagnostics& diagnostics) {
    std::optional<std::filesystem::path> path = find_pack(name, dirs);
    if (!path) {
        diagnostics.push_back({std::string(name), 0, 0, unknown_pack_message(name, dirs), {}});
        return;
    }
    rules.merge(read_rule_file(*path, path->string(), diagnostics));
}

bool already_loaded(const RuleSet& rules, const std::filesystem::path& path) {
    const std::vector<std::string>& files = rules.files();
    return std::find(files.begin(), files.end(), path.string()) != files.end();
}

}  // namespace

bool is_pack_name(std::string_view source) {
    bool toml_suffix = source.size() >= 5 && source.substr(source.size() - 5) == ".toml";
    return !source.empty() && source.find('/') == std::string_view::npos && !toml_suffix;
}

void load_rules_source(std::string_view source, const std::vector<std::filesystem::path>& pack_dirs, RuleSet& rules,
                       Diagnostics& diagnostics) {
    if (!is_pack_name(source)) {
        rules.merge(read_rule_file(std::filesystem::path(source), std::string(source), diagnostics));
        return;
    }
    // `--rules default` repeats what is always loaded; loading it twice would only
    // duplicate its rules in `rules check`.
    std::optional<std::filesystem::path> path = find_pack(source, pack_dirs);
    if (path && already_loaded(rules, *path)) return;
    load_pack(source, pack_dirs, rules, diagnostics);
}

Result<RuleSet, Diagnostics> load_rules(const RuleLoadRequest& request) {
    RuleSet rules = RuleSet::builtin();
    Diagnostics diagnostics;
    if (request.default_pack == DefaultPack::load) {
        load_pack("default", request.pack_dirs, rules, diagnostics);
    }
    std::error_code ec;
    if (request.project_file && std::filesystem::exists(*request.project_file, ec)) {
        rules.merge(read_rule_file(*request.project_file, request.project_file->string(), diagnostics));
    }
    for (const std::string& source : request.extra) {
        load_rules_source(source, request.pack_dirs, rules, diagnostics);
    }
    if (!diagnostics.empty()) return unexpected(std::move(diagnostics));
    return rules;
}

std::optional<std::filesystem::path> find_pack(std::string_view name,
                                               const std::vector<std::filesystem::path>& pack_dirs) {
    for (const std::filesystem::path& dir : pack_dirs) {
        std::filesystem::path candidate = dir / (std::string(name) + ".toml");
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
    }
    return std::nullopt;
}

std::vector<PackInfo> list_packs(const std::vector<std::filesystem::path>& pack_dirs) {
    std::vector<PackInfo> packs;
    for (const std::filesystem::path& dir : pack_dirs) {
        std::error_code ec;
        for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            std::filesystem::path path = it->path();
            std::string name = path.stem().string();
            if (path.extension() != ".toml" || !is_pack_name(name)) continue;
            bool hidden = std::any_of(packs.begin(), packs.end(), [&](const PackInfo& p) { return p.name == name; });
            if (hidden) continue;
            std::ifstream in(path);
            packs.push_back({name, path, pack_description(in)});
        }
    }
    std::sort(packs.begin(), packs.end(), [](const PackInfo& a, const PackInfo& b) { return a.name < b.name; });
    return packs;
}

std::string pack_description(std::istream& in) {
    std::string line;
    while (std::getline(in, line) && (line.empty() || line[0] == '#')) {
        if (line.compare(0, k_description_tag.size(), k_description_tag) != 0) continue;
        std::string text = line.substr(k_description_tag.size());
        std::size_t start = text.find_first_not_of(' ');
        return start == std::string::npos ? "" : text.substr(start);
    }
    return "";
}

}  // namespace leakaudit
