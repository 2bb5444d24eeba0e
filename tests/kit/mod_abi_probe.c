/*
 * Built by test_kit.py against the frozen ABI 1.0 headers (tests/kit/abi-1.0,
 * taken from the commit that defined 1.0) with modhttpd-module -I. It must
 * load and serve under every later 1.x server. It answers SetHandler
 * abi-probe with what it was built for and what it found, and uses a
 * directive and per-directory config so that mh_cmd_parms and the
 * descriptor's layout are exercised too.
 */
#include <modhttpd/modhttpd.h>
#include <string.h>

static const mh_api *api;
MH_DECLARE_MODULE(abi_probe_module);

typedef struct {
    const char *text;
    unsigned line; /* where ProbeText was set: read from mh_cmd_parms */
} probe_dir;

static void *create_dir(mh_pool *p, const char *section)
{
    (void)section;
    return api->pcalloc(p, sizeof(probe_dir));
}

static const char *set_text(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    probe_dir *d = dir;
    (void)argc;
    d->text = argv[0];
    d->line = cmd->line;
    return NULL;
}

static int handler(mh_request *r)
{
    const char *h = api->handler_name(r);
    if (h == NULL || strcmp(h, "abi-probe") != 0)
        return MH_DECLINED;
    const probe_dir *d = api->dir_config(r, &abi_probe_module);
    api->set_content_type(r, "text/plain");
    api->printf(r, "built %d.%d\nserver %d.%d\nat_least_1_0 %d\nhas_mpm %d\ntext %s line %u\n",
                MH_ABI_MAJOR, MH_ABI_MINOR, api->abi_major, api->abi_minor,
                MH_ABI_AT_LEAST(api, 1, 0) ? 1 : 0, MH_API_HAS(api, mpm) ? 1 : 0,
                d && d->text ? d->text : "-", d ? d->line : 0);
    return MH_OK;
}

static void register_hooks(const mh_api *a, const mh_module *self)
{
    api = a;
    a->hook_handler(self, handler, MH_HOOK_MIDDLE);
}

static const mh_command commands[] = {
    {"ProbeText", set_text, 0, MH_WHERE_ANY, MH_TAKE1, "a word"},
    MH_COMMAND_END
};

MH_DECLARE_MODULE(abi_probe_module) = {
    MH_MODULE_HEADER, MH_MODULE_NO_FLAGS, commands, create_dir, NULL, NULL, register_hooks, NULL
};
