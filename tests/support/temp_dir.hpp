// A folder of the test's own, removed at the end: tests run in parallel (ctest -j).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>

namespace leakaudit::test {

class TempDir {
public:
    explicit TempDir(const std::string& tag) {
        std::string pattern = "/tmp/leakaudit-test-" + tag + "-XXXXXX";
        m_path = ::mkdtemp(pattern.data()) ? pattern : std::string();
    }
    ~TempDir() {
        std::error_code ec;
        if (!m_path.empty()) std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return m_path; }
    std::string operator/(const std::string& name) const { return m_path + "/" + name; }

private:
    std::string m_path;
};

}  // namespace leakaudit::test
