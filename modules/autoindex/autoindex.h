/*
 * mod_autoindex internals. This module holds Apache's mod_autoindex
 * directives and offers them to the listing mod_static makes, through the
 * provider of modhttpd/autoindex.h; it makes no listing itself. The one
 * exported symbol is autoindex_module, in mod_autoindex.c.
 *
 *   mod_autoindex.c     descriptor, the provider's functions
 *   autoindex_config.c  the directives and the per-directory merge
 *   autoindex_match.c   Apache's wildcard match (ap_strcmp_match)
 */
#ifndef MOD_AUTOINDEX_H
#define MOD_AUTOINDEX_H

#include <modhttpd/autoindex.h>
#include <modhttpd/modhttpd.h>

MH_EXPORT extern const mh_module autoindex_module;
extern const mh_api *ai_api; /* kept by register_hooks; valid for the process */

/* What an AddIcon*, AddAlt* or AddDescription line applies to. */
enum ai_by { AI_BY_PATH, AI_BY_TYPE, AI_BY_ENCODING };

typedef struct ai_item {
    int by;              /* enum ai_by */
    const char *pattern; /* "*.gz", "^^DIRECTORY^^", "text/(any)", "x-gzip" */
    const char *data;    /* icon URL, alt text or description */
} ai_item;

typedef struct ai_list {
    ai_item *items;
    int count, cap;
} ai_list;

#define AI_UNSET (-1)

typedef struct ai_dir {
    /* IndexOptions: "X Y" sets (absolute), "+X -Y" adds and removes. */
    unsigned opts_on, opts_off;
    int opts_absolute;
    int name_width, description_width; /* AI_UNSET, 0 for '*', or a count */
    int icon_width, icon_height;       /* AI_UNSET, or pixels */
    const char *charset, *type, *header_name, *readme_name, *default_icon;
    char order_column, order_direction; /* 0 when unset */
    int ignore_reset;                   /* IndexIgnoreReset On */
    ai_list icons, alts, descriptions, ignore;
} ai_dir;

/* ---- autoindex_config.c [master] ------------------------------------------ */
extern const mh_command ai_commands[];
void *ai_create_dir(mh_pool *p, const char *section);
void *ai_merge_dir(mh_pool *p, const void *base, const void *add);

/* ---- autoindex_match.c [any] ---------------------------------------------- */
/* Apache's ap_strcmp_match: '*' any run, '?' one character; 1 on a match. */
int ai_match(const char *subject, const char *pattern, int icase);

#endif
