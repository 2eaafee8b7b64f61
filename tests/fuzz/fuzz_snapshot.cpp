// libFuzzer target: any bytes as a snapshot file. Reading never throws or crashes; what
// reads writes back and reads again to the same processes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string_view>

#include "core/snapshot_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    leakaudit::SnapshotReadResult read = leakaudit::read_snapshot_json(text);
    if (!read.ok()) return 0;
    std::stringstream io;
    leakaudit::write_snapshot_json(read.snapshot, read.meta, io);
    leakaudit::SnapshotReadResult again = leakaudit::read_snapshot_json(io);
    if (!again.ok() || again.snapshot.processes.size() != read.snapshot.processes.size()) std::abort();
    return 0;
}
