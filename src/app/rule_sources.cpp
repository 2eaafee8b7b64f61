// LEAKAUDIT_RULES_DIR (for tests and unusual layouts) comes first.
#include "app/rule_sources.hpp"

#include <iostream>

#include "app/print_error.hpp"
#include "app/rules_command.hpp"
#include "rules/rule_loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <system_error>

#include "app/version.hpp"
#include "core/file_trust.hpp"

#include <sys/stat.h>
#include <unistd.h>

namespace leakaudit {

std::vector<std::filesystem::path> rule_pack_dirs() {
    std::vector<std::filesystem::path> dirs;
    if (const char* env = std::getenv("LEAKAUDIT_RULES_DIR"); env && *env) dirs.emplace_back(env);
    std::error_code ec;
    std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        std::filesystem::path bin = exe.parent_path();
        for (const auto& candidate : {bin / "rules", bin.parent_path() / "share" / "leakaudit" / "rules"}) {
            if (std::filesystem::is_directory(candidate, ec)) dirs.push_back(candidate);
        }
    }
    std::filesystem::path installed = std::filesystem::path(LEAKAUDIT_INSTALL_DATADIR) / "rules";
    if (std::find(dirs.begin(), dirs.end(), installed) == dirs.end()) dirs.push_back(installed);
    return dirs;
}

namespace {

bool same_file(const std::filesystem::path& a, const std::string& b) {
    std::error_code ec;
    return std::filesystem::equivalent(a, b, ec) && !ec;
}

// ./leakaudit.toml can ignore every leak, so it is loaded by itself only when the invoking
// user or root owns it (the link and what it points to) and only they can write it.
// Naming it with --rules trusts it explicitly. Says why it is refused, if it is.
Result<void> check_project_file(const std::filesystem::path& file) {
    struct stat link {};
    if (::lstat(file.c_str(), &link) != 0) return {};  // absent: nothing to load
    std::uint32_t me = ::getuid();
    FileFacts facts{link.st_uid, static_cast<std::uint32_t>(link.st_mode & 07777)};
    FileTrust trust = judge_rules_file({link.st_uid, 0}, me);  // a symlink's own mode means nothing
    struct stat target {};
    if (trust == FileTrust::trusted && ::stat(file.c_str(), &target) == 0) {
        facts = {target.st_uid, static_cast<std::uint32_t>(target.st_mode & 07777)};
        trust = judge_rules_file(facts, me);
    }
    if (trust == FileTrust::trusted) return {};
    return unexpected("./" + file.string() + " " + explain(trust, facts, me) + ": refusing to load it (anyone who " +
                      "can write it could hide every leak); fix its owner or mode, or name it with --rules " +
                      file.string() + " to trust it");
}

}  // namespace

std::optional<RuleSet> load_command_rules(const std::vector<std::string>& extra) {
    RuleLoadRequest request;
    request.pack_dirs = rule_pack_dirs();
    request.extra = extra;
    const std::filesystem::path project = *request.project_file;
    if (std::any_of(extra.begin(), extra.end(), [&](const std::string& e) { return same_file(project, e); })) {
        request.project_file.reset();  // loaded where --rules names it, trusted
    } else if (Result<void> trusted = check_project_file(project); !trusted) {
        print_error(trusted.error());
        return std::nullopt;
    }
    Result<RuleSet, Diagnostics> loaded = load_rules(request);
    if (!loaded) {
        print_diagnostics(loaded.error(), std::cerr);
        return std::nullopt;
    }
    return std::move(*loaded);
}

}  // namespace leakaudit
