// `snapshot`'s temp entries end to end: walked on a thread of their own and handed to
// the writer in chunks (app/snapshot_tmp.cpp), they are every entry once, parents before
// their contents, each folder with the totals of what is inside it, across many chunks.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>

#include "e2e.hpp"

using namespace leakaudit::test;

TEST_CASE("snapshot: thousands of temp entries, each once, folders before their contents with their totals",
          "[e2e][snapshot][tmp]") {
    TempDir dir("snap-tmp");
    std::string w = watch_dir(dir);
    constexpr int k_folders = 30;
    constexpr int k_files = 99;  // 3,000 entries: several 64 KiB chunks of text
    std::set<std::string> made;
    for (int f = 0; f < k_folders; ++f) {
        std::string folder = w + "/folder-" + std::to_string(f);
        REQUIRE(::mkdir(folder.c_str(), 0755) == 0);
        made.insert(folder);
        for (int i = 0; i < k_files; ++i) {
            std::string file = folder + "/file-" + std::to_string(i);
            std::ofstream(file) << std::string(static_cast<std::size_t>(i), 'x');
            made.insert(file);
        }
    }
    auto snap = run_process({k_leakaudit, "snapshot", "--watch", w, "-o", "-"}, dir.path());
    REQUIRE(snap.exit_code == 0);
    nlohmann::json s = nlohmann::json::parse(snap.out, nullptr, false);
    REQUIRE(s.is_object());
    CHECK(s["warnings"].empty());
    std::set<std::string> seen;
    std::map<std::string, std::size_t> position;
    for (const auto& e : s["tmp"]) {
        std::string path = e["path"];
        CHECK(seen.insert(path).second);  // once
        position[path] = position.size();
        if (e["type"] == "dir") {
            CHECK(e["entries"] == k_files);
            CHECK(e["size"] == k_files * (k_files - 1) / 2);  // 0 + 1 + … + 98 bytes
        }
    }
    CHECK(seen == made);
    for (const std::string& path : made) {
        std::string parent = path.substr(0, path.rfind('/'));
        if (parent != w) CHECK(position[parent] < position[path]);
    }
}
