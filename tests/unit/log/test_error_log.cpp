// ErrorLog: Apache 2.4's default line format, levels, and the shared file.
#include <doctest/doctest.h>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log/error_log.h"
#include "modhttpd/api.h"
#include "support.h"

using mh::log::ErrorLine;
using mh::log::ErrorLog;
using mh::log::format_error_line;
using mh::test::kFriday;
using mh::test::TzGuard;

namespace {

ErrorLine make_line(int level, std::string_view module, int os_errno, std::string_view client,
                    std::string_view message) {
    ErrorLine line;
    line.level = level;
    line.module = module;
    line.os_errno = os_errno;
    line.client = client;
    line.message = message;
    return line;
}

}  // namespace

TEST_CASE("error line: every part, threaded") {
    TzGuard tz("UTC");
    timespec now{kFriday, 123456789};
    CHECK(format_error_line(make_line(MH_LOG_ERR, "core", ENOENT, "1.2.3.4:5", "message"), now, 42, 7) ==
          "[Fri Nov 27 16:21:25.123456 2026] [core:error] [pid 42:tid 7] (2)No such file or "
          "directory: [client 1.2.3.4:5] message\n");
}

TEST_CASE("error line: no tid, no errno, no client") {
    TzGuard tz("UTC");
    timespec now{kFriday, 123456000};
    CHECK(format_error_line(make_line(MH_LOG_NOTICE, "mpm_prefork", 0, "",
                                      "AH00169: caught SIGTERM, shutting down"),
                            now, 42, 0) ==
          "[Fri Nov 27 16:21:25.123456 2026] [mpm_prefork:notice] [pid 42] AH00169: caught SIGTERM, "
          "shutting down\n");
    CHECK(format_error_line(make_line(MH_LOG_WARNING, "core", EACCES, "", "x"), now, 1, 0) ==
          "[Fri Nov 27 16:21:25.123456 2026] [core:warn] [pid 1] (13)Permission denied: x\n");
    CHECK(format_error_line(make_line(MH_LOG_INFO, "static", 0, "[::1]:80", "y"), now, 1, 9) ==
          "[Fri Nov 27 16:21:25.123456 2026] [static:info] [pid 1:tid 9] [client [::1]:80] y\n");
}

TEST_CASE("error line: zero-padded day and microseconds, local time") {
    timespec now{1772690462, 1000};  // 2026-03-05 06:01:02.000001 UTC, a Thursday
    {
        TzGuard tz("UTC");
        CHECK(format_error_line(make_line(MH_LOG_DEBUG, "core", 0, "", "m"), now, 5, 0) ==
              "[Thu Mar 05 06:01:02.000001 2026] [core:debug] [pid 5] m\n");
    }
    {
        TzGuard tz("IST-5:30");  // UTC+05:30
        CHECK(format_error_line(make_line(MH_LOG_DEBUG, "core", 0, "", "m"), now, 5, 0) ==
              "[Thu Mar 05 11:31:02.000001 2026] [core:debug] [pid 5] m\n");
    }
    {
        TzGuard tz("EST5");  // UTC-5
        CHECK(format_error_line(make_line(MH_LOG_DEBUG, "core", 0, "", "m"), now, 5, 0) ==
              "[Thu Mar 05 01:01:02.000001 2026] [core:debug] [pid 5] m\n");
        timespec early{1772690462 - 7 * 3600, 0};
        CHECK(format_error_line(make_line(MH_LOG_DEBUG, "core", 0, "", "m"), early, 5, 0) ==
              "[Wed Mar 04 18:01:02.000000 2026] [core:debug] [pid 5] m\n");
    }
}

TEST_CASE("error line: the message cannot break the line, quotes stay") {
    TzGuard tz("UTC");
    timespec now{kFriday, 0};
    std::string line = format_error_line(
        make_line(MH_LOG_ERR, "core", 0, "", "a\nb\"c\\d\te\x01\x7f"), now, 1, 0);
    CHECK(line == "[Fri Nov 27 16:21:25.000000 2026] [core:error] [pid 1] a\\nb\"c\\\\d\\te\\x01\\x7f\n");
}

TEST_CASE("levels: names and parsing") {
    const char *names[] = {"emerg",  "alert",  "crit",   "error",  "warn",   "notice",
                           "info",   "debug",  "trace1", "trace2", "trace3", "trace4",
                           "trace5", "trace6", "trace7", "trace8"};
    for (int i = 0; i < 16; ++i) {
        CHECK(std::string(mh::log::level_name(i)) == names[i]);
        CHECK(mh::log::parse_level(names[i]) == i);
    }
    CHECK(mh::log::parse_level("error") == MH_LOG_ERR);
    CHECK(mh::log::parse_level("warn") == MH_LOG_WARNING);
    CHECK(mh::log::parse_level("trace8") == MH_LOG_TRACE8);
    CHECK(mh::log::parse_level("ERROR") == MH_LOG_ERR);  // Apache: strcasecmp
    CHECK(mh::log::parse_level("warning") == -1);
    CHECK(mh::log::parse_level("trace9") == -1);
    CHECK(mh::log::parse_level("") == -1);
    CHECK(mh::log::parse_level("err") == -1);
}

TEST_CASE("ErrorLog: open, write, reopen on the same fd, back to stderr") {
    mh::test::TempDir dir;
    mode_t old_mask = umask(022);
    REQUIRE(ErrorLog::open(dir.file("error_log")) == 0);
    umask(old_mask);
    int fd = ErrorLog::fd();
    CHECK(fd != STDERR_FILENO);

    struct stat st{};
    REQUIRE(stat(dir.file("error_log").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);

    ErrorLog::set_threaded(false);
    ErrorLog::write(make_line(MH_LOG_WARNING, "test", 0, "", "first"));
    ErrorLog::set_threaded(true);
    ErrorLog::write(make_line(MH_LOG_ERR, "test", ENOENT, "10.0.0.1:99", "second"));
    ErrorLog::set_threaded(false);

    auto lines = mh::test::read_lines(dir.file("error_log"));
    REQUIRE(lines.size() == 2);
    std::string pid = std::to_string(getpid());
    CHECK(lines[0].front() == '[');
    CHECK(lines[0].find("] [test:warn] [pid " + pid + "] first") != std::string::npos);
    CHECK(lines[1].find("] [test:error] [pid " + pid + ":tid " + std::to_string(gettid()) +
                        "] (2)No such file or directory: [client 10.0.0.1:99] second") !=
          std::string::npos);

    // A reopen keeps the descriptor number: racing writers never hit a reused fd.
    REQUIRE(ErrorLog::open(dir.file("error_log.2")) == 0);
    CHECK(ErrorLog::fd() == fd);
    ErrorLog::write(make_line(MH_LOG_INFO, "test", 0, "", "third"));
    CHECK(mh::test::read_lines(dir.file("error_log")).size() == 2);
    auto lines2 = mh::test::read_lines(dir.file("error_log.2"));
    REQUIRE(lines2.size() == 1);
    CHECK(lines2[0].find("[test:info]") != std::string::npos);

    // A failed open reports errno and keeps the current file.
    CHECK(ErrorLog::open(dir.file("no/such/dir/log")) == ENOENT);
    CHECK(ErrorLog::fd() == fd);

    ErrorLog::use_stderr();
    CHECK(ErrorLog::fd() == STDERR_FILENO);
    CHECK(fcntl(fd, F_GETFD) != -1);  // still a valid number (now a copy of stderr)
}
