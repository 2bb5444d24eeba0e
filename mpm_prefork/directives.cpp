// The prefork directives (Apache 2.4 names and defaults) and check_config,
// which corrects inconsistent values with Apache's warnings. A startup
// warning (console, also under -t) and a restart one (error log, with its AH
// number) differ in wording, as in Apache.
#include <strings.h>

#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdio>
#include <cstdlib>

#include "prefork.h"

namespace prefork {
namespace {

constexpr int kMaxServerLimit = 200000;  // Apache's MAX_SERVER_LIMIT

// The core creates server configs before register_hooks hands us the api:
// the very first one cannot come from a pool, so it lives here.
Settings g_first_config;
int g_first_server_limit = 0;  // the scoreboard's size: fixed for this process
bool g_checked_once = false;   // false while the first configuration is read

// The scoreboard's process rows; 0 before the server's first start (also
// under -t). The scoreboard may predate this MPM: a graceful restart can
// change the MPM.
int scoreboard_rows()
{
    int rows = 0;
    api->mpm->scoreboard_limits(&rows, nullptr);
    return rows;
}

// Apache's startup wording (no AH number, on the console) until the server
// has started once.
bool startup() { return !g_checked_once && scoreboard_rows() == 0; }

const char *set_number(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    errno = 0;
    char *end = nullptr;
    long v = strtol(argv[0], &end, 10);
    if (*argv[0] == '\0' || *end != '\0' || errno || v < INT_MIN || v > INT_MAX)
        return api->psprintf(cmd->pool, "%s must be a whole number, not '%s'", cmd->directive, argv[0]);
    if (cmd->data == offsetof(Settings, max_connections) && v < 0)
        return api->psprintf(cmd->pool, "%s must be 0 (never recycle) or more, not %ld", cmd->directive, v);

    if (strcasecmp(cmd->directive, "MaxClients") == 0)
        api->mpm->config_warning(cmd->server, startup() ? "MaxClients is deprecated, use MaxRequestWorkers instead."
                                                        : "AH00188: MaxClients is deprecated, use MaxRequestWorkers instead.");
    else if (strcasecmp(cmd->directive, "MaxRequestsPerChild") == 0)
        api->mpm->config_warning(cmd->server,
                                 startup() ? "MaxRequestsPerChild is deprecated, use MaxConnectionsPerChild instead."
                                           : "AH00545: MaxRequestsPerChild is deprecated, use MaxConnectionsPerChild instead.");
    // `data` is the offsetof() of the field in Settings, our server config.
    *reinterpret_cast<int *>(static_cast<char *>(cmd->server_config) + cmd->data) = static_cast<int>(v);
    return nullptr;
}

const char *set_flag(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    *reinterpret_cast<int *>(static_cast<char *>(cmd->server_config) + cmd->data) = argv[0][1] == 'n';
    return nullptr;
}

constexpr unsigned S = MH_WHERE_SERVER;

// Apache's warning, plus what to do to get the MaxRequestWorkers asked for.
void warn_workers_over_limit(const mh_server *s, int wanted, int limit)
{
    char fix[160];
    if (wanted > kMaxServerLimit)
        snprintf(fix, sizeof fix, "To fix this, lower MaxRequestWorkers to %d or less (the most ServerLimit allows).",
                 kMaxServerLimit);
    else
        snprintf(fix, sizeof fix,
                 "To fix this, raise ServerLimit to %d (ServerLimit changes only on a full stop and start, "
                 "not on a restart).",
                 wanted);
    if (startup())
        api->mpm->config_warning(s,
                                 "MaxRequestWorkers of %d exceeds ServerLimit value of %d servers, decreasing "
                                 "MaxRequestWorkers to %d. To increase, please see the ServerLimit directive. %s",
                                 wanted, limit, limit, fix);
    else
        api->mpm->config_warning(s, "AH00181: MaxRequestWorkers of %d exceeds ServerLimit value of %d, decreasing to match. %s",
                                 wanted, limit, fix);
}

}  // namespace

const mh_command commands[] = {
    {"StartServers", set_number, offsetof(Settings, start_servers), S, MH_TAKE1,
     "Number of child processes launched at server startup"},
    {"MinSpareServers", set_number, offsetof(Settings, min_spare), S, MH_TAKE1,
     "Minimum number of idle children, to handle request spikes"},
    {"MaxSpareServers", set_number, offsetof(Settings, max_spare), S, MH_TAKE1, "Maximum number of idle children"},
    {"MaxRequestWorkers", set_number, offsetof(Settings, max_workers), S, MH_TAKE1,
     "Maximum number of children alive at the same time"},
    {"MaxClients", set_number, offsetof(Settings, max_workers), S, MH_TAKE1, "Deprecated name of MaxRequestWorkers"},
    {"ServerLimit", set_number, offsetof(Settings, server_limit), S, MH_TAKE1,
     "Maximum value of MaxRequestWorkers for this run of the server"},
    {"MaxConnectionsPerChild", set_number, offsetof(Settings, max_connections), S, MH_TAKE1,
     "Maximum number of connections a particular child serves before dying."},
    {"MaxRequestsPerChild", set_number, offsetof(Settings, max_connections), S, MH_TAKE1,
     "Deprecated name of MaxConnectionsPerChild"},
    {"PreforkFront", set_flag, offsetof(Settings, front), S, MH_FLAG,
     "On: while no child is idle, a front process waits for request heads (slow clients hold no child)"},
    MH_COMMAND_END,
};

void *create_server_config(mh_pool *pool)
{
    Settings *c = api ? static_cast<Settings *>(api->palloc(pool, sizeof(Settings))) : &g_first_config;
    *c = Settings{};
    return c;
}

const Settings &settings_of(const mh_server *s)
{
    return *static_cast<const Settings *>(api->server_config(s, &mpm_prefork_module));
}

int check_config(mh_server *s)
{
    auto &c = *static_cast<Settings *>(api->server_config(s, &mpm_prefork_module));
    const mh_mpm_services *m = api->mpm;

    if (c.server_limit > kMaxServerLimit) {
        if (startup())
            m->config_warning(s, "ServerLimit of %d exceeds compile-time limit of %d servers, decreasing to %d.",
                              c.server_limit, kMaxServerLimit, kMaxServerLimit);
        else
            m->config_warning(s, "AH00176: ServerLimit of %d exceeds compile-time limit of %d, decreasing to match",
                              c.server_limit, kMaxServerLimit);
        c.server_limit = kMaxServerLimit;
    } else if (c.server_limit < 1) {
        if (startup()) m->config_warning(s, "ServerLimit of %d not allowed, increasing to 1.", c.server_limit);
        else m->config_warning(s, "AH00178: ServerLimit of %d not allowed, increasing to 1", c.server_limit);
        c.server_limit = 1;
    }

    // The scoreboard is sized once; a restart cannot change it.
    if (g_first_server_limit == 0) {
        // Our first configuration in a running server (the MPM was changed
        // on a restart): the scoreboard made at start must have room.
        if (int rows = scoreboard_rows(); rows > 0 && c.server_limit > rows) {
            m->config_warning(s, "ServerLimit of %d needs more process slots than the scoreboard made at start has "
                                 "(%d): a full stop and start is needed to change to prefork with it",
                              c.server_limit, rows);
            return -1;
        }
        g_first_server_limit = c.server_limit;
    } else if (c.server_limit != g_first_server_limit) {
        m->config_warning(s, "AH00179: changing ServerLimit to %d from original value of %d not allowed during restart",
                          c.server_limit, g_first_server_limit);
        c.server_limit = g_first_server_limit;
    }

    if (c.max_workers > c.server_limit) {
        warn_workers_over_limit(s, c.max_workers, c.server_limit);
        c.max_workers = c.server_limit;
    } else if (c.max_workers < 1) {
        if (startup()) m->config_warning(s, "MaxRequestWorkers of %d not allowed, increasing to 1.", c.max_workers);
        else m->config_warning(s, "AH00183: MaxRequestWorkers of %d not allowed, increasing to 1", c.max_workers);
        c.max_workers = 1;
    }

    if (c.start_servers < 1) {
        if (startup()) m->config_warning(s, "StartServers of %d not allowed, increasing to 1.", c.start_servers);
        else m->config_warning(s, "AH00185: StartServers of %d not allowed, increasing to 1", c.start_servers);
        c.start_servers = 1;
    }

    if (c.min_spare < 1) {
        if (startup())
            m->config_warning(s,
                              "MinSpareServers of %d not allowed, increasing to 1 to avoid almost certain server "
                              "failure. Please read the documentation.",
                              c.min_spare);
        else m->config_warning(s, "AH00187: MinSpareServers of %d not allowed, increasing to 1", c.min_spare);
        c.min_spare = 1;
    }

    // Apache raises it silently; saying so costs one line and explains the pool size.
    if (c.max_spare < c.min_spare + 1) {
        m->config_warning(s, "MaxSpareServers of %d is not above MinSpareServers of %d, increasing MaxSpareServers to %d.",
                          c.max_spare, c.min_spare, c.min_spare + 1);
        c.max_spare = c.min_spare + 1;
    }

    g_checked_once = true;
    return 0;
}

}  // namespace prefork
