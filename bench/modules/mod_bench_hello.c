/*
 * mod_bench_hello: the benchmark's "trivial handler". Answers every request
 * whose handler is `bench-hello` (SetHandler bench-hello) with 200 and the
 * same fixed 1 KiB text/plain body, built once at load time and sent from
 * memory: no file system access, no formatting per request. It measures the
 * server's own per-request cost (parse, hooks, response head, write).
 *
 * Built by bench/run.sh, against the installed headers only:
 *     cc -shared -fPIC -O2 -I include -o mod_bench_hello.so mod_bench_hello.c
 * and loaded with
 *     LoadModule bench_hello_module /path/to/mod_bench_hello.so
 */
#include <modhttpd/modhttpd.h>
#include <string.h>

#define BENCH_BODY_SIZE 1024

static const mh_api *api;
static char body[BENCH_BODY_SIZE];

static void fill_body(void)
{
    /* 1023 printable bytes in lines of 64, ending in a newline: the same
     * bytes bench/run.sh writes into the 1 KiB file for Apache and nginx. */
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < BENCH_BODY_SIZE; i++)
        body[i] = (i % 64 == 63) ? '\n' : alphabet[i % 36];
    body[BENCH_BODY_SIZE - 1] = '\n';
}

static int handler(mh_request *r)
{
    const char *h = api->handler_name(r);
    if (h == NULL || strcmp(h, "bench-hello") != 0) return MH_DECLINED;
    api->set_content_type(r, "text/plain");
    api->set_content_length(r, BENCH_BODY_SIZE);
    if (api->header_only(r)) return MH_OK;
    api->write(r, body, BENCH_BODY_SIZE);
    return MH_OK;
}

static void register_hooks(const mh_api *a, const mh_module *self)
{
    api = a;
    fill_body();
    a->hook_handler(self, handler, MH_HOOK_MIDDLE);
}

MH_DECLARE_MODULE(bench_hello_module) = {
    MH_MODULE_HEADER, MH_MODULE_NONBLOCKING, NULL, NULL, NULL, NULL, register_hooks, NULL
};
