// `leakaudit snapshot`: the live system as a JSON snapshot, the BEFORE of a later `diff`.
#include "app/snapshot_command.hpp"

#include <sstream>

#include "app/live_snapshot.hpp"
#include "app/print_error.hpp"
#include "app/version.hpp"
#include "core/redact_report.hpp"
#include "core/settings.hpp"
#include "core/snapshot_json.hpp"
#include "os/atomic_write.hpp"
#include "os/system_snapshot.hpp"

namespace leakaudit {

ExitCode take_snapshot_command(const SnapshotOptions& options) {
    std::optional<Snapshot> snapshot = live_snapshot(watch_or_default(options.watch), options.pids);
    if (!snapshot) return ExitCode::internal;
    bool redact = !options.no_redact;
    if (redact) redact_snapshot(*snapshot, Redactor());
    std::ostringstream out;
    write_snapshot_json(*snapshot, {LEAKAUDIT_VERSION, os::boot_id(), os::host_name(), redact}, out);
    if (auto error = os::write_output_file(options.output, out.str(), os::FileMode::snapshot)) {
        print_error(*error);
        return ExitCode::internal;
    }
    return ExitCode::ok;
}

}  // namespace leakaudit
