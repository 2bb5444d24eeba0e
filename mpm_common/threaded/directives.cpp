// The worker and event directives, with Apache 2.4's defaults, and check_config: the
// corrections Apache makes to inconsistent settings, in its words. Each has
// a start-up text (console, also under -t) and a restart text with its AH
// number (error log); where a value is clamped we also say what would keep it.
#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>

#include "threaded/threaded.h"

namespace threaded {
namespace {

constexpr int kMaxServerLimit = 20000;  // Apache's MAX_SERVER_LIMIT
constexpr int kMaxThreadLimit = 20000;  // Apache's MAX_THREAD_LIMIT

const Numbers &n() { return *profile().numbers; }

Settings &settings_rw(mh_cmd_parms const *cmd) { return *static_cast<Settings *>(cmd->server_config); }

const char *set_number(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    // Apache takes atoi(); a typo silently becoming 0 is worth an error.
    char *end = nullptr;
    errno = 0;
    long v = strtol(argv[0], &end, 10);
    if (end == argv[0] || *end != '\0' || errno != 0 || v < INT_MIN || v > INT_MAX)
        return api->psprintf(cmd->pool, "%s must be a whole number, not '%s'", cmd->directive, argv[0]);
    *reinterpret_cast<int *>(reinterpret_cast<char *>(&settings_rw(cmd)) + cmd->data) = int(v);
    return nullptr;
}

const char *set_max_workers(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    if (cmd->data == 1)  // the old name
        api->log_error(profile().module, MH_LOG_INFO, 0, nullptr, nullptr,
                       "AH00324: MaxClients is deprecated, use MaxRequestWorkers instead.");
    mh_cmd_parms real = *cmd;
    real.data = offsetof(Settings, max_workers);
    return set_number(&real, dir, argc, argv);
}

const char *set_max_connections(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    if (cmd->data == 1)
        api->log_error(profile().module, MH_LOG_INFO, 0, nullptr, nullptr,
                       "AH00545: MaxRequestsPerChild is deprecated, use MaxConnectionsPerChild instead.");
    mh_cmd_parms real = *cmd;
    real.data = offsetof(Settings, max_connections);
    if (const char *err = set_number(&real, dir, argc, argv)) return err;
    if (settings_rw(cmd).max_connections < 0)
        return api->psprintf(cmd->pool, "%s must be 0 (never) or a number of connections, not '%s'",
                             cmd->directive, argv[0]);
    return nullptr;
}

std::string format(const char *fmt, ...) MH_PRINTF(1, 2);
std::string format(const char *fmt, ...)
{
    char buf[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return buf;
}

// A correction: the start-up text at start and under -t, the restart one in
// the error log (the core's config_warning picks the destination).
struct Warner {
    const mh_server *s;
    bool startup;
    // `numbers`: the AH numbers of the two texts (Numbers); none at startup
    // for worker, as Apache.
    void say(const char *const numbers[2], const std::string &at_startup, const std::string &at_restart) const
    {
        const char *number = numbers[startup ? 0 : 1];
        const std::string &text = startup ? at_startup : at_restart;
        if (number && *number) svc()->config_warning(s, "%s: %s", number, text.c_str());
        else svc()->config_warning(s, "%s", text.c_str());
    }
    void say_restart(const char *number, const std::string &text) const
    {
        if (!startup) svc()->config_warning(s, "%s: %s", number, text.c_str());
    }
};

void check_limits(Settings &c, const Warner &w)
{
    if (c.server_limit > kMaxServerLimit) {
        w.say(n().server_limit_high, format("ServerLimit of %d exceeds compile-time limit of %d servers, decreasing to %d.",
                     c.server_limit, kMaxServerLimit, kMaxServerLimit),
              format("ServerLimit of %d exceeds compile-time limit of %d, decreasing to match",
                     c.server_limit, kMaxServerLimit));
        c.server_limit = kMaxServerLimit;
    } else if (c.server_limit < 1) {
        w.say(n().server_limit_low, format("ServerLimit of %d not allowed, increasing to 1.", c.server_limit),
              format("ServerLimit of %d not allowed, increasing to 1", c.server_limit));
        c.server_limit = 1;
    }
    if (c.thread_limit > kMaxThreadLimit) {
        w.say(n().thread_limit_high, format("ThreadLimit of %d exceeds compile-time limit of %d threads, decreasing to %d.",
                     c.thread_limit, kMaxThreadLimit, kMaxThreadLimit),
              format("ThreadLimit of %d exceeds compile-time limit of %d, decreasing to match",
                     c.thread_limit, kMaxThreadLimit));
        c.thread_limit = kMaxThreadLimit;
    } else if (c.thread_limit < 1) {
        w.say(n().thread_limit_low, format("ThreadLimit of %d not allowed, increasing to 1.", c.thread_limit),
              format("ThreadLimit of %d not allowed, increasing to 1", c.thread_limit));
        c.thread_limit = 1;
    }
}

// The scoreboard is shared memory sized at first start: a restart keeps it.
void keep_scoreboard_size(Settings &c, const Warner &w, int first_server, int first_thread)
{
    if (first_server > 0 && c.server_limit != first_server) {
        w.say_restart(n().server_limit_changed, format("changing ServerLimit to %d from original value of %d not allowed during restart",
                         c.server_limit, first_server));
        c.server_limit = first_server;
    }
    if (first_thread > 0 && c.thread_limit != first_thread) {
        w.say_restart(n().thread_limit_changed, format("changing ThreadLimit to %d from original value of %d not allowed during restart",
                         c.thread_limit, first_thread));
        c.thread_limit = first_thread;
    }
}

void check_threads(Settings &c, const Warner &w)
{
    if (c.threads_per_child > c.thread_limit) {
        w.say(n().threads_high, format("ThreadsPerChild of %d exceeds ThreadLimit of %d threads, decreasing to %d. "
                     "To increase, please see the ThreadLimit directive. "
                     "(ThreadLimit %d would keep ThreadsPerChild %d.)",
                     c.threads_per_child, c.thread_limit, c.thread_limit, c.threads_per_child, c.threads_per_child),
              format("ThreadsPerChild of %d exceeds ThreadLimit of %d, decreasing to match "
                     "(ThreadLimit only changes with a full stop and start: ThreadLimit %d would keep it)",
                     c.threads_per_child, c.thread_limit, c.threads_per_child));
        c.threads_per_child = c.thread_limit;
    } else if (c.threads_per_child < 1) {
        w.say(n().threads_low, format("ThreadsPerChild of %d not allowed, increasing to 1.", c.threads_per_child),
              format("ThreadsPerChild of %d not allowed, increasing to 1", c.threads_per_child));
        c.threads_per_child = 1;
    }
}

void check_workers(Settings &c, const Warner &w)
{
    int tpc = c.threads_per_child;
    if (c.max_workers < tpc) {
        w.say(n().workers_low, format("MaxRequestWorkers of %d is less than ThreadsPerChild of %d, increasing to %d. "
                     "MaxRequestWorkers must be at least as large as the number of threads in a single server.",
                     c.max_workers, tpc, tpc),
              format("MaxRequestWorkers of %d is less than ThreadsPerChild of %d, increasing to match",
                     c.max_workers, tpc));
        c.max_workers = tpc;
    }
    if (int rounded = c.max_workers / tpc * tpc; rounded != c.max_workers) {
        w.say(n().workers_not_multiple, format("MaxRequestWorkers of %d is not an integer multiple of ThreadsPerChild of %d, "
                     "decreasing to nearest multiple %d, for a maximum of %d servers.",
                     c.max_workers, tpc, rounded, rounded / tpc),
              format("MaxRequestWorkers of %d is not an integer multiple of ThreadsPerChild of %d, "
                     "decreasing to nearest multiple %d",
                     c.max_workers, tpc, rounded));
        c.max_workers = rounded;
    }
    if (int servers = c.max_workers / tpc; servers > c.server_limit) {
        int capped = c.server_limit * tpc;
        w.say(n().workers_over_limit, format("MaxRequestWorkers of %d would require %d servers and would exceed ServerLimit of %d, "
                     "decreasing to %d. To increase, please see the ServerLimit directive. "
                     "(ServerLimit %d would keep MaxRequestWorkers %d.)",
                     c.max_workers, servers, c.server_limit, capped, servers, c.max_workers),
              format("MaxRequestWorkers of %d would require %d servers and exceed ServerLimit of %d, "
                     "decreasing to %d (ServerLimit only changes with a full stop and start: "
                     "ServerLimit %d would keep it)",
                     c.max_workers, servers, c.server_limit, capped, servers));
        c.max_workers = capped;
    }
}

void check_spares(Settings &c, const Warner &w)
{
    if (c.start_servers < 1) {
        w.say(n().start_servers_low, format("StartServers of %d not allowed, increasing to 1.", c.start_servers),
              format("StartServers of %d not allowed, increasing to 1", c.start_servers));
        c.start_servers = 1;
    }
    if (c.min_spare_threads < 1) {
        w.say(n().min_spare_low, format("MinSpareThreads of %d not allowed, increasing to 1 to avoid almost certain server "
                     "failure. Please read the documentation.", c.min_spare_threads),
              format("MinSpareThreads of %d not allowed, increasing to 1", c.min_spare_threads));
        c.min_spare_threads = 1;
    }
    // Apache raises it silently. Below this, retiring one idle process would
    // drop under MinSpareThreads and the pool would grow and shrink each second.
    int floor = c.min_spare_threads + c.threads_per_child + 1;
    if (c.max_spare_threads < floor) {
        std::string text = format("MaxSpareThreads of %d is less than MinSpareThreads (%d) + ThreadsPerChild (%d) "
                                  "+ 1, increasing to %d, so that retiring an idle process does not go below "
                                  "MinSpareThreads.",
                                  c.max_spare_threads, c.min_spare_threads, c.threads_per_child, floor);
        const char *none[2] = {"", ""};
        w.say(none, text, text);
        c.max_spare_threads = floor;
    }
}

const char *set_async_factor(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    char *end = nullptr;
    errno = 0;
    double v = strtod(argv[0], &end);
    if (end == argv[0] || *end != '\0' || errno != 0 || !(v > 0))
        return "AsyncRequestWorkerFactor argument must be a positive number";
    settings_rw(cmd).async_factor = v;
    return nullptr;
}

#define THREADED_COMMANDS \
    {"StartServers", set_number, offsetof(Settings, start_servers), MH_WHERE_SERVER, MH_TAKE1, \
     "Number of child processes launched at server startup"}, \
    {"MinSpareThreads", set_number, offsetof(Settings, min_spare_threads), MH_WHERE_SERVER, MH_TAKE1, \
     "Minimum number of idle threads, to handle request spikes"}, \
    {"MaxSpareThreads", set_number, offsetof(Settings, max_spare_threads), MH_WHERE_SERVER, MH_TAKE1, \
     "Maximum number of idle threads"}, \
    {"MaxRequestWorkers", set_max_workers, 0, MH_WHERE_SERVER, MH_TAKE1, \
     "Maximum number of threads alive at the same time"}, \
    {"MaxClients", set_max_workers, 1, MH_WHERE_SERVER, MH_TAKE1, "Deprecated name of MaxRequestWorkers"}, \
    {"ThreadsPerChild", set_number, offsetof(Settings, threads_per_child), MH_WHERE_SERVER, MH_TAKE1, \
     "Number of threads each child creates"}, \
    {"ServerLimit", set_number, offsetof(Settings, server_limit), MH_WHERE_SERVER, MH_TAKE1, \
     "Maximum number of child processes for this run of Apache"}, \
    {"ThreadLimit", set_number, offsetof(Settings, thread_limit), MH_WHERE_SERVER, MH_TAKE1, \
     "Maximum number of worker threads per child process for this run of Apache - Upper limit for " \
     "ThreadsPerChild"}, \
    {"MaxConnectionsPerChild", set_max_connections, 0, MH_WHERE_SERVER, MH_TAKE1, \
     "Maximum number of connections a particular child serves before dying."}, \
    {"MaxRequestsPerChild", set_max_connections, 1, MH_WHERE_SERVER, MH_TAKE1, \
     "Maximum number of connections a particular child serves before dying. (Deprecated)"}, \


const mh_command kWorkerCommands[] = {THREADED_COMMANDS MH_COMMAND_END};
const mh_command kEventCommands[] = {
    THREADED_COMMANDS
    {"AsyncRequestWorkerFactor", set_async_factor, 0, MH_WHERE_SERVER, MH_TAKE1,
     "How many additional connects will be accepted per idle worker thread"},
    MH_COMMAND_END,
};
#undef THREADED_COMMANDS

}  // namespace

const mh_command *commands(bool async) { return async ? kEventCommands : kWorkerCommands; }


void *create_server_config(mh_pool *pool) { return new (api->pcalloc(pool, sizeof(Settings))) Settings(); }

const Settings &settings_of(const mh_server *s)
{
    return *static_cast<const Settings *>(api->server_config(s, profile().module));
}

int check_config(mh_server *s)
{
    Settings &c = const_cast<Settings &>(settings_of(s));
    // Without a scoreboard this is a first start or -t; with one, a restart.
    int rows = 0, columns = 0;
    svc()->scoreboard_limits(&rows, &columns);
    Warner w{s, rows == 0};
    check_limits(c, w);
    // The limits this MPM first ran with hold for as long as it runs. Our
    // first configuration in a running server (the MPM was changed on a
    // restart) must fit the scoreboard made at start.
    static int first_server = 0, first_thread = 0;
    if (first_server == 0 && rows > 0 &&
        (c.server_limit > rows || c.thread_limit + extra_slots() > columns)) {
        bool threads = c.thread_limit + extra_slots() > columns;
        svc()->config_warning(s, "%s of %d needs more room than the scoreboard made at start has (%d processes of %d "
                                 "threads): a full stop and start is needed to change to %s with it",
                              threads ? "ThreadLimit" : "ServerLimit", threads ? c.thread_limit : c.server_limit,
                              rows, columns - extra_slots(), profile().module->mpm->name);
        return -1;
    }
    keep_scoreboard_size(c, w, first_server, first_thread);
    if (first_server == 0) first_server = c.server_limit, first_thread = c.thread_limit;
    check_threads(c, w);
    check_workers(c, w);
    check_spares(c, w);
    return 0;
}

}  // namespace threaded
