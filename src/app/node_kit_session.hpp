// The Node kit for one `run` (kits/node/PROTOCOL.md): finds the kit, makes its folder and
// the harness's environment, asks for a dump when the harness hangs, reads the files at
// the end and removes the folder. What the files say is judged in core/node_kit*.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/node_kit_findings.hpp"
#include "core/report.hpp"
#include "core/result.hpp"
#include "core/snapshot.hpp"
#include "core/tmp_evidence.hpp"
#include "core/tmp_sites.hpp"
#include "os/node_kit_files.hpp"

namespace leakaudit {

// LEAKAUDIT_NODE_KIT (tests, unusual layouts), then share/leakaudit/node next to the
// binary (installed), then the source tree's kits/node (a build tree).
std::optional<std::filesystem::path> find_node_kit();

class NodeKitSession {
public:
    // Makes the folder and the environment, or says why the kit cannot be used. The kit
    // records temp folders made under `watched` (the run's --watch list).
    Result<void> start(const std::string& run_id, const std::vector<std::string>& watched);
    bool active() const { return m_dir.has_value(); }
    // NODE_OPTIONS, LEAKAUDIT_KIT_DIR, LEAKAUDIT_KIT_TOKEN, LEAKAUDIT_KIT_TEMP ("NAME=value").
    const std::vector<std::string>& environment() const { return m_env; }
    const std::string& folder() const;
    const std::string& token() const { return m_token; }

    // The harness hangs: asks every Node process of the run for a dump (at most 2 s) and
    // says what keeps them alive ("setInterval 60000ms at src/plugin.mjs:41").
    std::vector<std::string> dump_and_describe(const ProcessId& harness, std::int64_t run_started_ms);

    // After settling: reads the files and removes the folder.
    void collect();
    // The counted processes and their last reports, judged with the run's fork history.
    std::vector<KitProcess> processes(const ProcessId& harness, std::int64_t run_started_ms, const ForkHistory* forks,
                                      NodeKitStatus& status, std::vector<std::string>& warnings) const;

    // The counted files' creation records (kits/node/PROTOCOL.md, "Creation records") and
    // the pids of the Node processes that wrote them, for core/tmp_sites.hpp.
    void add_creations(TmpSiteInput& input, const ProcessId& harness, std::int64_t run_started_ms,
                       const ForkHistory* forks) const;

private:
    std::vector<KitProcess> judge(const std::vector<os::RawKitFile>& files, const ProcessId& harness,
                                  std::int64_t run_started_ms, const ForkHistory* forks, int* hellos,
                                  std::vector<std::string>* warnings, TmpSiteInput* creations = nullptr) const;

    std::optional<os::KitDir> m_dir;
    std::string m_token;
    std::vector<std::string> m_env;
    std::vector<os::RawKitFile> m_files;
    int m_skipped = 0;
    std::set<int> m_verified;  // pids seen alive with a start time that made them the run's
    Result<void> m_removed;
};

}  // namespace leakaudit
