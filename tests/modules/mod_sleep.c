/* Test module: a slow handler for MPM tests. SetHandler sleep answers
 *   ?ms=N      after sleeping N milliseconds (signals do not cut it short)
 *   &flush=1   with "pid=<pid>" sent and flushed before the sleep
 *   ?sb=1      with scoreboard figures: "episodes=<n> generation=<g>"
 * and always an X-Pid header naming the process that served it. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <modhttpd/modhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const mh_api *api;

/* The integer after "name=" in the query, or `fallback`. */
static long query_number(const char *query, const char *name, long fallback)
{
    size_t n = strlen(name);
    for (const char *p = query; p && *p; p = strchr(p, '&'), p = p ? p + 1 : NULL) {
        if (strncmp(p, name, n) == 0 && p[n] == '=') return strtol(p + n + 1, NULL, 10);
    }
    return fallback;
}

static void sleep_ms(long ms)
{
    struct timespec left = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&left, &left) != 0 && errno == EINTR) {
    }
}

static int handler(mh_request *r)
{
    const char *h = api->handler_name(r);
    if (h == NULL || strcmp(h, "sleep") != 0) return MH_DECLINED;
    const char *q = api->request_query(r);
    char pid[16];
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    api->set_content_type(r, "text/plain");
    api->header_out_set(r, "X-Pid", pid);
    if (query_number(q, "sb", 0)) {
        mh_status_global g;
        memset(&g, 0, sizeof g);
        g.struct_size = sizeof g;
        if (api->status_global(&g) != 0) return 500;
        api->printf(r, "episodes=%llu generation=%d\n", (unsigned long long)g.max_workers_episodes,
                    g.mpm_generation);
        return MH_OK;
    }
    long ms = query_number(q, "ms", 0);
    if (query_number(q, "flush", 0)) {
        api->printf(r, "pid=%s\n", pid);
        api->flush(r);
    }
    if (ms > 0) sleep_ms(ms);
    api->printf(r, "slept %ld ms\n", ms);
    return MH_OK;
}

static void register_hooks(const mh_api *a, const mh_module *self)
{
    api = a;
    a->hook_handler(self, handler, MH_HOOK_MIDDLE);
}

MH_DECLARE_MODULE(sleep_module) = {
    MH_MODULE_HEADER, MH_MODULE_NO_FLAGS, NULL, NULL, NULL, NULL, register_hooks, NULL
};
