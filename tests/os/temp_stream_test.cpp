// stream_watched (what `snapshot` writes) against scan_watched (what `run` and the old
// snapshot writer read): the same entries, totals, order and warnings on one real tree.
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <tuple>

#include "os/temp_stream.hpp"
#include "os/temp_walk.hpp"
#include "os_test_support.hpp"
#include "temp_stream_support.hpp"
#include "support/skip.hpp"

using namespace leakaudit;
using namespace leakaudit::test;

namespace {

void check_same(const std::vector<TmpEntry>& got, const std::vector<TmpEntry>& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        INFO(want[i].path);
        CHECK(fields(got[i]) == fields(want[i]));
    }
}

// A tree with nesting, files of several sizes, a symlink, a fifo and an empty folder.
void build_tree(test::TempDir& dir) {
    REQUIRE(test::write_file(dir / "a", 10));
    REQUIRE(::mkdir((dir / "sub").c_str(), 0755) == 0);
    REQUIRE(test::write_file(dir / "sub/x", 3));
    REQUIRE(::mkdir((dir / "sub/deep").c_str(), 0755) == 0);
    REQUIRE(test::write_file(dir / "sub/deep/y", 5));
    REQUIRE(::mkdir((dir / "sub/deep/deeper").c_str(), 0755) == 0);
    REQUIRE(test::write_file(dir / "sub/deep/deeper/z", 7));
    REQUIRE(::mkdir((dir / "empty").c_str(), 0755) == 0);
    REQUIRE(::symlink("/etc/passwd", (dir / "sub/link").c_str()) == 0);
    REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
}

}  // namespace

TEST_CASE("stream_watched hands on scan_watched's entries in scan_watched's order", "[os][tmp][stream]") {
    test::TempDir dir;
    build_tree(dir);
    std::vector<std::string> roots{dir / "missing", dir.path()};
    os::TempScan whole = os::scan_watched(roots);
    os::TempScan scan;
    std::vector<TmpEntry> got = streamed(roots, scan);
    check_same(got, whole.entries);
    CHECK(scan.warnings == whole.warnings);
    CHECK(scan.entries.empty());
    REQUIRE(whole.entries.size() == 10);
}

TEST_CASE("stream_watched keeps scan_watched's depth bound and its warning", "[os][tmp][stream]") {
    test::TempDir dir;
    build_tree(dir);
    os::WalkOptions options;
    options.max_depth = 1;
    os::TempScan whole = os::scan_watched({dir.path()}, options);
    os::TempScan scan;
    std::vector<TmpEntry> got = streamed({dir.path()}, scan, options);
    check_same(got, whole.entries);
    CHECK(scan.warnings == whole.warnings);
    REQUIRE(scan.warnings.size() == 1);
    CHECK(scan.warnings[0].find("deeper") != std::string::npos);
}

TEST_CASE("stream_watched skips an entry that vanished mid-walk, as scan_watched does", "[os][tmp][stream]") {
    test::TempDir dir;
    build_tree(dir);
    os::WalkOptions options;
    options.before_stat = [&](const std::string& path) {
        if (path == dir / "sub/x") ::unlink(path.c_str());
    };
    os::TempScan scan;
    std::vector<TmpEntry> got = streamed({dir.path()}, scan, options);
    CHECK(scan.vanished == 1);
    CHECK(scan.warnings.empty());
    CHECK(got.size() == 9);
    CHECK(std::none_of(got.begin(), got.end(), [&](const TmpEntry& e) { return e.path == dir / "sub/x"; }));
    // One walk: the folder's totals are what was read, as scan_watched's are.
    auto sub = std::find_if(got.begin(), got.end(), [&](const TmpEntry& e) { return e.path == dir / "sub"; });
    REQUIRE(sub != got.end());
    CHECK(sub->entry_count == 5);
}

TEST_CASE("stream_watched lists a mount point below a root but does not descend", "[os][tmp][stream]") {
    test::TempDir dir;
    REQUIRE(::mkdir((dir / "mnt").c_str(), 0755) == 0);
    if (::mount("leakaudit-test", (dir / "mnt").c_str(), "tmpfs", 0, "size=1m") != 0) {
        LEAKAUDIT_SKIP("cannot mount tmpfs here; the filesystem boundary is not exercised");
    }
    bool wrote = test::write_file(dir / "mnt/inside", 1);
    os::TempScan scan;
    std::vector<TmpEntry> got = streamed({dir.path()}, scan);
    ::umount2((dir / "mnt").c_str(), MNT_DETACH);
    REQUIRE(wrote);
    REQUIRE(got.size() == 1);
    CHECK(got[0].path == dir / "mnt");
    CHECK(got[0].entry_count == 0);
}
