// leakaudit's exit codes, one enum for every command (README "Exit codes", man page
// EXIT STATUS): nothing in src/ returns a bare number as an exit code.
#pragma once

#include <ostream>

namespace leakaudit {

enum class ExitCode : int {
    ok = 0,              // no finding at or above --fail-on
    leaks = 1,           // at least one finding at or above --fail-on
    usage = 2,           // usage error, or an invalid rules / snapshot file
    harness_failed = 3,  // the harness could not start, failed, timed out or never exited (wins over 1)
    internal = 4,        // leakaudit itself could not work (e.g. a report could not be written)
};

constexpr int to_int(ExitCode code) {
    return static_cast<int>(code);
}

inline std::ostream& operator<<(std::ostream& out, ExitCode code) {
    return out << to_int(code);
}

}  // namespace leakaudit
