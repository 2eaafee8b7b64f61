// Where a report or snapshot goes (README "Reports for CI", man page FILES): what is at
// the path decides how it is written, so a device, a FIFO or another file behind a link
// is never replaced.
#pragma once

#include <string>

namespace leakaudit {

// What the path names, as lstat(2) and then stat(2) through a link see it.
enum class TargetKind {
    standard_output,  // "-"
    missing,
    regular,
    fifo,
    char_device,
    directory,
    other,           // a block device or a socket
    link_to_stream,  // a symbolic link to a FIFO or a character device (/dev/stdout)
    link_to_other,   // a symbolic link to a regular file, a folder, or nothing
};

enum class WriteMethod {
    replace,   // a temp file in the same folder, then rename(2): readers never see half a report
    in_place,  // opened and written as it is: a FIFO, a device, standard output
    refuse,    // exit 4 with the reason
};

struct WriteDecision {
    WriteMethod method;
    std::string reason;  // for refuse: why, for the message
};

// A link to a regular file is refused rather than followed: in a shared folder like /tmp
// a link planted by someone else would make leakaudit (often root) replace its target.
WriteDecision decide_write(TargetKind kind);

}  // namespace leakaudit
