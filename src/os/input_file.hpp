// Reading a whole input file (a rules file, a snapshot) with its kind and size checked
// before a byte is read, so `/dev/zero`, a FIFO without a writer or a 10 GB file is a
// clear message, never a hang or unbounded memory (README, "Limits").
#pragma once

#include <cstddef>
#include <string>

#include "core/result.hpp"
#include "os/unique_fd.hpp"

namespace leakaudit::os {

// Whether a stream (a FIFO, or "-" for stdin) may be read. Rules files refuse them:
// `rules check` on a FIFO must not wait for a writer that never comes.
enum class Streams { refuse, allow };

// Why an input was not read. A rules file that cannot be opened at all gets a message of
// its own ("cannot open rules file (looked for …)"), so the kind is typed, not read
// back out of the text.
enum class InputFailure {
    not_opened,  // open() itself failed (missing, no permission)
    refused,     // opened, but not readable here: its kind, its size, a read error
};
struct InputError {
    InputFailure failure = InputFailure::refused;
    std::string reason;  // "is a device, not a file", "is larger than 16 MiB", "cannot open: …"
};

// Regular files up to `max_bytes` (the size is checked with fstat first); directories,
// devices and sockets are refused; FIFOs and "-" (with Streams::allow) are read up to
// `max_bytes` and refused beyond it. The value is the file's text.
Result<std::string, InputError> read_input_file(const std::string& path, std::size_t max_bytes, Streams streams);

// The same checks without reading: the open descriptor, for a reader that streams (a
// snapshot is parsed as it is read). `fd` is stdin for "-".
struct OpenedInput {
    UniqueFd owned;
    int fd = -1;
    bool stream = false;  // a FIFO or stdin: no size known in advance
};
Result<OpenedInput, InputError> open_input_file(const std::string& path, std::size_t max_bytes, Streams streams);
// All of an opened input, up to `max_bytes` (as read_input_file).
Result<std::string, InputError> read_opened(const OpenedInput& input, std::size_t max_bytes);
// Up to `size` bytes (fewer only at the end); 0 at the end.
Result<std::size_t> read_some(int fd, char* buffer, std::size_t size);

// "8 MiB": the limits, as messages show them.
std::string limit_text(std::size_t bytes);

}  // namespace leakaudit::os
