/*
 * mod_filter internals, shared by its files (hidden visibility: the one
 * exported symbol is filter_module, in mod_filter.c).
 *
 *   mod_filter.c       descriptor, insert_filter hook, the BYTYPE harness
 *   filter_config.c    AddOutputFilterByType and its per-directory lists
 *   filter_type.c      the response's media type, as far as the ABI shows it
 *
 * Every function runs [worker] unless marked otherwise.
 */
#ifndef MOD_FILTER_H
#define MOD_FILTER_H

#include <modhttpd/modhttpd.h>

MH_EXPORT extern const mh_module filter_module;
extern const mh_api *ft_api; /* kept by register_hooks; valid for the process */

/* ---- filter_config.c ---------------------------------------------------- */
/* One filter for one media type; a directory's rules in configuration order. */
typedef struct ft_rule {
    const char *filter;          /* a registered output filter's name */
    const char *type;            /* lowercase, as compared */
    const struct ft_rule *next;
} ft_rule;

typedef struct ft_dir {
    const ft_rule *first;
    ft_rule *last;               /* where the directive appends, while reading */
} ft_dir;

extern const mh_command ft_commands[];
void *ft_create_dir_config(mh_pool *p, const char *section);
void *ft_merge_dir_config(mh_pool *p, const void *base, const void *add);
/* True when some rule names `type` (lowercase, no parameters). */
int ft_any_match(const ft_dir *d, const char *type);
/* Adds, once each, the filters whose rules name `type`. */
void ft_add_filters(mh_request *r, const ft_dir *d, const char *type);

/* ---- filter_type.c ------------------------------------------------------ */
/* Returned by ft_response_type(r, 0) when the answer has to wait for the
 * handler (another module's) or for a look at the file system (a directory:
 * its index file or the listing). */
extern const char ft_type_later[];
/* The response's media type, lowercase and without parameters, or NULL
 * when it has none (or none that can be known). `final` is 1 at the first
 * write, which may stat(2); 0 before the handler runs. */
const char *ft_response_type(mh_request *r, int final);

#endif
