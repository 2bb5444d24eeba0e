/* Test module: answers "<greeting> from <path>" for SetHandler hello, with a
 * per-directory HelloGreeting directive (merged inner over outer). */
#include <modhttpd/modhttpd.h>
#include <string.h>

static const mh_api *api;
extern const mh_module hello_module;

typedef struct {
    const char *greeting;
} hello_dir;

static void *create_dir(mh_pool *p, const char *section)
{
    (void)section;
    return api->pcalloc(p, sizeof(hello_dir));
}

static void *merge_dir(mh_pool *p, const void *base, const void *add)
{
    const hello_dir *b = base, *a = add;
    hello_dir *m = api->palloc(p, sizeof *m);
    m->greeting = a->greeting ? a->greeting : b->greeting;
    return m;
}

static int handler(mh_request *r)
{
    const char *h = api->handler_name(r);
    if (h == NULL || strcmp(h, "hello") != 0) return MH_DECLINED;
    const hello_dir *d = api->dir_config(r, &hello_module);
    api->set_content_type(r, "text/plain");
    api->printf(r, "%s from %s\n", d && d->greeting ? d->greeting : "hello", api->request_path(r));
    return MH_OK;
}

static void register_hooks(const mh_api *a, const mh_module *self)
{
    api = a;
    a->hook_handler(self, handler, MH_HOOK_MIDDLE);
}

static const mh_command commands[] = {
    {"HelloGreeting", mh_set_string_slot, offsetof(hello_dir, greeting), MH_WHERE_ANY, MH_TAKE1, "a greeting"},
    MH_COMMAND_END
};

MH_DECLARE_MODULE(hello_module) = {
    MH_MODULE_HEADER, MH_MODULE_NO_FLAGS, commands, create_dir, merge_dir, NULL, register_hooks, NULL
};
