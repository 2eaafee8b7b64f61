// The reaper ends the run's leaked processes: SIGTERM, then SIGKILL after a short wait.
// Each target is addressed through a pidfd whose identity was checked against the
// snapshot's start time, so a pid reused since the snapshot is never signalled.
#pragma once

#include <chrono>
#include <functional>
#include <vector>

#include "core/report.hpp"
#include "core/snapshot.hpp"

namespace leakaudit::os {

// `keep_reaping` is called while waiting, so the caller can collect zombies of the
// processes it adopted as subreaper.
std::vector<ReapedProcess> reap_processes(const std::vector<ReapTarget>& targets,
                                          std::chrono::milliseconds term_patience,
                                          const std::function<void()>& keep_reaping);

}  // namespace leakaudit::os
