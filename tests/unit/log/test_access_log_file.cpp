// AccessLogFile: whole lines from many writers, and a full disk.
#include <doctest/doctest.h>

#include <cerrno>
#include <fcntl.h>
#include <initializer_list>
#include <csignal>
#include <set>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "log/access_log.h"
#include "log/error_log.h"
#include "support.h"

using mh::log::AccessLogFile;
using mh::log::ErrorLog;

TEST_CASE("AccessLogFile: lines are appended with a newline") {
    mh::test::TempDir dir;
    std::string path = dir.file("access_log");
    mode_t old_mask = umask(022);
    auto log = AccessLogFile::open(path);
    umask(old_mask);
    REQUIRE(log);
    CHECK(log->path() == path);
    CHECK(log->fd() >= 0);
    CHECK((fcntl(log->fd(), F_GETFD) & FD_CLOEXEC) != 0);

    std::string line = "first line";
    log->write_line(line);
    CHECK(line == "first line");  // the caller's buffer is left as it was
    line = "second line";
    log->write_line(line);
    CHECK(mh::test::read_file(path) == "first line\nsecond line\n");

    struct stat st{};
    REQUIRE(stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);

    // Appends to what is there, as O_APPEND.
    log.reset();
    auto again = AccessLogFile::open(path);
    REQUIRE(again);
    line = "third";
    again->write_line(line);
    CHECK(mh::test::read_file(path) == "first line\nsecond line\nthird\n");
}

TEST_CASE("AccessLogFile: open failure sets errno") {
    mh::test::TempDir dir;
    errno = 0;
    CHECK(AccessLogFile::open(dir.file("missing/dir/access_log")) == nullptr);
    CHECK(errno == ENOENT);
}

TEST_CASE("AccessLogFile: processes and threads never mix lines") {
    constexpr int kProcesses = 4, kThreads = 2, kLines = 2000;
    mh::test::TempDir dir;
    std::string path = dir.file("access_log");
    auto log = AccessLogFile::open(path);  // shared by forks, as under prefork
    REQUIRE(log);

    std::vector<pid_t> children;
    for (int p = 0; p < kProcesses; ++p) {
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            std::vector<std::thread> threads;
            for (int t = 0; t < kThreads; ++t) {
                threads.emplace_back([&log, p, t] {
                    std::string line;
                    for (int n = 0; n < kLines; ++n) {
                        line = "p" + std::to_string(p) + " t" + std::to_string(t) + " n" +
                               std::to_string(n) + " ";
                        line.append(150 + n % 300, static_cast<char>('a' + (p * kThreads + t)));
                        line += " end";
                        log->write_line(line);
                    }
                });
            }
            for (auto &th : threads) th.join();
            _exit(0);
        }
        children.push_back(pid);
    }
    for (pid_t pid : children) {
        int status = 0;
        REQUIRE(waitpid(pid, &status, 0) == pid);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }

    auto lines = mh::test::read_lines(path);
    CHECK(lines.size() == static_cast<std::size_t>(kProcesses * kThreads * kLines));
    std::set<std::tuple<int, int, int>> seen;
    int broken = 0;
    for (const std::string &line : lines) {
        int p = -1, t = -1, n = -1, used = 0;
        if (std::sscanf(line.c_str(), "p%d t%d n%d %n", &p, &t, &n, &used) != 3 || p < 0 ||
            p >= kProcesses || t < 0 || t >= kThreads || n < 0 || n >= kLines) {
            ++broken;
            continue;
        }
        std::string expected(150 + n % 300, static_cast<char>('a' + (p * kThreads + t)));
        expected += " end";
        if (line.compare(static_cast<std::size_t>(used), std::string::npos, expected) != 0) {
            ++broken;
            continue;
        }
        seen.insert({p, t, n});
    }
    CHECK(broken == 0);
    CHECK(seen.size() == static_cast<std::size_t>(kProcesses * kThreads * kLines));
}

