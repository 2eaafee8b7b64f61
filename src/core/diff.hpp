// `leakaudit diff`: findings between two snapshots taken by hand. Without a subreaper
// there is no ancestry to the run, so attribution is "new since BEFORE", narrowed to
// descendants of --pid hosts (processes running in both snapshots) and to --user.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/finding.hpp"
#include "core/tmp_keys.hpp"

namespace leakaudit {

struct DiffScope {
    std::vector<int> pids;               // plugin hosts; empty: the whole machine
    std::optional<std::uint32_t> uid;    // --user
    int self_pid = 0;                    // leakaudit itself, never a finding
    std::vector<std::string> own_paths;  // the snapshot files themselves, never a finding
};

struct DiffResult {
    std::vector<Finding> findings;
    std::vector<std::string> warnings;  // e.g. a --pid host that is not in both snapshots
};

DiffResult diff_findings(const Snapshot& before, const Snapshot& after, const DiffScope& scope);
// The same, with BEFORE's temp entries as identities only (`before.tmp` is not read):
// what the compact model (core/diff_compact.hpp) hands over.
DiffResult diff_findings(const Snapshot& before, const TmpKeySet& before_tmp, const Snapshot& after,
                         const DiffScope& scope);

}  // namespace leakaudit
