// One temp entry as a snapshot list element, written straight into a text buffer: the
// text nlohmann's dump(1) gives for the same element (snapshot_element_json), without a
// JSON value built per entry (a snapshot writes one element per entry of /tmp).
#pragma once

#include <string>

#include "core/snapshot.hpp"

namespace leakaudit {

// Appends `entry` as snapshot_element_json renders it, indented as standing `depth`
// levels deep (2: an element of a list of the snapshot's root object).
void append_tmp_entry_json(std::string& out, const TmpEntry& entry, int depth = 2);

}  // namespace leakaudit
