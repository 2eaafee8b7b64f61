// bench_load: builds a realistic load for bench/run.sh — N processes holding about
// FDS descriptors each (pipes, eventfds, socketpairs, TCP listeners, files) and a
// folder of ENTRIES files in nested folders. It stays in the foreground holding the
// load; SIGTERM/SIGINT (or its own death, via PR_SET_PDEATHSIG) ends every child.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Options {
    int procs = 1000;
    int fds = 50;
    int entries = 20000;
    std::string dir;
    std::string ready_file;
};

void open_tcp_listener() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) ::listen(fd, 1);
}

// A mix like a real service: 8 descriptors per round, TCP listeners in the first two.
void open_descriptors(int count, const std::string& dir) {
    int opened = 0;
    for (int round = 0; opened < count; ++round) {
        int p[2];
        if (::pipe(p) == 0) opened += 2;
        if (::eventfd(0, 0) >= 0) opened += 1;
        if (::socketpair(AF_UNIX, SOCK_STREAM, 0, p) == 0) opened += 2;
        if (::open("/dev/null", O_RDONLY) >= 0) opened += 1;
        if (::open(dir.c_str(), O_RDONLY | O_DIRECTORY) >= 0) opened += 1;
        if (round < 2)
            open_tcp_listener();
        else
            ::open("/dev/null", O_RDONLY);
        opened += 1;
    }
}

[[noreturn]] void child_main(int fds, const std::string& dir, int ready_write) {
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // the load never outlives its generator
    if (::getppid() == 1) ::_exit(0);
    open_descriptors(fds, dir);
    char one = 1;
    if (::write(ready_write, &one, 1) != 1) ::_exit(1);
    for (;;)
        ::pause();
}

void make_entries(const std::string& dir, int entries) {
    constexpr int k_per_folder = 100;
    for (int i = 0; i < entries; ++i) {
        std::string folder = dir + "/d" + std::to_string(i / k_per_folder);
        if (i % k_per_folder == 0) ::mkdir(folder.c_str(), 0755);
        int fd = ::open((folder + "/f" + std::to_string(i)).c_str(), O_WRONLY | O_CREAT, 0644);
        if (fd >= 0 && ::write(fd, "load\n", 5) < 0) std::perror("write");
        if (fd >= 0) ::close(fd);
    }
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string key = argv[i];
        if (key == "--procs")
            o.procs = std::atoi(argv[i + 1]);
        else if (key == "--fds")
            o.fds = std::atoi(argv[i + 1]);
        else if (key == "--entries")
            o.entries = std::atoi(argv[i + 1]);
        else if (key == "--dir")
            o.dir = argv[i + 1];
        else if (key == "--ready-file")
            o.ready_file = argv[i + 1];
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    Options o = parse(argc, argv);
    if (o.dir.empty()) {
        std::fprintf(stderr, "usage: bench_load --dir DIR [--procs N] [--fds N] [--entries N] [--ready-file F]\n");
        return 2;
    }
    // Blocked, then sigwait'ed: a stop request during setup is kept, never lost.
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    ::sigprocmask(SIG_BLOCK, &stop, nullptr);
    make_entries(o.dir, o.entries);
    int ready[2];
    if (::pipe(ready) != 0) return 1;
    std::vector<pid_t> children;
    for (int i = 0; i < o.procs; ++i) {
        pid_t pid = ::fork();
        if (pid == 0) child_main(o.fds, o.dir, ready[1]);
        if (pid > 0) children.push_back(pid);
    }
    ::close(ready[1]);
    char one;
    for (std::size_t i = 0; i < children.size(); ++i)
        if (::read(ready[0], &one, 1) != 1) break;
    if (!o.ready_file.empty()) {
        FILE* f = std::fopen(o.ready_file.c_str(), "w");
        for (pid_t pid : children)
            std::fprintf(f, "%d\n", pid);
        std::fclose(f);
    }
    std::fprintf(stderr, "bench_load: %zu processes ready\n", children.size());
    int sig = 0;
    ::sigwait(&stop, &sig);
    for (pid_t pid : children)
        ::kill(pid, SIGKILL);  // only the pids we started
    for (pid_t pid : children)
        ::waitpid(pid, nullptr, 0);
    return 0;
}
