/*
 * mod_alias internals, shared by its files (hidden visibility: the one
 * exported symbol is alias_module, in mod_alias.c).
 *
 *   mod_alias.c      descriptor; translate_name (server-wide Redirect*,
 *                    Alias*) and fixups (Redirect* of <Directory>/<Location>)
 *   alias_config.c   the directives and the two configs
 *   alias_match.c    Apache's prefix rule, $N substitution, the rule lists
 *   alias_url.c      escaping, the server's own URL, the Location header
 *
 * Every function runs [worker] unless marked [master].
 */
#ifndef MOD_ALIAS_H
#define MOD_ALIAS_H

#include <modhttpd/modhttpd.h>

MH_EXPORT extern const mh_module alias_module;
extern const mh_api *al_api; /* kept by register_hooks */

/* One Alias, AliasMatch, ScriptAlias*, Redirect* line. Lists are kept in
 * configuration order: the first rule that matches wins, as in Apache. */
typedef struct al_rule {
    const char *fake;      /* URL-path prefix, or the pattern as written */
    const char *real;      /* file path or URL; NULL for a status without URL (410) */
    const mh_regex *regex; /* *Match forms */
    const char *handler;   /* "cgi-script" for ScriptAlias*, else NULL */
    int status;            /* Redirect*: the status; Alias*: 0 */
    struct al_rule *next;
} al_rule;

/* Server context: Alias* always, Redirect* written outside sections.
 * Both are tried in translate_name, redirects first. */
typedef struct al_server_config {
    al_rule *aliases;
    al_rule *redirects;
} al_server_config;

/* <Directory>/<Location>: Redirect* tried in fixups, the section's own
 * rules before those of enclosing ones. A Redirect without URL-path there
 * (Apache's "Redirect [status] URL" form) applies to the whole section. */
typedef struct al_dir_config {
    al_rule *redirects;
    int whole_set;         /* such a Redirect was given */
    int whole_status;
    const char *whole_url; /* NULL with a status alone (gone) */
} al_dir_config;

/* ---- alias_config.c ----------------------------------------------------- */
extern const mh_command al_commands[];
void *al_create_dir_config(mh_pool *p, const char *section);                 /* [master] */
void *al_merge_dir_config(mh_pool *p, const void *base, const void *add);    /* [master] or [worker] */
void *al_create_server_config(mh_pool *p);                                   /* [master] */
void *al_merge_server_config(mh_pool *p, const void *base, const void *add); /* [master] */

/* ---- alias_match.c ------------------------------------------------------ */
/* Apache's alias_matches: how many characters of `uri` the prefix `fake`
 * covers (runs of '/' match runs of '/', the last segment whole), or 0. */
size_t al_prefix_length(const char *uri, const char *fake);
/* The first rule of `list` that matches the request's path, with its
 * target in *target (a file name for Alias*, a URL for Redirect*). */
const al_rule *al_first_match(mh_request *r, const al_rule *list, int redirect, char **target);

/* ---- alias_url.c -------------------------------------------------------- */
/* Apache's ap_is_url: a scheme and ':' ("http:", "mailto:"). */
int al_is_url(const char *s);
/* Apache's ap_os_escape_path (partial): %xx, lower-case, for what may not
 * stand in a path. */
char *al_escape_path(mh_pool *p, const char *s);
/* A URL built by substitution, as Apache re-parses it: the part before
 * '?' escaped (a default port dropped), query and fragment kept as they are. */
char *al_escape_url(mh_pool *p, const char *url);
/* Ends the request with a Redirect's `status`: for 3xx, Location is the
 * target made absolute, with the request's query unless the target has one. */
int al_redirect(mh_request *r, const char *target, int status);

#endif
