// The typed look-ups that turn one JSON value of a snapshot (a process, a socket, a temp
// entry, the root's fields) into the model, with the first missing or mistyped field as
// an error naming its place. Shared by the streaming reader (snapshot_json_read.cpp),
// which hands them one list element at a time, never the whole document.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/snapshot.hpp"
#include "core/snapshot_json.hpp"

namespace leakaudit::snapshot_fields {

using json = nlohmann::ordered_json;

// Thrown by the converters below; the reader turns it into the Error of its Result.
struct FieldError {
    std::string message;
};

Process process_from(const json& j, const std::string& where);
Socket socket_from(const json& j, const std::string& where);
TmpEntry entry_from(const json& j, const std::string& where);

// The root's own fields (schema, boot_id, host, redacted, taken_at_ms, watched), in the
// order their errors are reported; the lists are read elsewhere.
void read_root_fields(const json& root, SnapshotRead& result);
// Throws when root[key] is missing or not an array.
void require_list(const json& root, const char* key);

}  // namespace leakaudit::snapshot_fields
