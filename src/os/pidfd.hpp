// pidfd system calls. glibc 2.36's <sys/pidfd.h> lacks C linkage for C++ callers, so
// the two calls go through syscall(2) directly.
#pragma once

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace leakaudit::os {

inline int pidfd_open(int pid) {
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0U));
}

inline int pidfd_send_signal(int pidfd, int sig) {
    return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0U));
}

}  // namespace leakaudit::os
