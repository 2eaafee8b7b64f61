// The rule of README "Reports for CI": regular files are replaced atomically, streams
// are written in place, and nothing is replaced through a symbolic link.
#include "core/output_target.hpp"

namespace leakaudit {

WriteDecision decide_write(TargetKind kind) {
    switch (kind) {
        case TargetKind::missing:
        case TargetKind::regular:
            return {WriteMethod::replace, ""};
        case TargetKind::standard_output:
        case TargetKind::fifo:
        case TargetKind::char_device:
        case TargetKind::link_to_stream:
            return {WriteMethod::in_place, ""};
        case TargetKind::directory:
            return {WriteMethod::refuse, "it is a folder"};
        case TargetKind::other:
            return {WriteMethod::refuse, "it is not a regular file, a FIFO or a character device"};
        case TargetKind::link_to_other:
            return {WriteMethod::refuse,
                    "it is a symbolic link to a file (or to nothing): leakaudit does not replace files through "
                    "links; name the target itself"};
    }
    return {WriteMethod::refuse, "unknown target"};
}

}  // namespace leakaudit
