/* Test module: a handler that dies. SetHandler crash answers
 *   ?how=segv    by writing to an unmapped address (SIGSEGV)
 *   ?how=abort   by abort() (SIGABRT)
 *   ?how=exit    by exit(3) from inside the handler
 *   (anything else: "alive\n")
 * With &flush=1 it first sends and flushes "pid=<pid>\n", so that a test
 * knows which process is about to die. Every answer carries X-Pid. */
#define _POSIX_C_SOURCE 200809L
#include <modhttpd/modhttpd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const mh_api *api;

/* Whether `word` appears in the query as a whole `&`-separated item. */
static int has_item(const char *query, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = query; p && *p;) {
        const char *end = strchr(p, '&');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, item, n) == 0) return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

static int handler(mh_request *r)
{
    const char *h = api->handler_name(r);
    if (h == NULL || strcmp(h, "crash") != 0) return MH_DECLINED;
    const char *q = api->request_query(r);
    char pid[16];
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    api->set_content_type(r, "text/plain");
    api->header_out_set(r, "X-Pid", pid);
    if (has_item(q, "flush=1")) {
        api->printf(r, "pid=%s\n", pid);
        api->flush(r);
    }
    if (has_item(q, "how=segv")) {
        /* Not NULL: UBSan would report a null store before the fault; the
         * crash here is the kernel's, as a real bug's would be. */
        volatile uintptr_t nowhere = 16;
        *(volatile int *)nowhere = 1;
    } else if (has_item(q, "how=abort")) {
        abort();
    } else if (has_item(q, "how=exit")) {
        exit(3);
    }
    api->puts(r, "alive\n");
    return MH_OK;
}

static void register_hooks(const mh_api *a, const mh_module *self)
{
    api = a;
    a->hook_handler(self, handler, MH_HOOK_MIDDLE);
}

MH_DECLARE_MODULE(crash_module) = {
    MH_MODULE_HEADER, MH_MODULE_NO_FLAGS, NULL, NULL, NULL, NULL, register_hooks, NULL
};
