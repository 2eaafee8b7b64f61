// Inherited descriptors are matched by inode and target together: the same pipe seen
// from two processes has one inode, and a number alone says nothing across processes.
#include "core/own_resources.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace leakaudit {

namespace {

bool below(std::string_view path, const std::string& folder) {
    return !folder.empty() && path.size() > folder.size() && path.starts_with(folder) && path[folder.size()] == '/';
}

}  // namespace

std::vector<Descriptor> without_own(std::vector<Descriptor> fds, const OwnResources& own) {
    std::set<std::pair<std::uint64_t, std::string>> inherited;
    for (const Descriptor& d : own.inherited)
        inherited.emplace(d.inode, d.target);
    std::erase_if(fds, [&](const Descriptor& d) {
        return std::find(own.fd_numbers.begin(), own.fd_numbers.end(), d.fd) != own.fd_numbers.end() ||
               inherited.count({d.inode, d.target}) > 0 || below(d.target, own.kit_folder);
    });
    return fds;
}

bool in_kit_folder(std::string_view path, const std::string& kit_folder) {
    return !kit_folder.empty() && (path == kit_folder || below(path, kit_folder));
}

}  // namespace leakaudit
