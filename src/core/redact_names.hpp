// Which option and parameter names carry a secret value (`--password`, `api_key`,
// `X-Amz-Security-Token`), and which programs take a password through a short flag
// (`mysql -pSECRET`). Internal to the redactor; see core/redact.hpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace leakaudit::redact_detail {

// How a name is used: `NAME=VALUE` / `--name VALUE`, or `Name: VALUE` (a header, YAML,
// JSON), where a bare `key:` or `pass:` is too common to mean a secret.
enum class NameForm { assignment, colon };

// True when the value of option or parameter `name` is a secret. Leading dashes are
// ignored; the name is split into words at `-`, `_`, `.` and camelCase humps, and its
// LAST word decides: `--password-file` names a file (not secret), `--password-stdin` is
// a switch, `--tokenizer` and `--keep` are not `token` and `key`. `extra` are whole names
// from [settings] redact, compared without case and with `-` and `_` alike.
bool is_secret_name(std::string_view name, NameForm form, const std::vector<std::string>& extra);

// A program with its own password flags, e.g. mysql's `-pSECRET` (attached only: a
// separate `-p DB` prompts and DB is a database) or sshpass's `-p SECRET`.
enum class FlagValue { attached, attached_or_next, boolean };
struct ProgramFlag {
    std::string_view flag;  // "-p", "--password"
    FlagValue value;
    bool userinfo;  // the value is `user:password`: only what follows the first `:` is secret
};

struct ProgramFlags {
    std::vector<ProgramFlag> flags;
    // Its own options come first, then a command of its own (`sshpass -p X ssh -p 22`):
    // the first word that is not an option ends them.
    bool options_first = false;
};

// The flags of the program whose path or name is `word`, or nullptr when it has none.
const ProgramFlags* program_flags(std::string_view word);

}  // namespace leakaudit::redact_detail
