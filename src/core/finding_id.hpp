// Stable finding ids: the same leak gets the same id in every run, so CI can track it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"

namespace leakaudit {

// "process:6f1c2a9e": the kind and eight hex digits of a 64-bit FNV-1a hash of `parts`.
std::string make_finding_id(Kind kind, const std::vector<std::string>& parts);

// Same leak twice in one run (500 identical sleeps): the second and later copies get
// "#2", "#3"… in report order, so ids stay unique and still stable run to run.
void disambiguate_ids(std::vector<Finding>& findings);

}  // namespace leakaudit
