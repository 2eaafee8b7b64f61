// libFuzzer target: any bytes as a snapshot file. Reading never throws or crashes; the
// text reader (the fast path, then the exact reader when it gives up) and the plain
// chunked reader (the exact reader alone, in small chunks) give the same result, line
// and column included; what reads writes back and reads again to the same bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string_view>

#include "core/snapshot_json.hpp"

namespace {

std::string written(const leakaudit::Result<leakaudit::SnapshotRead>& r) {
    std::ostringstream out;
    leakaudit::write_snapshot_json(r->snapshot, r->meta, out);
    return out.str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    leakaudit::Result<leakaudit::SnapshotRead> read = leakaudit::read_snapshot_json(text);
    std::size_t at = 0;
    leakaudit::Result<leakaudit::SnapshotRead> chunked =
        leakaudit::read_snapshot_json([&](char* buffer, std::size_t want) {
            std::size_t n = std::min({want, std::size_t{3}, text.size() - at});
            text.copy(buffer, n, at);
            at += n;
            return n;
        });
    if (chunked.has_value() != read.has_value()) std::abort();
    if (!read.has_value()) {
        if (describe(chunked.error()) != describe(read.error())) std::abort();
        return 0;
    }
    std::string once = written(read);
    std::stringstream io(once);
    leakaudit::Result<leakaudit::SnapshotRead> again = leakaudit::read_snapshot_json(io);
    if (!again.has_value() || again->snapshot.processes.size() != read->snapshot.processes.size()) std::abort();
    if (written(again) != once || written(chunked) != once) std::abort();
    return 0;
}
