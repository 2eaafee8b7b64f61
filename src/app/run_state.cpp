// Reads what core/audit_mode and core/event_after decide on; the fallbacks read what
// `snapshot` reads, and judge what is new by birth and start times.
#include "app/run_state.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "core/event_after.hpp"
#include "os/clock.hpp"
#include "os/process_table.hpp"
#include "os/system_snapshot.hpp"
#include "os/temp_walk.hpp"

namespace leakaudit {

namespace {

// Birth times come from the filesystem's coarse clock, a tick behind the wall clock.
constexpr std::int64_t k_coarse_clock_slack_ms = 20;

bool forced_walk() {
    const char* knob = std::getenv("LEAKAUDIT_FORCE_WALK");
    return knob && std::strcmp(knob, "1") == 0;
}

Result<void> full_read(Snapshot& into, const std::vector<std::string>& watch) {
    Result<Snapshot> taken = os::take_snapshot({watch});
    if (!taken) return unexpected(taken.error());
    into = std::move(*taken);
    return {};
}

// What reading leakaudit's own process (always there) found missing.
constexpr const char* k_self_missing = "cannot read the process table under /proc: leakaudit's own process is missing";

// The events replace the table, but a table that cannot be read is still exit 4: leakaudit's
// own entry must be there.
Result<void> check_table_readable() {
    Result<std::vector<Process>> self = os::read_processes({getpid()});
    if (!self) return unexpected(self.error());
    if (self->empty()) return unexpected(k_self_missing);
    return {};
}

}  // namespace

void RunState::plan(const RunEvidence& evidence, const std::vector<std::string>& watch) {
    m_watch = watch;
    WatcherState w = evidence.watchers(watch);
    w.forced_walk = forced_walk();
    w.every_root_has_birth_time = std::all_of(watch.begin(), watch.end(), os::has_birth_time);
    m_audit = plan_audit(w);
}

Result<void> RunState::take_before(Snapshot& before) {
    if (m_audit.mode == AuditMode::walk) return full_read(before, m_watch);
    if (Result<void> readable = check_table_readable(); !readable) return readable;
    before = Snapshot{};
    before.watched = m_watch;
    before.taken_at_ms = os::now_unix_ms();
    m_since_ms = before.taken_at_ms - k_coarse_clock_slack_ms;
    m_since_ticks = os::now_boot_ticks();
    return {};
}

Result<void> RunState::take_after(Snapshot& after, Snapshot& before, RunEvidence& evidence) {
    if (m_audit.mode == AuditMode::walk) return full_read(after, m_watch);
    std::optional<std::vector<int>> born = evidence.born_alive();
    if (!born) {  // events lost: the whole table, what is new by start time
        m_audit = after_audit(m_audit, false, true);
        if (Result<void> read = full_read(after, {}); !read) return read;
        before.processes = existed_before(after, m_since_ms, m_since_ticks).processes;
    } else {
        born->push_back(getpid());  // the root the run's tree hangs from
        Result<std::vector<Process>> table = os::read_processes(*born);
        if (!table) return unexpected(table.error());
        if (table->empty()) return unexpected(k_self_missing);
        after = Snapshot{};
        after.processes = std::move(*table);
    }
    after.watched = m_watch;
    after.taken_at_ms = os::now_unix_ms();
    return {};
}

void RunState::complete_tmp(Snapshot& before, Snapshot& after, const RunEvidence& evidence,
                            const std::vector<RunProcess>& run, const std::set<std::string>& held_by_run) {
    if (m_audit.mode == AuditMode::walk || m_watch.empty()) return;
    if (evidence.record().creations_lost) {  // creations lost: walk, what is new by birth time
        m_audit = after_audit(m_audit, true, false);
        os::TempScan scan = os::scan_watched(m_watch);
        after.tmp = std::move(scan.entries);
        for (std::string& w : scan.warnings)
            after.warnings.push_back(std::move(w));
        before.tmp = existed_before(after, m_since_ms, m_since_ticks).tmp;
        return;
    }
    std::vector<std::string> paths = paths_to_look_at(evidence.record(), run, held_by_run);
    after.tmp = new_entries(os::look_up_entries(m_watch, paths).entries, m_since_ms);
}

}  // namespace leakaudit
