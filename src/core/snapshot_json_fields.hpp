// The typed look-ups that turn one JSON value of a snapshot (a process, a socket, a temp
// entry, the root's fields) into the model, with the first missing or mistyped field as
// an error naming its place. Shared by the streaming reader (snapshot_json_read.cpp),
// which hands them one list element at a time, never the whole document.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/snapshot.hpp"
#include "core/snapshot_json.hpp"

namespace leakaudit::snapshot_fields {

using json = nlohmann::ordered_json;

inline constexpr std::uint64_t k_max_pid = 4'194'304;                // PID_MAX_LIMIT on 64-bit Linux
inline constexpr std::uint64_t k_max_time_ms = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z
inline constexpr std::uint64_t k_max_port = 65'535;

// Thrown by the converters below; the reader turns it into the Error of its Result.
struct FieldError {
    std::string message;
};

// The pieces the fast reader (core/snapshot_json_fast.cpp) shares, so both read alike:
// `<field>_base64` text to bytes (other characters skipped), and the type names.
std::string base64_decode(const std::string& text);
FdType fd_type_of(const std::string& name);
// A process's state letter from its snapshot text: its first byte when that is ASCII, '?'
// otherwise (empty, or the lead byte of a longer character, which alone would be invalid
// UTF-8 when the model is written again).
char state_letter(const std::string& text);
EntryType entry_type_of(const std::string& name);
// The schema check of read_root_fields, on the schema's text.
bool schema_readable(const std::string& name);

Process process_from(const json& j, const std::string& where);
Socket socket_from(const json& j, const std::string& where);
TmpEntry entry_from(const json& j, const std::string& where);

// The root's own fields (schema, boot_id, host, redacted, taken_at_ms, watched), in the
// order their errors are reported; the lists are read elsewhere.
void read_root_fields(const json& root, SnapshotRead& result);
// Throws when root[key] is missing or not an array.
void require_list(const json& root, const char* key);

}  // namespace leakaudit::snapshot_fields
