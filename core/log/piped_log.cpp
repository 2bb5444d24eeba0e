#include "log/piped_log.h"

#include <cerrno>
#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <map>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "log/error_log.h"
#include "modhttpd/api.h"

namespace mh::log::piped {
namespace {

struct Logger {
    int read_fd = -1, write_fd = -1;
    pid_t pid = -1;
    std::time_t started = 0;  // monotonic seconds
    bool used = true;        // named by the running configuration
    bool next_used = false;  // named by the configuration being read
};
std::map<std::string, Logger> g_loggers;  // master only; by target
bool g_restarting = false;
std::vector<pid_t> g_ended;  // told to end, still to be reaped

void report(int level, int os_errno, const std::string &message) {
    ErrorLog::report("core", level, os_errno, message);
}

// "|cmd" and "|$cmd" run under /bin/sh -c; "||cmd" is split on spaces and
// run directly (Apache's APR_SHELLCMD_ENV vs APR_PROGRAM_ENV).
std::vector<std::string> argv_of(const std::string &target) {
    if (target.rfind("||", 0) == 0) {
        std::vector<std::string> args;
        std::string word;
        for (char c : target.substr(2)) {
            if (c == ' ' || c == '\t') {
                if (!word.empty()) args.push_back(word), word.clear();
            } else {
                word.push_back(c);
            }
        }
        if (!word.empty()) args.push_back(word);
        return args;
    }
    std::string cmd = target.substr(target.rfind("|$", 0) == 0 ? 2 : 1);
    return {"/bin/sh", "-c", cmd};
}

std::time_t now() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

void spawn(const std::string &target, Logger &l) {
    std::vector<std::string> args = argv_of(target);
    if (args.empty()) return;
    std::vector<char *> argv;
    for (std::string &a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = fork();
    if (pid < 0) {
        report(MH_LOG_ERR, errno, "AH00107: piped_log_maintenance: unable to respawn '" + target + "'");
        return;
    }
    if (pid == 0) {
        // Its own process group (a signal to the server's group spares it),
        // its stdin the pipe, stdout/stderr as the master's, nothing else.
        setpgid(0, 0);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGWINCH, SIGCHLD, SIGPIPE}) signal(sig, SIG_DFL);
        if (dup2(l.read_fd, STDIN_FILENO) < 0) _exit(127);
        closefrom(3);
        execv(argv[0], argv.data());
        _exit(127);
    }
    l.pid = pid;
    l.started = now();
}

void end(Logger &l) {
    if (l.pid > 0) kill(l.pid, SIGTERM), g_ended.push_back(l.pid);
    if (l.read_fd >= 0) close(l.read_fd);
    if (l.write_fd >= 0) close(l.write_fd);
    l = Logger{};
}

}  // namespace

bool is_pipe(const std::string &target) { return !target.empty() && target[0] == '|'; }

int writer_for(const std::string &target) {
    auto it = g_loggers.find(target);
    if (it == g_loggers.end()) {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0) return -1;
        Logger l;
        l.read_fd = fds[0];
        l.write_fd = fds[1];
        l.used = !g_restarting;
        it = g_loggers.emplace(target, l).first;
    }
    it->second.next_used = true;
    return it->second.write_fd;
}

void begin() {
    g_restarting = true;
    for (auto &[target, l] : g_loggers) l.next_used = false;
}

void commit() {
    g_restarting = false;
    for (auto it = g_loggers.begin(); it != g_loggers.end();) {
        if (it->second.next_used) {
            it->second.used = true;
            ++it;
        } else {
            end(it->second);
            it = g_loggers.erase(it);
        }
    }
}

void rollback() {
    g_restarting = false;
    for (auto it = g_loggers.begin(); it != g_loggers.end();) {
        if (it->second.used) {
            ++it;
        } else {
            end(it->second);
            it = g_loggers.erase(it);
        }
    }
}

void start_all() {
    for (auto &[target, l] : g_loggers)
        if (l.pid <= 0) spawn(target, l);
}

void forget_in_child() {
    for (auto &[target, l] : g_loggers) {
        close(l.read_fd);
        close(l.write_fd);
    }
    g_loggers.clear();
    g_ended.clear();
}

bool reap(bool stopping) {
    bool later = false;
    for (auto it = g_ended.begin(); it != g_ended.end();) {
        int status;
        if (waitpid(*it, &status, WNOHANG) == *it) it = g_ended.erase(it);
        else ++it;
    }
    for (auto &[target, l] : g_loggers) {
        if (l.pid <= 0) continue;
        int status;
        if (waitpid(l.pid, &status, WNOHANG) != l.pid) continue;
        l.pid = -1;
        if (stopping) continue;
        report(MH_LOG_WARNING, 0, "AH00106: piped log program '" + target.substr(target.find_first_not_of("|$")) +
                                      "' failed unexpectedly");
        // One that cannot run (a typo) would otherwise be forked in a loop.
        if (now() - l.started < 1) later = true;
        else spawn(target, l);
    }
    return later;
}

}  // namespace mh::log::piped
