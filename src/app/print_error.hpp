// The one place that prints an error for the user: "leakaudit: error: MESSAGE" on stderr
// (or the stream a command was given), so every message has the prefix scripts and CI
// logs look for.
#pragma once

#include <iostream>
#include <string_view>

#include "core/result.hpp"

namespace leakaudit {

void print_error(std::string_view message, std::ostream& err = std::cerr);
// The same for a Result's error: "leakaudit: error: FILE:LINE:COL: MESSAGE" where known.
void print_error(const Error& error, std::ostream& err = std::cerr);

}  // namespace leakaudit
