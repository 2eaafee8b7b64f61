// read_descriptors against this process's and a child's real descriptors.
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "os/descriptors.hpp"
#include "os_test_support.hpp"

using namespace leakaudit;
using leakaudit::os::FdFlags;
using leakaudit::os::UniqueFd;

namespace {

const Descriptor* find_fd(const std::vector<Descriptor>& fds, int fd) {
    auto it = std::find_if(fds.begin(), fds.end(), [&](const Descriptor& d) { return d.fd == fd; });
    return it == fds.end() ? nullptr : &*it;
}

std::uint64_t inode_of(int fd) {
    struct stat st {};
    ::fstat(fd, &st);
    return st.st_ino;
}

std::vector<Descriptor> read_self(FdFlags flags = FdFlags::skip) {
    UniqueFd proc = os::open_proc_root();
    REQUIRE(proc);
    std::optional<std::vector<Descriptor>> fds = os::read_descriptors(proc.get(), ::getpid(), flags);
    REQUIRE(fds);
    return *fds;
}

}  // namespace

TEST_CASE("classify_fd_link recognises the kernel's link shapes", "[os][descriptors]") {
    CHECK(os::classify_fd_link(3, "socket:[123]").type == FdType::socket);
    CHECK(os::classify_fd_link(3, "socket:[123]").inode == 123);
    CHECK(os::classify_fd_link(4, "pipe:[99]").type == FdType::pipe);
    CHECK(os::classify_fd_link(5, "anon_inode:[eventfd]").anon_kind == "eventfd");
    CHECK(os::classify_fd_link(5, "anon_inode:inotify").anon_kind == "inotify");
    CHECK(os::classify_fd_link(5, "anon_inode:[eventpoll]").type == FdType::anon_inode);
    CHECK(os::classify_fd_link(6, "/memfd:cache (deleted)").type == FdType::memfd);
    CHECK(os::classify_fd_link(7, "/dev/null").type == FdType::device);
    CHECK(os::classify_fd_link(7, "/dev/shm/x").type == FdType::file);
    Descriptor ns = os::classify_fd_link(8, "net:[4026531840]");
    CHECK(ns.type == FdType::other);
    CHECK(ns.inode == 4026531840u);
    CHECK(os::classify_fd_link(9, std::string("/tmp/new\nline\xff", 15)).target.size() == 15);
}

TEST_CASE("parse_fdinfo_flags reads the octal flags line", "[os][descriptors]") {
    CHECK(os::parse_fdinfo_flags("pos:\t0\nflags:\t02004002\nmnt_id:\t15\n") == 02004002u);
    CHECK_FALSE(os::parse_fdinfo_flags("pos:\t0\n"));
}

TEST_CASE("read_descriptors sees this process's pipes, anon inodes, memfds and files", "[os][descriptors]") {
    test::TempDir dir;
    int pipe_fds[2];
    REQUIRE(::pipe2(pipe_fds, O_CLOEXEC) == 0);
    UniqueFd pipe_read(pipe_fds[0]), pipe_write(pipe_fds[1]);
    UniqueFd event(::eventfd(0, EFD_CLOEXEC));
    UniqueFd epoll(::epoll_create1(EPOLL_CLOEXEC));
    UniqueFd inotify(::inotify_init1(IN_CLOEXEC));
    UniqueFd timer(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
    UniqueFd memfd(::memfd_create("leakaudit-test", MFD_CLOEXEC));
    REQUIRE(test::write_file(dir / "file", 3));
    UniqueFd file(::open((dir / "file").c_str(), O_RDONLY | O_CLOEXEC));
    UniqueFd folder(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    UniqueFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    UniqueFd sock(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));

    std::vector<Descriptor> fds = read_self();

    const Descriptor* d = find_fd(fds, pipe_read.get());
    REQUIRE(d);
    CHECK(d->type == FdType::pipe);
    CHECK(d->inode == inode_of(pipe_read.get()));
    CHECK(find_fd(fds, event.get())->anon_kind == "eventfd");
    CHECK(find_fd(fds, epoll.get())->anon_kind == "eventpoll");
    CHECK(find_fd(fds, inotify.get())->anon_kind == "inotify");
    CHECK(find_fd(fds, timer.get())->anon_kind == "timerfd");
    CHECK(find_fd(fds, memfd.get())->type == FdType::memfd);
    CHECK(find_fd(fds, memfd.get())->target.find("leakaudit-test") != std::string::npos);
    CHECK(find_fd(fds, file.get())->type == FdType::file);
    CHECK(find_fd(fds, file.get())->target == dir / "file");
    CHECK(find_fd(fds, file.get())->inode == inode_of(file.get()));
    CHECK(find_fd(fds, folder.get())->type == FdType::dir);
    CHECK(find_fd(fds, null.get())->type == FdType::device);
    CHECK(find_fd(fds, sock.get())->type == FdType::socket);
    CHECK(find_fd(fds, sock.get())->inode == inode_of(sock.get()));
    CHECK(std::is_sorted(fds.begin(), fds.end(), [](auto& a, auto& b) { return a.fd < b.fd; }));
}

TEST_CASE("read_descriptors reads open flags only when asked", "[os][descriptors]") {
    test::TempDir dir;
    UniqueFd file(::open((dir / "log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    REQUIRE(file);
    CHECK(find_fd(read_self(FdFlags::read), file.get())->flags & O_APPEND);
    CHECK(find_fd(read_self(FdFlags::skip), file.get())->flags == 0);
}

TEST_CASE("read_descriptors reads another process and treats a vanished one as nullopt", "[os][descriptors]") {
    test::HeldChild<int> child([] { return ::eventfd(0, 0); });
    int child_fd = child.value();
    UniqueFd proc = os::open_proc_root();
    std::optional<std::vector<Descriptor>> fds = os::read_descriptors(proc.get(), child.pid());
    child.release();
    REQUIRE(fds);
    REQUIRE(find_fd(*fds, child_fd));
    CHECK(find_fd(*fds, child_fd)->anon_kind == "eventfd");
    CHECK_FALSE(os::read_descriptors(proc.get(), child.pid()));  // reaped: gone
}
