/*
 * mod_autoindex: Apache 2.4's directory-listing directives (IndexOptions,
 * IndexIgnore, HeaderName, ReadmeName, IndexOrderDefault, AddIcon*,
 * AddAlt*, AddDescription, DefaultIcon). The listing itself is mod_static's
 * (Options Indexes): it reads these through the provider below, so that
 * Debian's autoindex.conf, inside <IfModule mod_autoindex.c>, reads and
 * acts as it does under Apache.
 */
#include <string.h>

#include "autoindex.h"

const mh_api *ai_api;

static const ai_dir *dir_of(const mh_request *r) { return ai_api->dir_config(r, &autoindex_module); }

/* [worker] */
static const mh_autoindex_settings *settings(const mh_request *r)
{
    const ai_dir *d = dir_of(r);
    mh_autoindex_settings *s = ai_api->pcalloc(ai_api->request_pool(r), sizeof *s);
    s->struct_size = sizeof *s;
    s->order_column = 'N';
    s->order_direction = 'A';
    if (d == NULL) return s;
    s->options = d->opts_on & ~d->opts_off;
    s->name_width = d->name_width == AI_UNSET ? 23 : d->name_width; /* Apache's default widths */
    s->description_width = d->description_width == AI_UNSET ? 23 : d->description_width;
    s->icon_width = d->icon_width == AI_UNSET ? 0 : d->icon_width;
    s->icon_height = d->icon_height == AI_UNSET ? 0 : d->icon_height;
    s->charset = d->charset;
    s->type = d->type;
    s->header_name = d->header_name;
    s->readme_name = d->readme_name;
    if (d->order_column) s->order_column = d->order_column;
    if (d->order_direction) s->order_direction = d->order_direction;
    return s;
}

/* [worker] */
static int ignored(const mh_request *r, const char *name)
{
    const ai_dir *d = dir_of(r);
    if (d == NULL) return 0;
    for (int i = 0; i < d->ignore.count; i++)
        if (ai_match(name, d->ignore.items[i].pattern, 0)) return 1;
    return 0;
}

/* Apache's find_item: the first entry of the list that applies. Names that
 * start with '^' (^^DIRECTORY^^, ^^BLANKICON^^) match path entries only;
 * an entry with an encoding matches by encoding, else by type. */
static const char *find_item(const ai_list *l, const char *path, const char *type, const char *encoding)
{
    for (int i = 0; i < l->count; i++) {
        const ai_item *it = &l->items[i];
        if (it->by == AI_BY_PATH || path[0] == '^') {
            if (it->by == AI_BY_PATH && ai_match(path, it->pattern, 0)) return it->data;
        } else if (encoding) {
            if (it->by == AI_BY_ENCODING && ai_match(encoding, it->pattern, 1)) return it->data;
        } else if (it->by == AI_BY_TYPE && type && ai_match(type, it->pattern, 1)) {
            return it->data;
        }
    }
    return NULL;
}

/* [worker] */
static const char *icon(const mh_request *r, const char *name, int is_dir, const char *type, const char *encoding,
                        const char **alt)
{
    const ai_dir *d = dir_of(r);
    *alt = NULL;
    if (d == NULL) return NULL;
    const char *path = name;
    if (is_dir && strcmp(name, "..") != 0) path = "^^DIRECTORY^^";
    else if (name[0] != '^' && strcmp(name, "..") != 0)
        path = ai_api->psprintf(ai_api->request_pool(r), "/%s", name);
    *alt = find_item(&d->alts, path, type, encoding);
    const char *i = find_item(&d->icons, path, type, encoding);
    return i ? i : d->default_icon;
}

/* [worker] */
static const char *description(const mh_request *r, const char *name)
{
    const ai_dir *d = dir_of(r);
    if (d == NULL) return NULL;
    for (int i = 0; i < d->descriptions.count; i++)
        if (ai_match(name, d->descriptions.items[i].pattern, 0)) return d->descriptions.items[i].data;
    return NULL;
}

static const mh_autoindex_provider provider = {sizeof(mh_autoindex_provider), settings, ignored, icon, description};

/* [master] */
static void register_hooks(const mh_api *api, const mh_module *self)
{
    ai_api = api;
    api->register_provider(self, MH_AUTOINDEX_PROVIDER_GROUP, MH_AUTOINDEX_PROVIDER_NAME,
                           MH_AUTOINDEX_PROVIDER_VERSION, &provider);
}

MH_DECLARE_MODULE(autoindex_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NONBLOCKING, /* no hooks of its own */
    ai_commands,
    ai_create_dir,
    ai_merge_dir,
    NULL, /* no server config */
    register_hooks,
    NULL, /* not an MPM */
};
