// A folder of the test's own, removed with everything in it when the test ends: tests
// run in parallel (ctest -j). A folder that cannot be made throws, so a test fails
// loudly instead of writing to "" + "/x" = "/x".
#pragma once

#include <stdlib.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <system_error>

namespace leakaudit::test {

class TempDir {
public:
    // mkdtemp of PARENT/leakaudit-test-TAG-XXXXXX.
    explicit TempDir(const std::string& tag = "os", const std::string& parent = "/tmp") {
        std::string pattern = parent + "/leakaudit-test-" + tag + "-XXXXXX";
        if (!::mkdtemp(pattern.data()))
            throw std::runtime_error("mkdtemp " + pattern + " failed: " + std::strerror(errno));
        m_path = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        // A test may have locked a folder (chmod 000); unlock before removing.
        for (auto it = std::filesystem::recursive_directory_iterator(m_path, ec);
             !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
            if (it->is_directory(ec) && !it->is_symlink(ec)) ::chmod(it->path().c_str(), 0700);
        }
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return m_path; }
    std::string operator/(const std::string& name) const { return m_path + "/" + name; }

private:
    std::string m_path;
};

}  // namespace leakaudit::test
