// scan_watched against a real folder tree this test builds (and owns) under /tmp.
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>

#include "os/temp_walk.hpp"
#include "os_test_support.hpp"
#include "support/skip.hpp"

using namespace leakaudit;

namespace {

const TmpEntry* find_path(const os::TempScan& scan, const std::string& path) {
    auto it = std::find_if(scan.entries.begin(), scan.entries.end(), [&](const TmpEntry& e) { return e.path == path; });
    return it == scan.entries.end() ? nullptr : &*it;
}

bool any_under(const os::TempScan& scan, const std::string& prefix) {
    return std::any_of(scan.entries.begin(), scan.entries.end(),
                       [&](const TmpEntry& e) { return e.path.starts_with(prefix); });
}

}  // namespace

TEST_CASE("scan_watched lists files and totals folders recursively", "[os][tmp]") {
    test::TempDir dir;
    REQUIRE(test::write_file(dir / "a", 10));
    REQUIRE(::mkdir((dir / "sub").c_str(), 0755) == 0);
    REQUIRE(test::write_file(dir / "sub/x", 3));
    REQUIRE(::mkdir((dir / "sub/deep").c_str(), 0755) == 0);
    REQUIRE(test::write_file(dir / "sub/deep/y", 5));
    REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);

    os::TempScan scan = os::scan_watched({dir.path()});
    CHECK(scan.warnings.empty());
    CHECK(scan.entries.size() == 6);
    CHECK_FALSE(find_path(scan, dir.path()));  // the root itself is not an entry
    const TmpEntry* a = find_path(scan, dir / "a");
    REQUIRE(a);
    CHECK(a->type == EntryType::file);
    CHECK(a->size == 10);
    CHECK(a->uid == ::getuid());
    CHECK(a->birth_ms > 0);
    struct stat st {};
    ::stat((dir / "a").c_str(), &st);
    CHECK(a->inode == st.st_ino);
    CHECK(a->dev == st.st_dev);
    const TmpEntry* sub = find_path(scan, dir / "sub");
    REQUIRE(sub);
    CHECK(sub->type == EntryType::dir);
    CHECK(sub->size == 8);
    CHECK(sub->entry_count == 3);
    CHECK(find_path(scan, dir / "sub/deep")->entry_count == 1);
    CHECK(find_path(scan, dir / "fifo")->type == EntryType::fifo);
}

TEST_CASE("scan_watched reports symlinks without following them", "[os][tmp]") {
    test::TempDir dir;
    REQUIRE(::symlink("/etc", (dir / "etc-link").c_str()) == 0);
    os::TempScan scan = os::scan_watched({dir.path()});
    const TmpEntry* link = find_path(scan, dir / "etc-link");
    REQUIRE(link);
    CHECK(link->type == EntryType::symlink);
    CHECK(link->link_target == "/etc");
    CHECK_FALSE(any_under(scan, dir / "etc-link/"));
    CHECK(scan.entries.size() == 1);
}

TEST_CASE("scan_watched keeps names with any bytes", "[os][tmp]") {
    test::TempDir dir;
    std::string newline = dir / "new\nline";
    std::string invalid = dir / "bad\xff\xfe";
    REQUIRE(test::write_file(newline, 1));
    REQUIRE(test::write_file(invalid, 2));
    os::TempScan scan = os::scan_watched({dir.path()});
    REQUIRE(find_path(scan, newline));
    REQUIRE(find_path(scan, invalid));
    CHECK(find_path(scan, invalid)->size == 2);
}

TEST_CASE("scan_watched skips entries that vanish mid-walk without warnings", "[os][tmp]") {
    test::TempDir dir;
    REQUIRE(test::write_file(dir / "gone", 1));
    REQUIRE(::mkdir((dir / "gonedir").c_str(), 0755) == 0);
    REQUIRE(test::write_file(dir / "gonedir/inner", 1));
    REQUIRE(test::write_file(dir / "stays", 1));
    os::WalkOptions options;
    options.before_stat = [&](const std::string& path) {
        if (path == dir / "gone") std::remove(path.c_str());
        if (path == dir / "gonedir") std::filesystem::remove_all(path);
    };
    os::TempScan scan = os::scan_watched({dir.path()}, options);
    CHECK(scan.warnings.empty());
    CHECK(scan.vanished == 2);
    CHECK(find_path(scan, dir / "stays"));
    CHECK_FALSE(find_path(scan, dir / "gone"));
}

TEST_CASE("scan_watched warns about a missing root and an over-deep tree, and goes on", "[os][tmp]") {
    test::TempDir dir;
    REQUIRE(::mkdir((dir / "l1").c_str(), 0755) == 0);
    REQUIRE(::mkdir((dir / "l1/l2").c_str(), 0755) == 0);
    REQUIRE(test::write_file(dir / "l1/l2/f", 1));
    os::WalkOptions options;
    options.max_depth = 1;
    os::TempScan scan = os::scan_watched({dir / "missing", dir.path()}, options);
    REQUIRE(scan.warnings.size() == 2);
    CHECK(scan.warnings[0].find("missing") != std::string::npos);
    CHECK(scan.warnings[1].find("deeper") != std::string::npos);
    CHECK(find_path(scan, dir / "l1/l2"));
    CHECK_FALSE(find_path(scan, dir / "l1/l2/f"));
}

