// Random identifiers: the run id (LEAKAUDIT_RUN_ID) handed to the harness.
#pragma once

#include <cstddef>
#include <string>

namespace leakaudit::os {

// `bytes` random bytes from getrandom(2), as 2 * bytes lowercase hex digits.
std::string random_hex(std::size_t bytes);

}  // namespace leakaudit::os
