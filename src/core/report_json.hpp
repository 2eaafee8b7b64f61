// The JSON report ("leakaudit.report/1"): what CI archives. schema/report.schema.json
// describes it; the tests validate real reports against that schema.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/report.hpp"

namespace leakaudit {

inline constexpr const char* k_report_schema = "leakaudit.report/1";

nlohmann::ordered_json report_to_json(const Report& report);
nlohmann::ordered_json finding_to_json(const Finding& finding);
void write_report_json(const Report& report, std::ostream& out);

// "2026-11-25T20:34:33Z"; with milliseconds when `with_ms`.
std::string iso8601_utc(std::int64_t unix_ms, bool with_ms = false);

// Sets obj[key] to the bytes as UTF-8; when they are not valid UTF-8, the exact bytes
// go beside it as obj[key + "_base64"].
void put_bytes(nlohmann::ordered_json& obj, const std::string& key, const std::string& bytes);

}  // namespace leakaudit
