/*
 * mod_setenvif internals, shared by its files. Nothing declared here leaves
 * the shared object (hidden visibility): the one exported symbol is
 * setenvif_module, in mod_setenvif.c.
 *
 *   mod_setenvif.c      descriptor and the two hooks
 *   setenvif_config.c   SetEnvIf[NoCase], BrowserMatch[NoCase]; merging
 *   setenvif_match.c    a list against one request (Apache's match_headers)
 *   setenvif_regsub.c   $0..$9 in values, as Apache's ap_pregsub
 *
 * Every function here runs [worker] unless marked [master].
 */
#ifndef MOD_SETENVIF_H
#define MOD_SETENVIF_H

#include <modhttpd/modhttpd.h>

MH_EXPORT extern const mh_module setenvif_module;
extern const mh_api *se_api; /* kept by register_hooks; valid for the process */

/* The server offers what this module calls (ABI 1.2: subprocess_env,
 * header_parser, regexes). An older one loads it too, so check. */
static inline int se_abi_ok(void) { return MH_API_HAS(se_api, regex_substitute); }

/* What an entry matches against. */
typedef enum se_attribute {
    SE_HEADER, /* a request header, else an earlier-set variable */
    SE_REMOTE_ADDR, SE_REMOTE_HOST, SE_SERVER_ADDR, SE_REQUEST_METHOD, SE_REQUEST_PROTOCOL, SE_REQUEST_URI
} se_attribute;

typedef struct se_feature {
    const char *name;
    const char *value; /* starting with '!': unset the variable (Apache's test) */
} se_feature;

typedef struct se_entry {
    const char *name;        /* attribute as written; one pointer per name and list */
    se_attribute attribute;
    const mh_regex *name_re; /* the attribute is a regex on header names */
    const char *regex;       /* the value pattern as written */
    const mh_regex *re;      /* ... compiled, or NULL when `substring` is used */
    const char *substring;   /* a pattern without regex syntax: plain search */
    int icase;
    se_feature *features;
    int nfeatures, cap;
} se_entry;

typedef struct se_list {
    se_entry **items;
    int n, cap;
} se_list;

/* Server-wide entries run in post_read_request; those of <Directory> and
 * <Location> in header_parser. Both kinds are this struct. */
typedef struct se_conf {
    se_list entries;
} se_conf;

/* ---- setenvif_config.c -------------------------------------------------- */
extern const mh_command se_commands[];
void *se_create_config(mh_pool *p, const char *section);
void *se_create_server_config(mh_pool *p);
void *se_merge_config(mh_pool *p, const void *base, const void *add);

/* ---- setenvif_match.c --------------------------------------------------- */
void se_match(mh_request *r, const se_list *list);

#endif
