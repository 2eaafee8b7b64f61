// CreationWatch on real folders: creations by this process and by a child are
// attributed to the right pid, on the root filesystem (/tmp) and on tmpfs (/dev/shm).
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "os/creation_watch.hpp"
#include "os_test_support.hpp"

using namespace leakaudit;

namespace {

const CreatedEntry* find_created(const std::vector<CreatedEntry>& entries, const std::string& path) {
    auto it = std::find_if(entries.begin(), entries.end(), [&](const CreatedEntry& e) { return e.path == path; });
    return it == entries.end() ? nullptr : &*it;
}

pid_t create_in_child(const std::string& path) {
    pid_t child = ::fork();
    if (child == 0) ::_exit(test::write_file(path, 1) ? 0 : 1);
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? child : -1;
}

void check_attribution(const std::string& parent) {
    test::TempDir dir("watch", parent);
    test::TempDir elsewhere("elsewhere", parent);  // same filesystem, not watched
    os::CreationWatch watch({dir.path()});
    Result<void> started = watch.start();
    INFO("start: " << (started ? "" : started.error().message));
    REQUIRE(started);
    REQUIRE(test::write_file(dir / "mine", 1));
    REQUIRE(::mkdir((dir / "sub").c_str(), 0755) == 0);
    REQUIRE(test::write_file(dir / "sub/nested", 1));
    REQUIRE(test::write_file(elsewhere / "not-watched", 1));
    pid_t child = create_in_child(dir / "childs");
    REQUIRE(child > 0);

    std::vector<CreatedEntry> created = watch.stop();
    CHECK_FALSE(watch.overflowed());
    REQUIRE(find_created(created, dir / "mine"));
    CHECK(find_created(created, dir / "mine")->pid == ::getpid());
    CHECK(find_created(created, dir / "mine")->start_ticks > 0);
    REQUIRE(find_created(created, dir / "sub"));
    CHECK(find_created(created, dir / "sub")->is_dir);
    CHECK(find_created(created, dir / "sub/nested"));
    REQUIRE(find_created(created, dir / "childs"));
    CHECK(find_created(created, dir / "childs")->pid == child);
    CHECK_FALSE(find_created(created, elsewhere / "not-watched"));
}

}  // namespace

TEST_CASE("CreationWatch attributes creations under /tmp to their creator", "[os][watch]") {
    check_attribution("/tmp");
}

TEST_CASE("CreationWatch attributes creations under /dev/shm (tmpfs) to their creator", "[os][watch]") {
    check_attribution("/dev/shm");
}

TEST_CASE("CreationWatch in manual mode is drained by the caller", "[os][watch]") {
    test::TempDir dir;
    os::CreationWatch watch({dir.path() + "/"});  // a trailing slash is kept as given
    REQUIRE(watch.start(os::WatchMode::manual));
    REQUIRE(test::write_file(dir / "f", 1));
    watch.drain();
    std::vector<CreatedEntry> created = watch.stop();
    REQUIRE(created.size() == 1);
    CHECK(created[0].path == dir / "f");
}

TEST_CASE("CreationWatch says why when no root can be watched", "[os][watch]") {
    os::CreationWatch watch({"/nonexistent-leakaudit-root"});
    Result<void> started = watch.start();
    REQUIRE_FALSE(started);
    CHECK(started.error().message.find("/nonexistent-leakaudit-root") != std::string::npos);
    CHECK(watch.stop().empty());
}

// The watch remembers folders found outside every root (another job's build on the same
// disk); a folder moved in must be judged afresh, or its later creations would be lost.
TEST_CASE("CreationWatch sees creations in a folder moved in after it was seen outside", "[os][watch]") {
    test::TempDir dir("watch");
    test::TempDir elsewhere("elsewhere");  // same filesystem, not watched
    os::CreationWatch watch({dir.path()});
    REQUIRE(watch.start(os::WatchMode::manual));
    REQUIRE(::mkdir((elsewhere / "moving").c_str(), 0755) == 0);
    for (int i = 0; i < 100; ++i)
        REQUIRE(test::write_file(elsewhere / ("moving/before-" + std::to_string(i)), 1));
    watch.drain();  // "moving" is now known to lie outside
    REQUIRE(::rename((elsewhere / "moving").c_str(), (dir / "moving").c_str()) == 0);
    REQUIRE(test::write_file(dir / "moving/after", 1));
    std::vector<CreatedEntry> created = watch.stop();
    REQUIRE(find_created(created, dir / "moving"));  // FAN_MOVED_TO: the renamer created it here
    CHECK(find_created(created, dir / "moving")->is_dir);
    CHECK(find_created(created, dir / "moving/after"));
    CHECK_FALSE(find_created(created, dir / "moving/before-0"));  // made outside, not looked at
    CHECK(created.size() == 2);
}