TEST_CASE("AccessLogFile: a full disk is reported once, and recovery too") {
    mh::test::TempDir dir;
    std::string error_log = dir.file("error_log");
    REQUIRE(ErrorLog::open(error_log) == 0);

    auto log = AccessLogFile::open("/dev/full");  // every write fails with ENOSPC
    REQUIRE(log);
    for (int i = 0; i < 3; ++i) {
        std::string line = "dropped " + std::to_string(i);
        log->write_line(line);
        CHECK(line == "dropped " + std::to_string(i));
    }
    auto errors = mh::test::read_lines(error_log);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("] [log_config:error] [pid ") != std::string::npos);
    CHECK(errors[0].find("] (28)No space left on device: could not write to access log /dev/full; "
                         "dropping lines until it recovers") != std::string::npos);

    // The disk gets space again: the next line is written, and that is said once.
    std::string good = dir.file("recovered");
    int fd = ::open(good.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0640);
    REQUIRE(fd >= 0);
    REQUIRE(dup2(fd, log->fd()) == log->fd());
    ::close(fd);
    std::string line = "written again";
    log->write_line(line);
    line = "and again";
    log->write_line(line);
    CHECK(mh::test::read_file(good) == "written again\nand again\n");
    errors = mh::test::read_lines(error_log);
    REQUIRE(errors.size() == 2);
    CHECK(errors[1].find("] [log_config:notice] [pid ") != std::string::npos);
    CHECK(errors[1].find("access log /dev/full is writable again; 3 lines were dropped") !=
          std::string::npos);

    // A new failure is a new episode, reported once more.
    fd = ::open("/dev/full", O_WRONLY);
    REQUIRE(fd >= 0);
    REQUIRE(dup2(fd, log->fd()) == log->fd());
    ::close(fd);
    for (int i = 0; i < 5; ++i) log->write_line(line);
    errors = mh::test::read_lines(error_log);
    REQUIRE(errors.size() == 3);
    CHECK(errors[2].find("(28)No space left on device: could not write") != std::string::npos);

    ErrorLog::use_stderr();
}

// A write cut short (the disk filled up in the middle of a line) must not
// leave half a line for the next one to be glued to. RLIMIT_FSIZE gives a
// short write the same way a full disk does.
// Writes `lines` while the file size limit is `limit` bytes: a disk that
// fills up at that size (EFBIG instead of ENOSPC, same path in the writer).
static void write_with_size_limit(AccessLogFile &log, rlim_t limit, std::initializer_list<const char *> lines) {
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    rlimit old_limit{};
    REQUIRE(getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
    rlimit small = old_limit;
    small.rlim_cur = limit;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
    for (const char *text : lines) {
        std::string line = text;
        log.write_line(line);
    }
    REQUIRE(setrlimit(RLIMIT_FSIZE, &old_limit) == 0);
    signal(SIGXFSZ, old_handler);
}

TEST_CASE("AccessLogFile: a line cut short by a full disk is taken back") {
    mh::test::TempDir dir;
    // (RLIMIT_FSIZE would cut the error log's lines too: not a file here.)
    REQUIRE(ErrorLog::open("/dev/null") == 0);
    std::string path = dir.file("access_log");
    auto log = AccessLogFile::open(path);
    REQUIRE(log);
    std::string line = "first line";
    log->write_line(line);

    // "first line\n" and 10 bytes of the next: cut short, then EFBIG.
    write_with_size_limit(*log, 11 + 10, {"cut short after ten bytes", "dropped: cut short as well"});
    line = "after";
    log->write_line(line);
    CHECK(line == "after");
    CHECK(mh::test::read_file(path) == "first line\nafter\n");

    // Without read access the cut cannot be checked, so it stays, and the
    // next line starts on a line of its own.
    int wronly = ::open(path.c_str(), O_WRONLY | O_APPEND);
    REQUIRE(wronly >= 0);
    REQUIRE(dup2(wronly, log->fd()) == log->fd());
    ::close(wronly);
    write_with_size_limit(*log, 17 + 4, {"torn line", "dropped too"});
    line = "whole";
    log->write_line(line);
    CHECK(line == "whole");
    CHECK(mh::test::read_file(path) == "first line\nafter\ntorn\nwhole\n");

    ErrorLog::use_stderr();
}
