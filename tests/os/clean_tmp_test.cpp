// remove_entry against real folders: it removes the recorded object and nothing else,
// never through a symlink.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "os/clean_tmp.hpp"
#include "os_test_support.hpp"

using namespace leakaudit;

namespace {

os::RemovalTarget target_of(const std::string& root, const std::string& relative) {
    struct stat st {};
    REQUIRE(::lstat((root + "/" + relative).c_str(), &st) == 0);
    return os::RemovalTarget{root, relative, static_cast<std::uint64_t>(st.st_dev),
                             static_cast<std::uint64_t>(st.st_ino)};
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

}  // namespace

TEST_CASE("remove_entry removes the recorded folder tree", "[os][clean]") {
    test::TempDir dir;
    std::string root = dir.path();
    REQUIRE(::mkdir((root + "/leak").c_str(), 0755) == 0);
    REQUIRE(::mkdir((root + "/leak/sub").c_str(), 0755) == 0);
    std::ofstream(root + "/leak/sub/f") << "x";
    os::RemovalTarget t = target_of(root, "leak");
    CHECK(os::remove_entry(t));
    CHECK_FALSE(exists(root + "/leak"));
}

TEST_CASE("remove_entry refuses an entry that is not the recorded object", "[os][clean]") {
    test::TempDir dir;
    std::string root = dir.path();
    REQUIRE(::mkdir((root + "/x").c_str(), 0755) == 0);
    os::RemovalTarget t = target_of(root, "x");
    REQUIRE(::rmdir((root + "/x").c_str()) == 0);
    REQUIRE(::mkdir((root + "/x").c_str(), 0755) == 0);
    std::ofstream(root + "/x/theirs") << "x";
    t.inode += 1'000'000;  // whatever inode the new x got, the recorded one differs
    Result<void> removed = os::remove_entry(t);
    REQUIRE_FALSE(removed);
    CHECK(removed.error().message.find("no longer the entry") != std::string::npos);
    CHECK(exists(root + "/x/theirs"));
}

TEST_CASE("remove_entry never goes through a symlink, above or inside the entry", "[os][clean]") {
    test::TempDir dir;
    std::string root = dir.path();
    std::string outside = root + "/outside";
    REQUIRE(::mkdir(outside.c_str(), 0700) == 0);
    std::ofstream(outside + "/precious") << "x";
    REQUIRE(::mkdir((root + "/w").c_str(), 0755) == 0);
    // A level above the entry is a symlink: refused, nothing removed.
    REQUIRE(::symlink(outside.c_str(), (root + "/w/link").c_str()) == 0);
    os::RemovalTarget via_link = target_of(outside, "precious");
    via_link.root = root + "/w";
    via_link.relative = "link/precious";
    CHECK_FALSE(os::remove_entry(via_link));
    CHECK(exists(outside + "/precious"));
    // A symlink inside the entry is removed as a link; its target stays.
    REQUIRE(::mkdir((root + "/w/leak").c_str(), 0755) == 0);
    REQUIRE(::symlink(outside.c_str(), (root + "/w/leak/to-outside").c_str()) == 0);
    CHECK(os::remove_entry(target_of(root + "/w", "leak")));
    CHECK_FALSE(exists(root + "/w/leak"));
    CHECK(exists(outside + "/precious"));
    // Dot-dot parts are refused outright.
    os::RemovalTarget dotdot = target_of(root, "outside");
    dotdot.root = root + "/w";
    dotdot.relative = "../outside";
    Result<void> refused = os::remove_entry(dotdot);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message == "refusing a path with . or ..");
    CHECK(exists(outside + "/precious"));
}
