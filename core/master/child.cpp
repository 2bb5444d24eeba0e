#include "master/child.h"

#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <cstdlib>

#include "log/error_log.h"
#include "log/piped_log.h"
#include "logging.h"
#include "master/runtime.h"
#include "server.h"

namespace mh::child {

namespace {

// A module that calls exit() in a child would run the process's atexit
// handlers and static destructors, the master's copies included (the module
// registry unloads every shared object), while other threads still serve
// requests inside those objects: a worker child then died of SIGSEGV instead
// of exiting. Registered after fork, this runs before any of them (they run
// last registered first) and ends the child with the module's status.
void on_exit_in_child(int status, void *)
{
    log::server_error("core", MH_LOG_INFO, 0, "exit(%d) called in child %ld: it ends now", status, long(getpid()));
    _exit(status);
}

}  // namespace

void after_fork()
{
    on_exit(on_exit_in_child, nullptr);
    // The master's libuv loop must not be touched here: its descriptors
    // would still be shared with the master. Close them, and put back the
    // default handlers libuv replaced, so that a signal to this child is
    // not forwarded into the master's signal pipe.
    uv_loop_t *loop = runtime::loop();
    int fds[] = {uv_backend_fd(loop), loop->signal_pipefd[0], loop->signal_pipefd[1],
                 loop->async_io_watcher.fd, loop->async_wfd};
    for (int fd : fds)
        if (fd > 2) close(fd);
    log::piped::forget_in_child();  // children write to loggers, never start or hold them
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGWINCH, SIGCHLD}) signal(sig, SIG_DFL);
    signal(SIGPIPE, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    // Under a threaded MPM, error log lines say which thread wrote them.
    mh_server *s = runtime::current();
    log::ErrorLog::set_threaded(s && s->mpm && s->mpm->desc->mpm->threaded);
}

int drop_privileges()
{
    mh_server *s = runtime::current();
    if (geteuid() != 0 || s == nullptr) return 0;  // only root can, and needs to
    const std::string &user = s->core.user, &group = s->core.group;
    if (user.empty() && group.empty()) return 0;

    gid_t gid = getegid();
    if (!group.empty()) {
        if (group[0] == '#') {
            gid = static_cast<gid_t>(strtoul(group.c_str() + 1, nullptr, 10));
        } else if (struct group *g = getgrnam(group.c_str())) {
            gid = g->gr_gid;
        } else {
            log::server_error("unixd", MH_LOG_ALERT, 0, "AH02155: getgrnam: invalid group name %s", group.c_str());
            return -1;
        }
    }
    uid_t uid = geteuid();
    const char *name = nullptr;
    if (!user.empty()) {
        if (user[0] == '#') {
            uid = static_cast<uid_t>(strtoul(user.c_str() + 1, nullptr, 10));
        } else if (struct passwd *p = getpwnam(user.c_str())) {
            uid = p->pw_uid;
            name = p->pw_name;
            if (group.empty()) gid = p->pw_gid;
        } else {
            log::server_error("unixd", MH_LOG_ALERT, 0, "AH02157: getpwnam: invalid user name %s", user.c_str());
            return -1;
        }
    }
    if (setgid(gid) != 0) {
        log::server_error("unixd", MH_LOG_ALERT, errno, "AH02158: setgid: unable to set group id to Group %u", unsigned(gid));
        return -1;
    }
    if ((name ? initgroups(name, gid) : setgroups(1, &gid)) != 0) {
        log::server_error("unixd", MH_LOG_ALERT, errno, "AH02159: initgroups: unable to set groups for User %s and Group %u",
                          user.c_str(), unsigned(gid));
        return -1;
    }
    if (setuid(uid) != 0) {
        log::server_error("unixd", MH_LOG_ALERT, errno, "AH02161: setuid: unable to change to uid: %ld", long(uid));
        return -1;
    }
    return 0;
}

void run_init()
{
    mh_server *s = runtime::current();
    for (const auto &e : s->hooks.child_init.entries()) e.fn(s);
}

void run_exit()
{
    mh_server *s = runtime::current();
    for (const auto &e : s->hooks.child_exit.entries()) e.fn(s);
}

}  // namespace mh::child
