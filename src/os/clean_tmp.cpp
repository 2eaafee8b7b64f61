// boost::filesystem::remove_all does not follow symlinks: a link to /etc inside a leaked
// folder is removed as a link.
#include "os/clean_tmp.hpp"

#include <boost/filesystem.hpp>

namespace leakaudit::os {

std::string remove_entry(const std::string& path) {
    boost::system::error_code ec;
    boost::filesystem::remove_all(boost::filesystem::path(path), ec);
    return ec ? ec.message() : "";
}

}  // namespace leakaudit::os
