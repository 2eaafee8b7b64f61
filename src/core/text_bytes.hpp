// Raw bytes from the kernel (paths, command lines) may be anything. JSON needs UTF-8,
// so invalid sequences are shown as U+FFFD and the exact bytes kept in base64 beside.
#pragma once

#include <string>
#include <string_view>

namespace leakaudit {

bool is_valid_utf8(std::string_view bytes);
// Valid UTF-8 with each invalid byte replaced by U+FFFD.
std::string to_display_utf8(std::string_view bytes);
std::string base64_encode(std::string_view bytes);
// For a terminal: control characters (a newline in a file name) shown as \n, \x1b…
std::string escape_for_terminal(std::string_view bytes);

}  // namespace leakaudit
