// Which findings are only guesses: tied to the run or the host by time alone (born
// during the window; new since the before snapshot), not by a creator, an ancestry or
// an open descriptor. Every report format says so (README, "Guesses").
#pragma once

#include <string>

#include "core/finding.hpp"

namespace leakaudit {

// True for `time-window` and `new-since-before`.
bool is_guess(Attribution attribution);

// "guess: …" saying why, for the text and JUnit reports; "" for an exact attribution.
std::string guess_note(Attribution attribution);

}  // namespace leakaudit
