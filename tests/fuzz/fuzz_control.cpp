// libFuzzer target: any bytes on the control channel, cut into chunks where the input
// says. The parser never throws or crashes, and line numbers only grow.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/control_protocol.hpp"

namespace {

void check(const std::vector<leakaudit::ControlEvent>& events, int& last_line) {
    for (const leakaudit::ControlEvent& e : events) {
        if (leakaudit::line_of(e) < last_line) std::abort();
        if (!e && e.error().message.empty()) std::abort();  // an invalid line says why
        last_line = leakaudit::line_of(e);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::size_t chunk = 1 + data[0] % 64;  // the first byte picks the chunk size
    std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    leakaudit::ControlParser parser;
    int last_line = 0;
    for (std::size_t at = 0; at < bytes.size(); at += chunk)
        check(parser.feed(bytes.substr(at, chunk)), last_line);
    check(parser.finish(), last_line);
    return 0;
}
