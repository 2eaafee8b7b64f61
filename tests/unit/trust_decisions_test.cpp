// Trust decisions on plain data: whether a found ./leakaudit.toml may be loaded, and
// whether a process named by a snapshot file is, live, below a --pid host.
#include <catch2/catch.hpp>

#include "core/file_trust.hpp"
#include "core/live_ancestry.hpp"

using namespace leakaudit;

TEST_CASE("a rules file is trusted only when the invoking user or root owns it and only they write it",
          "[trust][rules]") {
    constexpr std::uint32_t k_me = 1000;
    CHECK(judge_rules_file({k_me, 0644}, k_me) == FileTrust::trusted);
    CHECK(judge_rules_file({0, 0644}, k_me) == FileTrust::trusted);
    CHECK(judge_rules_file({0, 0600}, 0) == FileTrust::trusted);
    CHECK(judge_rules_file({65534, 0644}, k_me) == FileTrust::foreign_owner);
    CHECK(judge_rules_file({65534, 0644}, 0) == FileTrust::foreign_owner);
    CHECK(judge_rules_file({k_me, 0646}, k_me) == FileTrust::writable_by_others);
    CHECK(judge_rules_file({k_me, 0664}, k_me) == FileTrust::writable_by_others);
    CHECK(explain(FileTrust::foreign_owner, {65534, 0644}, 0) == "is owned by uid 65534, neither you (uid 0) nor root");
    CHECK(explain(FileTrust::writable_by_others, {0, 0646}, 0) == "is writable by others (mode 0646)");
    CHECK(explain(FileTrust::writable_by_others, {0, 0664}, 0) == "is writable by its group (mode 0664)");
}

TEST_CASE("diff --reap: a target must be, live, the same process below a host with the host's start time",
          "[trust][diff]") {
    ProcessId host{100, 50};
    ProcessId target{300, 90};
    std::vector<LiveProcess> chain{{target, 200}, {{200, 80}, 100}, {host, 1}, {{1, 1}, 0}};
    CHECK(live_descendant_of(chain, target, {host}));

    SECTION("the pid now names another process (reused)") {
        chain[0].id.start_ticks = 95;
        CHECK_FALSE(live_descendant_of(chain, target, {host}));
    }
    SECTION("the host was restarted under the same pid") {
        CHECK_FALSE(live_descendant_of(chain, target, {ProcessId{100, 49}}));
    }
    SECTION("an unrelated process: its live ancestry never meets the host") {
        std::vector<LiveProcess> unrelated{{target, 1}, {{1, 1}, 0}};
        CHECK_FALSE(live_descendant_of(unrelated, target, {host}));
    }
    SECTION("a parent that started after its child is a reused pid, not a parent") {
        chain[1].id.start_ticks = 120;
        CHECK_FALSE(live_descendant_of(chain, target, {host}));
    }
    SECTION("a chain that does not link up is refused") {
        chain[1].ppid = 999;
        CHECK_FALSE(live_descendant_of(chain, target, {host}));
    }
    SECTION("the process is gone") {
        CHECK_FALSE(live_descendant_of({}, target, {host}));
    }
}
