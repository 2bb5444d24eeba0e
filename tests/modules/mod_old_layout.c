/* A module built when the descriptor ended before `mpm` (an older layout):
 * the server must read only struct_size bytes and treat the rest as zero. */
#include <modhttpd/modhttpd.h>

static const mh_api *api;

static int hello(mh_request *r)
{
    if (api->handler_name(r) == NULL || api->handler_name(r)[0] != 'o') return MH_DECLINED;
    api->set_content_type(r, "text/plain");
    api->puts(r, "old layout\n");
    return MH_OK;
}

static void register_hooks(const mh_api *a, const mh_module *self)
{
    api = a;
    a->hook_handler(self, hello, MH_HOOK_MIDDLE);
}

/* Followed in memory by garbage where a newer layout has `mpm`. */
struct old_descriptor {
    mh_module head;
};

MH_EXTERN_C MH_EXPORT const struct {
    uint32_t magic;
    uint16_t abi_major, abi_minor;
    uint32_t struct_size;
    const char *source;
    uint32_t flags;
    const mh_command *commands;
    void *(*create_dir_config)(mh_pool *, const char *);
    void *(*merge_dir_config)(mh_pool *, const void *, const void *);
    void *(*create_server_config)(mh_pool *);
    void (*register_hooks)(const mh_api *, const mh_module *);
    const char *trailing_garbage;
} old_layout_module = {
    MH_MODULE_MAGIC, MH_ABI_MAJOR, 0, (uint32_t)offsetof(mh_module, mpm), __FILE__, 0, NULL, NULL,
    NULL, NULL, register_hooks, "not an mh_mpm pointer"
};
