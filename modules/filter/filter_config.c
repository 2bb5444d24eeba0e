/*
 * AddOutputFilterByType FILTER[;FILTER...] media-type [media-type] ...
 * Server-wide and in <Directory>/<Location>. Lines for one filter in one
 * scope add up; a scope that names a filter replaces the types it inherits
 * for that filter, as Apache's mod_filter does. Types compare without case
 * (Apache compares them with case).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "filter.h"

/* [master] */
void *ft_create_dir_config(mh_pool *p, const char *section)
{
    (void)section;
    return ft_api->pcalloc(p, sizeof(ft_dir));
}

static int names_filter(const ft_rule *list, const char *filter)
{
    for (const ft_rule *r = list; r; r = r->next)
        if (strcasecmp(r->filter, filter) == 0) return 1;
    return 0;
}

/* [master] or [worker] Base's rules for filters `add` does not name, then add's. */
void *ft_merge_dir_config(mh_pool *p, const void *base, const void *add)
{
    const ft_dir *b = base, *a = add;
    ft_dir *d = ft_api->pcalloc(p, sizeof *d);
    const ft_rule **tail = &d->first;
    for (const ft_rule *r = b->first; r; r = r->next) {
        if (names_filter(a->first, r->filter)) continue;
        ft_rule *copy = ft_api->palloc(p, sizeof *copy);
        *copy = (ft_rule){r->filter, r->type, NULL};
        *tail = copy;
        tail = &copy->next;
    }
    *tail = a->first; /* shared: rules do not change after the configuration is read */
    return d;
}

static void append(mh_pool *p, ft_dir *d, const char *filter, const char *type)
{
    ft_rule *r = ft_api->palloc(p, sizeof *r);
    *r = (ft_rule){filter, type, NULL};
    if (d->last) d->last->next = r;
    else d->first = r;
    d->last = r;
}

/* [master] */
static const char *add_by_type(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    if (argc < 2) return "AddOutputFilterByType requires at least two arguments";
    mh_pool *p = cmd->pool;
    for (const char *s = argv[0]; *s;) {
        size_t n = strcspn(s, ";");
        if (n) {
            const char *filter = ft_api->pstrndup(p, s, n);
            for (int i = 1; i < argc; ++i) {
                char *type = ft_api->pstrdup(p, argv[i]);
                for (char *c = type; *c; ++c) *c = (char)tolower((unsigned char)*c);
                append(p, dir, filter, type);
            }
        }
        s += n + (s[n] == ';');
    }
    return NULL;
}

const mh_command ft_commands[] = {
    {"AddOutputFilterByType", add_by_type, 0, MH_WHERE_ANY, MH_TAKE_ARGV,
     "output filter name followed by one or more content-types"},
    MH_COMMAND_END,
};

int ft_any_match(const ft_dir *d, const char *type)
{
    for (const ft_rule *r = d->first; r; r = r->next)
        if (strcmp(r->type, type) == 0) return 1;
    return 0;
}

/* Whether an earlier rule already added this rule's filter. */
static int added_before(const ft_dir *d, const ft_rule *rule, const char *type)
{
    for (const ft_rule *r = d->first; r != rule; r = r->next)
        if (strcmp(r->type, type) == 0 && strcasecmp(r->filter, rule->filter) == 0) return 1;
    return 0;
}

void ft_add_filters(mh_request *r, const ft_dir *d, const char *type)
{
    for (const ft_rule *rule = d->first; rule; rule = rule->next) {
        if (strcmp(rule->type, type) != 0 || added_before(d, rule, type)) continue;
        if (ft_api->add_output_filter(r, rule->filter, NULL) != 0) {
            /* The ABI cannot tell at configuration time which names exist. */
            ft_api->log_error(&filter_module, MH_LOG_ERR, 0, NULL, r, "AH01380: Unknown filter %s not added",
                              rule->filter);
            continue;
        }
        ft_api->log_error(&filter_module, MH_LOG_TRACE4, 0, NULL, r, "Content-Type condition for '%s' matched",
                          rule->filter);
    }
}
