/*
 * mod_filter: AddOutputFilterByType, as Apache 2.4's. The type of a
 * response is known only once its handler writes, so insert_filter adds a
 * harness, BYTYPE (MH_FILTER_RESOURCE, before any filter it may add), that
 * at its first call adds the filters named for that type (they sort after
 * it), takes itself out and hands the body on.
 *
 * Like Apache's harness it filters only 200 responses, unless the variable
 * filter-errordocs is set. A file whose type is known beforehand and named
 * by no rule gets no harness at all, so that it still leaves by sendfile.
 *
 * No hook blocks (the harness's stat(2) of a directory index runs in the
 * handler's write): MH_MODULE_NONBLOCKING.
 */
#include "filter.h"

const mh_api *ft_api;

/* [worker] The first call is the only one: the harness leaves at once. */
static int harness(mh_filter *f, mh_request *r, const char *data, size_t n, int eos)
{
    ft_api->filter_remove(f);
    const ft_dir *d = ft_api->dir_config(r, &filter_module);
    if (d && (ft_api->status(r) == 200 || ft_api->table_get(ft_api->subprocess_env(r), "filter-errordocs"))) {
        const char *type = ft_response_type(r, 1);
        if (type) ft_add_filters(r, d, type);
    }
    return ft_api->filter_pass(f, data, n, eos);
}

/* [worker] */
static int insert_filter(mh_request *r)
{
    const ft_dir *d = ft_api->dir_config(r, &filter_module);
    if (d == NULL || d->first == NULL) return MH_OK;
    const char *type = ft_response_type(r, 0);
    /* Known now and wanted by no rule: no harness (it would cost sendfile). */
    if (type != ft_type_later && (type == NULL || !ft_any_match(d, type))) return MH_OK;
    ft_api->add_output_filter(r, "BYTYPE", NULL);
    return MH_OK;
}

/* [master] */
static void register_hooks(const mh_api *api, const mh_module *self)
{
    ft_api = api;
    api->register_output_filter(self, "BYTYPE", harness, MH_FILTER_RESOURCE);
    api->hook_insert_filter(self, insert_filter, MH_HOOK_MIDDLE);
}

MH_DECLARE_MODULE(filter_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NONBLOCKING,
    ft_commands,
    ft_create_dir_config,
    ft_merge_dir_config,
    NULL, /* no server config */
    register_hooks,
    NULL, /* not an MPM */
};