// As root, chmod 000 is no barrier, so the unreadable folder is walked by a child that
// dropped to nobody; it reports through its exit code.
TEST_CASE("scan_watched warns about an unreadable folder and lists the rest", "[os][tmp]") {
    test::TempDir dir;
    ::chmod(dir.path().c_str(), 0755);
    REQUIRE(::mkdir((dir / "locked").c_str(), 0755) == 0);
    REQUIRE(test::write_file(dir / "locked/secret", 1));
    REQUIRE(test::write_file(dir / "open", 1));
    REQUIRE(::chmod((dir / "locked").c_str(), 0) == 0);
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        if (::getuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(10);
        os::TempScan scan = os::scan_watched({dir.path()});
        bool warned = scan.warnings.size() == 1 && scan.warnings[0].find("locked") != std::string::npos;
        bool listed = find_path(scan, dir / "open") && find_path(scan, dir / "locked");
        ::_exit(warned && listed && !find_path(scan, dir / "locked/secret") ? 0 : 11);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

// A run as a user other than root meets every other user's private folder in /tmp
// (mktemp -d makes them 0700): one warning for them all, not one each.
TEST_CASE("scan_watched folds unreadable folders into one warning", "[os][tmp]") {
    test::TempDir dir;
    ::chmod(dir.path().c_str(), 0755);
    for (const char* name : {"p1", "p2", "p3", "p4", "p5"}) {
        REQUIRE(::mkdir((dir / name).c_str(), 0755) == 0);
        REQUIRE(test::write_file(dir / (std::string(name) + "/secret"), 1));
        REQUIRE(::chmod((dir / name).c_str(), 0) == 0);
    }
    REQUIRE(test::write_file(dir / "open", 1));
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        if (::getuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(10);
        os::TempScan scan = os::scan_watched({dir.path()});
        if (scan.warnings.size() != 1) ::_exit(11);
        const std::string& note = scan.warnings[0];
        bool says = note.find("cannot open 5 folders under " + dir.path()) == 0 &&
                    note.find("and 2 more") != std::string::npos && note.find(dir / "p") != std::string::npos;
        ::_exit(says && find_path(scan, dir / "open") && find_path(scan, dir / "p5") ? 0 : 12);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("scan_watched lists a mount point below a root but does not descend", "[os][tmp]") {
    test::TempDir dir;
    REQUIRE(::mkdir((dir / "mnt").c_str(), 0755) == 0);
    if (::mount("leakaudit-test", (dir / "mnt").c_str(), "tmpfs", 0, "size=1m") != 0) {
        LEAKAUDIT_SKIP("cannot mount tmpfs here; the filesystem boundary is not exercised");
    }
    bool wrote = test::write_file(dir / "mnt/inside", 1);
    os::TempScan scan = os::scan_watched({dir.path()});
    ::umount2((dir / "mnt").c_str(), MNT_DETACH);
    REQUIRE(wrote);
    REQUIRE(find_path(scan, dir / "mnt"));
    CHECK(find_path(scan, dir / "mnt")->entry_count == 0);
    CHECK_FALSE(find_path(scan, dir / "mnt/inside"));
}

TEST_CASE("look_up_entries reads only the paths asked for, as the walk reads them", "[os][tmp]") {
    test::TempDir dir;
    REQUIRE(test::write_file(dir / "a", 10));
    REQUIRE(test::write_file(dir / "untouched", 1));
    REQUIRE(::mkdir((dir / "sub").c_str(), 0755) == 0);
    REQUIRE(test::write_file(dir / "sub/x", 3));
    REQUIRE(::mkdir((dir / "sub/deep").c_str(), 0755) == 0);
    REQUIRE(test::write_file(dir / "sub/deep/y", 5));
    os::TempScan walked = os::scan_watched({dir.path()});
    os::TempScan looked =
        os::look_up_entries({dir.path()}, {dir / "a", dir / "sub", dir / "sub/deep/y", dir / "gone", "/etc/passwd"});
    CHECK_FALSE(find_path(looked, dir / "untouched"));
    CHECK_FALSE(find_path(looked, dir / "gone"));
    CHECK_FALSE(any_under(looked, "/etc"));  // not under a root: never read
    for (const std::string& path : {dir / "a", dir / "sub", dir / "sub/x", dir / "sub/deep/y"}) {
        const TmpEntry* w = find_path(walked, path);
        const TmpEntry* l = find_path(looked, path);
        REQUIRE(w);
        REQUIRE(l);
        CHECK(l->inode == w->inode);
        CHECK(l->type == w->type);
        CHECK(l->size == w->size);
        CHECK(l->entry_count == w->entry_count);
        CHECK(l->birth_ms == w->birth_ms);
    }
    CHECK(std::count_if(looked.entries.begin(), looked.entries.end(),
                        [&](const TmpEntry& e) { return e.path == dir / "sub/deep/y"; }) == 1);  // once, in sub
}

TEST_CASE("look_up_entries never follows a folder swapped for a symlink", "[os][tmp]") {
    test::TempDir dir;
    test::TempDir outside;
    REQUIRE(test::write_file(outside / "secret", 4));
    REQUIRE(::symlink(outside.path().c_str(), (dir / "link").c_str()) == 0);
    os::TempScan looked = os::look_up_entries({dir.path()}, {dir / "link/secret", dir / "link"});
    CHECK_FALSE(find_path(looked, dir / "link/secret"));
    const TmpEntry* link = find_path(looked, dir / "link");
    REQUIRE(link);
    CHECK(link->type == EntryType::symlink);
}

TEST_CASE("has_birth_time is true for /tmp on this machine's usual filesystems", "[os][tmp]") {
    test::TempDir dir;
    // ext4, tmpfs (Linux 5.18+), xfs, btrfs report it; say so rather than fail elsewhere.
    if (!os::has_birth_time(dir.path())) LEAKAUDIT_SKIP("this filesystem reports no birth time: not tested");
    CHECK(os::has_birth_time(dir.path()));
    CHECK_FALSE(os::has_birth_time(dir / "missing"));
}
