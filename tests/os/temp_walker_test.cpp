// The one walk (os/temp_walker.cpp) behind scan_watched and stream_watched against the
// walk it replaced (reference_temp_walk.cpp): the same entries in the same order, the same
// totals, warnings and vanished count, on trees with symlinks, odd names, deep nesting
// and other users' unreadable folders.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>
#include <tuple>

#include "os/temp_stream.hpp"
#include "os/temp_walk.hpp"
#include "os_test_support.hpp"
#include "temp_stream_support.hpp"
#include "reference_temp_walk.hpp"

using namespace leakaudit;
using namespace leakaudit::test;

namespace {

bool same_entries(const std::vector<TmpEntry>& got, const std::vector<TmpEntry>& want) {
    if (got.size() != want.size()) return false;
    for (std::size_t i = 0; i < got.size(); ++i) {
        if (fields(got[i]) != fields(want[i])) return false;
    }
    return true;
}

// Both walks equal the reference: entries, order, totals, warnings, vanished.
bool walks_equal_reference(const std::vector<std::string>& roots, const os::WalkOptions& options = {}) {
    os::TempScan want = test::reference_scan_watched(roots, options);
    os::TempScan whole = os::scan_watched(roots, options);
    os::TempScan scan;
    std::vector<TmpEntry> got = streamed(roots, scan, options);
    return !want.entries.empty() && same_entries(whole.entries, want.entries) && same_entries(got, want.entries) &&
           whole.warnings == want.warnings && scan.warnings == want.warnings && whole.vanished == want.vanished &&
           scan.vanished == want.vanished && scan.entries.empty();
}

void make_dir(const std::string& path) {
    REQUIRE(::mkdir(path.c_str(), 0755) == 0);
}

// Files of several sizes in nested folders, symlinks to a folder, a file, nowhere and a
// folder outside the tree, a fifo, an empty folder, names with a quote, a newline and
// bytes that are not UTF-8, and a chain of folders `chain` levels deep.
void build_tree(test::TempDir& dir, int chain) {
    test::TempDir outside;
    REQUIRE(test::write_file(dir / "a", 10));
    make_dir(dir / "sub");
    REQUIRE(test::write_file(dir / "sub/x", 3));
    make_dir(dir / "sub/deep");
    REQUIRE(test::write_file(dir / "sub/deep/y", 5));
    make_dir(dir / "empty");
    REQUIRE(::symlink("/etc", (dir / "sub/to-dir").c_str()) == 0);
    REQUIRE(::symlink("/etc/passwd", (dir / "to-file").c_str()) == 0);
    REQUIRE(::symlink("/nowhere/at/all", (dir / "sub/deep/dangling").c_str()) == 0);
    REQUIRE(::symlink(outside.path().c_str(), (dir / "to-outside").c_str()) == 0);
    REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
    REQUIRE(test::write_file(dir / "quote\"and\nnewline", 2));
    REQUIRE(test::write_file(dir / "bytes-\xff\xfe", 4));
    std::string level = dir / "chain";
    for (int i = 0; i < chain; ++i) {
        make_dir(level);
        REQUIRE(test::write_file(level + "/f", static_cast<std::size_t>(i)));
        level += "/c";
    }
}

}  // namespace

TEST_CASE("temp walk: scan_watched and stream_watched equal the walk they replaced", "[os][tmp][walker]") {
    test::TempDir dir;
    build_tree(dir, 40);
    CHECK(walks_equal_reference({dir.path(), dir / "missing"}));
    CHECK(walks_equal_reference({dir / "sub", dir.path()}));  // a folder twice, under two roots
    std::string with_slash = dir.path() + "/";
    CHECK(walks_equal_reference({with_slash}));
}

TEST_CASE("temp walk: a tree deeper than the bound equals the old walk, warning included", "[os][tmp][walker]") {
    test::TempDir dir;
    build_tree(dir, 300);  // past the default bound of 256 levels
    os::TempScan want = test::reference_scan_watched({dir.path()});
    REQUIRE(want.warnings.size() == 1);
    CHECK(walks_equal_reference({dir.path()}));
    os::WalkOptions shallow;
    shallow.max_depth = 3;
    CHECK(walks_equal_reference({dir.path()}, shallow));
}

TEST_CASE("temp walk: an entry vanishing mid-walk is counted as the old walk counted it", "[os][tmp][walker]") {
    test::TempDir dir;
    build_tree(dir, 3);
    // The hook deletes the file just before each walk stats it; it is made again between walks.
    os::WalkOptions options;
    options.before_stat = [&dir](const std::string& path) {
        if (path == dir / "sub/x") ::unlink(path.c_str());
    };
    os::TempScan want = test::reference_scan_watched({dir.path()}, options);
    REQUIRE(test::write_file(dir / "sub/x", 3));
    os::TempScan whole = os::scan_watched({dir.path()}, options);
    REQUIRE(test::write_file(dir / "sub/x", 3));
    os::TempScan scan;
    std::vector<TmpEntry> got = streamed({dir.path()}, scan, options);
    CHECK(want.vanished == 1);
    CHECK(whole.vanished == 1);
    CHECK(scan.vanished == 1);
    CHECK(same_entries(whole.entries, want.entries));
    CHECK(same_entries(got, want.entries));
}

// As root, chmod 000 is no barrier, so the walks run in a child that dropped to nobody;
// it reports through its exit code. 60 private folders: one note, the same as before.
TEST_CASE("temp walk: 60 unreadable folders are one note, in snapshot's walk too", "[os][tmp][walker]") {
    test::TempDir dir;
    ::chmod(dir.path().c_str(), 0755);
    build_tree(dir, 5);
    for (int i = 0; i < 60; ++i) {
        std::string name = dir / ("private-" + std::to_string(i));
        make_dir(name);
        REQUIRE(test::write_file(name + "/secret", 1));
        REQUIRE(::chmod(name.c_str(), 0) == 0);
    }
    REQUIRE(::chmod((dir / "sub").c_str(), 0755) == 0);
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        if (::getuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(10);
        os::TempScan scan;
        std::vector<TmpEntry> got = streamed({dir.path()}, scan);
        bool one_note = scan.warnings.size() == 1 &&
                        scan.warnings[0].find("cannot open 60 folders under " + dir.path()) == 0 &&
                        scan.warnings[0].find("and 57 more") != std::string::npos;
        ::_exit(!one_note ? 11 : walks_equal_reference({dir.path()}) ? 0 : 12);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
