#include "core/file_trust.hpp"

#include <cstdio>

namespace leakaudit {

namespace {
constexpr std::uint32_t k_group_write = 0020;
constexpr std::uint32_t k_other_write = 0002;
}  // namespace

FileTrust judge_rules_file(const FileFacts& file, std::uint32_t invoking_uid) {
    if (file.uid != 0 && file.uid != invoking_uid) return FileTrust::foreign_owner;
    if (file.mode & (k_group_write | k_other_write)) return FileTrust::writable_by_others;
    return FileTrust::trusted;
}

std::string explain(FileTrust trust, const FileFacts& file, std::uint32_t invoking_uid) {
    switch (trust) {
        case FileTrust::trusted:
            return "";
        case FileTrust::foreign_owner:
            return "is owned by uid " + std::to_string(file.uid) + ", neither you (uid " +
                   std::to_string(invoking_uid) + ") nor root";
        case FileTrust::writable_by_others: {
            char mode[8];
            std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(file.mode & 07777));
            return std::string("is writable by ") + ((file.mode & k_other_write) ? "others" : "its group") + " (mode " +
                   mode + ")";
        }
    }
    return "";
}

}  // namespace leakaudit
