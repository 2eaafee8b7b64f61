// Whether a rules file found by itself (./leakaudit.toml) may be trusted: it can ignore
// every leak, so one another user could have written is refused (README, "Rules").
#pragma once

#include <cstdint>
#include <string>

namespace leakaudit {

struct FileFacts {
    std::uint32_t uid = 0;   // owner
    std::uint32_t mode = 0;  // permission bits (st_mode & 07777)
};

enum class FileTrust { trusted, foreign_owner, writable_by_others };

// Trusted when owned by the invoking user or root and writable by neither group nor others.
FileTrust judge_rules_file(const FileFacts& file, std::uint32_t invoking_uid);

// Why a file is refused, for the error message; "" when trusted.
std::string explain(FileTrust trust, const FileFacts& file, std::uint32_t invoking_uid);

}  // namespace leakaudit
