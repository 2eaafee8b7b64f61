// Never blocks: the request is one small write and a rename, the answers are read with
// O_NONBLOCK and without following links, in a folder that is leakaudit's (mode 0700).
#include "os/kit_summary.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "os/unique_fd.hpp"

namespace leakaudit::os {

bool request_kit_summary(const std::string& dir) {
    std::string temp = dir + "/.summary-request.tmp";
    std::string target = dir + "/summary-request";
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd) return false;
    static constexpr char k_body[] = "summary\n";
    bool written = ::write(fd.get(), k_body, sizeof k_body - 1) == static_cast<ssize_t>(sizeof k_body - 1);
    fd.reset();
    if (!written || std::rename(temp.c_str(), target.c_str()) != 0) {
        ::unlink(temp.c_str());
        return false;
    }
    return true;
}

std::vector<std::string> read_kit_summaries(const std::string& dir, const std::vector<int>& pids, std::size_t limit) {
    std::vector<std::string> out;
    for (int pid : pids) {
        std::string path = dir + "/" + std::to_string(pid) + ".summary";
        UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
        struct stat st {};
        if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid()) continue;
        if (st.st_size < 0 || static_cast<std::size_t>(st.st_size) > limit) continue;
        std::string text(static_cast<std::size_t>(st.st_size), '\0');
        std::size_t got = 0;
        while (got < text.size()) {
            ssize_t n = ::read(fd.get(), text.data() + got, text.size() - got);
            if (n <= 0) break;
            got += static_cast<std::size_t>(n);
        }
        text.resize(got);
        out.push_back(std::move(text));
    }
    return out;
}

}  // namespace leakaudit::os
