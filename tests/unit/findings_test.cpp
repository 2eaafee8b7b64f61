// Process findings: place in the tree, stable ids, held resources, hints.
#include <catch2/catch.hpp>

#include "core/finding_id.hpp"
#include "core/process_findings.hpp"
#include "snapshot_builder.hpp"

using namespace leakaudit;
using namespace leakaudit::test;

namespace {

RunRoots roots() {
    return RunRoots{{100, 10}, ProcessId{200, 20}, "cookie"};
}

std::vector<Finding> findings_for(const Snapshot& after) {
    auto run = attribute_processes(Snapshot{}, after, roots());
    return process_findings(run, after, roots(), AuditPoint::after_exit);
}

}  // namespace

TEST_CASE("the same leak gets the same id across runs, whatever its pid", "[ids]") {
    Snapshot run1 = snapshot({proc(100, 10, 1, {"leakaudit"}), proc(300, 30, 100, {"sleep", "300"}, 200)});
    Snapshot run2 = snapshot({proc(100, 10, 1, {"leakaudit"}), proc(812, 99, 100, {"sleep", "300"}, 200)});
    CHECK(findings_for(run1).at(0).id == findings_for(run2).at(0).id);
}

TEST_CASE("a different command line or place in the tree gets a different id", "[ids]") {
    Snapshot a = snapshot({proc(100, 10, 1, {"leakaudit"}), proc(300, 30, 100, {"sleep", "300"}, 200)});
    Snapshot b = snapshot({proc(100, 10, 1, {"leakaudit"}), proc(300, 30, 100, {"sleep", "301"}, 200)});
    Snapshot c = snapshot({proc(100, 10, 1, {"leakaudit"}), proc(299, 29, 100, {"chrome"}, 200),
                           proc(300, 30, 299, {"sleep", "300"}, 200)});
    std::string id_a = findings_for(a).at(0).id;
    CHECK(id_a.rfind("process:", 0) == 0);
    CHECK(id_a != findings_for(b).at(0).id);
    CHECK(id_a != findings_for(c).at(1).id);
}

TEST_CASE("identical leaks get distinct ids, numbered in start order", "[ids]") {
    Snapshot s = snapshot({proc(100, 10, 1, {"leakaudit"}), proc(300, 30, 100, {"sleep", "300"}, 200),
                           proc(301, 31, 100, {"sleep", "300"}, 200)});
    auto f = findings_for(s);
    REQUIRE(f.size() == 2);
    CHECK(f[1].id == f[0].id + "#2");
}

TEST_CASE("a leaked tree keeps its shape: parent_in_run points up the tree", "[findings]") {
    Snapshot s = snapshot({proc(100, 10, 1, {"leakaudit"}), proc(300, 30, 100, {"chrome"}, 200),
                           proc(301, 31, 300, {"chrome", "--type=renderer"}, 200)});
    auto f = findings_for(s);
    REQUIRE(f.size() == 2);
    CHECK(f[0].parent_in_run == 200);  // adopted by the subreaper: started by the harness's tree
    CHECK(f[1].parent_in_run == 300);
}

TEST_CASE("a leaked server lists its listening socket and gets a server hint", "[findings]") {
    Process server = proc(300, 30, 100, {"node", "server.js"}, 200);
    server.fds = {Descriptor{1, FdType::pipe, "pipe:[9]", 9, "", 0},
                  Descriptor{7, FdType::socket, "socket:[4242]", 4242, "", 0},
                  Descriptor{8, FdType::file, "/tmp/plugin-1/db.sqlite", 77, "", 0}};
    Snapshot s = snapshot({proc(100, 10, 1, {"leakaudit"}), server});
    Socket listener;
    listener.inode = 4242;
    listener.proto = "tcp";
    listener.state = "listen";
    listener.local = "127.0.0.1:41234";
    listener.local_port = 41234;
    s.sockets = {listener};
    auto f = findings_for(s);
    REQUIRE(f.at(0).resources.size() == 2);
    CHECK(f[0].resources[0].text == "holds tcp 127.0.0.1:41234 listen");
    CHECK(f[0].resources[1].text == "holds /tmp/plugin-1/db.sqlite");
    CHECK(f[0].hint.find("server") != std::string::npos);
}

TEST_CASE("a process that left the harness's process group gets the daemon hint", "[findings]") {
    Snapshot s = snapshot({proc(100, 10, 1, {"leakaudit"}), proc(300, 30, 100, {"sleep", "300"}, 299)});
    CHECK(findings_for(s).at(0).hint.find("setsid") != std::string::npos);
}

TEST_CASE("finding ids hash kind and parts, not their concatenation", "[ids]") {
    CHECK(make_finding_id(Kind::tmp, {"ab", "c"}) != make_finding_id(Kind::tmp, {"a", "bc"}));
    CHECK(make_finding_id(Kind::tmp, {"x"}) != make_finding_id(Kind::fd, {"x"}));
    CHECK(make_finding_id(Kind::tmp, {"x"}) == make_finding_id(Kind::tmp, {"x"}));
}

TEST_CASE("run-specific parts of a command line do not change the id", "[ids]") {
    CHECK(stable_command_key({"chromium", "--field-trial-handle=3,i,6405836368979339607", "--port=41389"}) ==
          stable_command_key({"chromium", "--field-trial-handle=3,i,3943947276407866685", "--port=33677"}));
    CHECK(stable_command_key({"node", "--seed=a1b2c3d4e5f6"}) == stable_command_key({"node", "--seed=ffee99887766"}));
    CHECK(stable_command_key({"sleep", "300"}) != stable_command_key({"sleep", "301"}));
    CHECK(stable_command_key({"sleep", "300"}) == "sleep 300");
    CHECK(stable_command_key({"chromium", "--user-data-dir=/tmp/plugin-browser-JSyb1N", "--renderer-client-id=5"}) ==
          stable_command_key({"chromium", "--user-data-dir=/tmp/plugin-browser-euSWxk", "--renderer-client-id=7"}));
    CHECK(stable_command_key({"node", "server.js", "--mode=prod"}) == "node server.js --mode=prod");
    CHECK(stable_command_key({"chromium", "--user-data-dir=/tmp/plugin-browser-abcdef"}) ==
          stable_command_key({"chromium", "--user-data-dir=/tmp/plugin-browser-Q2xT9z"}));
}
