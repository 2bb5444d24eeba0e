/*
 * MaxRanges none|default|unlimited|N, as Apache's (there it is a core
 * directive; here only this module answers ranges). Per directory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <strings.h>

#include "static.h"

/* [master] */
static const char *set_max_ranges(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)cmd;
    (void)argc;
    st_dir_config *d = dir;
    const char *v = argv[0];
    if (strcasecmp(v, "default") == 0) {
        d->max_ranges = ST_RANGES_DEFAULT;
    } else if (strcasecmp(v, "unlimited") == 0) {
        d->max_ranges = ST_RANGES_UNLIMITED;
    } else if (strcasecmp(v, "none") == 0) {
        d->max_ranges = 0;
    } else {
        char *end;
        errno = 0;
        long n = strtol(v, &end, 10);
        if (errno || *end || end == v || n < 1 || n > 1000000)
            return "MaxRanges must be 'none', 'default', 'unlimited' or a positive integer";
        d->max_ranges = (int)n;
    }
    return NULL;
}

const mh_command st_commands[] = {
    {"MaxRanges", set_max_ranges, 0, MH_WHERE_ANY, MH_TAKE1,
     "'none', 'default', 'unlimited' or a number of ranges above which the whole file is sent"},
    MH_COMMAND_END,
};

/* [master] */
void *st_create_dir_config(mh_pool *p, const char *section)
{
    (void)section;
    st_dir_config *d = st_api->pcalloc(p, sizeof *d);
    d->max_ranges = ST_RANGES_UNSET;
    return d;
}

/* [master] */
void *st_merge_dir_config(mh_pool *p, const void *base, const void *add)
{
    const st_dir_config *b = base, *a = add;
    st_dir_config *d = st_api->palloc(p, sizeof *d);
    d->max_ranges = a->max_ranges != ST_RANGES_UNSET ? a->max_ranges : b->max_ranges;
    return d;
}

int st_max_ranges(const mh_request *r)
{
    const st_dir_config *d = st_api->dir_config(r, &static_module);
    return d == NULL || d->max_ranges == ST_RANGES_UNSET ? ST_RANGES_DEFAULT : d->max_ranges;
}
