// Raw bytes from the kernel (paths, command lines) may be anything. JSON needs UTF-8,
// so invalid sequences are shown as U+FFFD and the exact bytes kept in base64 beside.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leakaudit {

bool is_valid_utf8(std::string_view bytes);
// Length of the valid UTF-8 sequence starting at bytes[i], or 0 when it is invalid.
std::size_t utf8_sequence_length(std::string_view bytes, std::size_t i);
// Valid UTF-8 with each invalid byte replaced by U+FFFD.
std::string to_display_utf8(std::string_view bytes);
std::string base64_encode(std::string_view bytes);
// For a terminal: control characters (a newline in a file name) shown as \n, \x1b…
std::string escape_for_terminal(std::string_view bytes);
// `items` with `separator` between them: "sleep 300" for a command line's words.
std::string join(const std::vector<std::string>& items, std::string_view separator);
// A command line's words joined by spaces, a word that is empty or holds a space or a
// shell character in single quotes: `sh -c 'sleep 300 &'` (the JUnit and HTML reports).
std::string quoted_command(const std::vector<std::string>& words);

// `bytes` as XML 1.0 character data (the JUnit report): invalid UTF-8 and characters XML
// 1.0 forbids (control characters, U+FFFE, U+FFFF) become U+FFFD; markup characters are
// escaped. For attributes, tab, newline and carriage return are escaped too so they
// survive attribute-value normalization.
enum class XmlContext { text, attribute };
std::string xml_escape(std::string_view bytes, XmlContext context);

// GitHub's workflow-command escaping (as @actions/core does it): `%`, CR and LF in a
// command's message; also `:` and `,` in a property value. Invalid UTF-8 becomes U+FFFD,
// and other control characters are shown as `\xNN` so they cannot reach the runner's
// log raw.
enum class AnnotationPart { message, property };
std::string escape_workflow_command(std::string_view bytes, AnnotationPart part);

}  // namespace leakaudit
