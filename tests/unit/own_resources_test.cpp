// What in a harness is leakaudit's own (core/own_resources.hpp), and the run's children at
// a cycle's reading (core/cycle_readings.hpp): never a leak, never a reading.
#include <catch2/catch.hpp>

#include "core/cycle_readings.hpp"
#include "core/own_resources.hpp"

using namespace leakaudit;

namespace {

Descriptor fd_of(int fd, std::string target, std::uint64_t inode) {
    Descriptor d;
    d.fd = fd;
    d.target = std::move(target);
    d.inode = inode;
    return d;
}

std::vector<int> numbers(const std::vector<Descriptor>& fds) {
    std::vector<int> out;
    for (const Descriptor& d : fds)
        out.push_back(d.fd);
    return out;
}

Process process(int pid, const std::string& name, char state) {
    Process p;
    p.id.pid = pid;
    p.name = name;
    p.state = state;
    return p;
}

}  // namespace

TEST_CASE("own resources: the control and ack descriptors are leakaudit's, by number") {
    OwnResources own{{3, 4}, "", {}};
    std::vector<Descriptor> fds{fd_of(3, "pipe:[10]", 10), fd_of(4, "pipe:[11]", 11), fd_of(5, "pipe:[12]", 12)};
    CHECK(numbers(without_own(fds, own)) == std::vector<int>{5});
}

TEST_CASE("own resources: what the harness inherited from leakaudit matches by inode and target") {
    OwnResources own{{}, "", {fd_of(1, "pipe:[77]", 77)}};
    std::vector<Descriptor> fds{fd_of(1, "pipe:[77]", 77),  // leakaudit's stdout, inherited
                                fd_of(9, "pipe:[77]", 77),  // the same pipe under another number
                                fd_of(7, "pipe:[78]", 78),  // the plugin's own pipe
                                fd_of(8, "/tmp/x", 77)};    // same inode, another object
    CHECK(numbers(without_own(fds, own)) == std::vector<int>{7, 8});
}

TEST_CASE("own resources: files below the Node kit's folder are the kit's, the folder's neighbours are not") {
    OwnResources own{{}, "/tmp/leakaudit-kit-ab12", {}};
    std::vector<Descriptor> fds{fd_of(20, "/tmp/leakaudit-kit-ab12/4242.jsonl", 1),
                                fd_of(21, "/tmp/leakaudit-kit-ab12-other/f", 2), fd_of(22, "/tmp/plugin.log", 3)};
    CHECK(numbers(without_own(fds, own)) == std::vector<int>{21, 22});
    CHECK(in_kit_folder("/tmp/leakaudit-kit-ab12", own.kit_folder));
    CHECK(in_kit_folder("/tmp/leakaudit-kit-ab12/4242.jsonl", own.kit_folder));
    CHECK_FALSE(in_kit_folder("/tmp/leakaudit-kit-ab12-other", own.kit_folder));
    CHECK_FALSE(in_kit_folder("/tmp/leakaudit-kit-ab12", ""));
    CHECK(numbers(without_own(fds, OwnResources{})) == std::vector<int>{20, 21, 22});  // no kit: nothing is its
}

TEST_CASE("live children: the run's live processes but the harness, zombies left out") {
    std::vector<Process> run{process(100, "node", 'S'), process(101, "sleep", 'S'), process(102, "sh", 'Z'),
                             process(103, "worker", 'R'), process(104, "gone", 'X')};
    CHECK(live_children(run, 100) == std::vector<std::string>{"101 sleep", "103 worker"});
    CHECK(live_children({}, 100).empty());
}
