// Redaction applied once, to a finished Report or Snapshot, after every id is computed
// and before any writer sees it: the text, JSON, JUnit, annotation and suggestion
// writers (and the snapshot writer) then need no redaction of their own.
#pragma once

#include "core/redact.hpp"
#include "core/report.hpp"
#include "core/snapshot.hpp"

namespace leakaudit {

// Every string of the report that may hold a command line, a path or a harness's own
// words: the command, messages, processes, held resources, handles, warnings.
void redact_report(Report& report, const Redactor& redactor);

// Command lines, executables, descriptor targets, socket paths and temp entries.
void redact_snapshot(Snapshot& snapshot, const Redactor& redactor);
// One process's part of that: `snapshot` redacts each process as it streams it.
void redact_process(Process& process, const Redactor& redactor);
// One socket's and one temp entry's part, for the same reason.
void redact_socket(Socket& socket, const Redactor& redactor);
void redact_tmp(TmpEntry& entry, const Redactor& redactor);

}  // namespace leakaudit
