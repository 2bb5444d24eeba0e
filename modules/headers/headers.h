/*
 * mod_headers internals, shared by its files. Nothing declared here leaves
 * the shared object (hidden visibility): the one exported symbol is
 * headers_module, in mod_headers.c.
 *
 *   mod_headers.c      descriptor and the request hooks: when what runs
 *   headers_config.c   Header / RequestHeader parsing, per-dir merge
 *   headers_format.c   value formats: text, \t \n \r, %t %D %{VAR}e ...
 *   headers_apply.c    the actions on a table (Apache's do_headers_fixup)
 *   headers_edit.c     Header edit and edit*: regex replacement, as Apache does
 *   headers_expr*.c    expr=: a subset of Apache's ap_expr (headers_expr.h)
 *
 * Every function here runs [worker] unless marked [master].
 */
#ifndef MOD_HEADERS_H
#define MOD_HEADERS_H

#include <modhttpd/modhttpd.h>

#include "headers_expr.h"

MH_EXPORT extern const mh_module headers_module;
extern const mh_api *hd_api; /* kept by register_hooks; valid for the process */

/* ---- headers_format.c --------------------------------------------------- */
typedef enum hd_part_kind {
    HD_TEXT,     /* literal text */
    HD_TIME,     /* %t: "t=" request start, microseconds since the epoch */
    HD_DURATION, /* %D: "D=" microseconds since the request started */
    HD_ENV,      /* %{NAME}e: subprocess_env, "(null)" when unset */
    HD_SSL,      /* %{NAME}s: no TLS here, so always "(null)" */
    HD_LOAD,     /* %l: "l=" load averages */
    HD_IDLE,     /* %i: "i=" idle workers */
    HD_BUSY      /* %b: "b=" busy workers */
} hd_part_kind;

typedef struct hd_part {
    hd_part_kind kind;
    const char *arg; /* the text, or the variable name */
} hd_part;

typedef struct hd_format {
    int n;
    hd_part *parts;
    int uses_time; /* %t or %D: the request start must be recorded */
} hd_format;

/* [master] Parses `s`; NULL, or Apache's error ("Unrecognized header
 * format %x"). */
const char *hd_parse_format(mh_pool *p, const char *s, hd_format **out);
char *hd_render(mh_request *r, const hd_format *f);

/* ---- headers_config.c --------------------------------------------------- */
typedef enum hd_action {
    HD_ADD, HD_SET, HD_APPEND, HD_MERGE, HD_UNSET, HD_ECHO, HD_EDIT, HD_EDIT_ALL, HD_SETIFEMPTY, HD_NOTE
} hd_action;

typedef enum hd_condition {
    HD_COND_NONE,
    HD_COND_EARLY,   /* "early": post_read_request only */
    HD_COND_ENV,     /* env=VAR: VAR is set */
    HD_COND_NOT_ENV, /* env=!VAR: VAR is not set */
    HD_COND_EXPR     /* expr=... */
} hd_condition;

typedef struct hd_entry {
    hd_action action;
    const char *header;      /* name, cut at a ':' */
    const hd_format *value;  /* value, note name or edit replacement */
    const hd_expr *value_expr; /* instead of `value`: "expr=..." */
    const mh_regex *regex;   /* edit: the match; echo: header names */
    hd_condition condition;
    const char *env;         /* env= variable, without the '!' */
    const hd_expr *expr;     /* expr= condition */
} hd_entry;

typedef struct hd_list {
    const hd_entry **items;
    int n, cap;
} hd_list;

/* Per directory; outside sections, the server-wide defaults. */
typedef struct hd_conf {
    hd_list in;  /* RequestHeader: headers_in */
    hd_list out; /* Header [onsuccess]: headers_out */
    hd_list err; /* Header always: err_headers_out */
} hd_conf;

typedef struct hd_server_conf {
    int wants_start_time; /* some value uses %t or %D */
} hd_server_conf;

extern const mh_command hd_commands[];
void *hd_create_dir_config(mh_pool *p, const char *section);
void *hd_merge_dir_config(mh_pool *p, const void *base, const void *add);
void *hd_create_server_config(mh_pool *p);

/* ---- mod_headers.c ------------------------------------------------------ */
/* The server offers what this module calls (ABI 1.2: tables, filters,
 * regexes). An older one loads it too (same major), so check. */
static inline int hd_abi_ok(void) { return MH_API_HAS(hd_api, regex_substitute); }

/* When the request started, microseconds since the epoch: recorded by the
 * first post_read_request hook (the ABI has no accessor for it). */
int64_t hd_request_time(mh_request *r);

/* ---- headers_apply.c ---------------------------------------------------- */
/* Which table an entry list acts on: the response ones get Apache's
 * Content-Type handling (it is not in the table but a request field). */
typedef enum hd_target { HD_REQUEST, HD_RESPONSE } hd_target;

/* Applies the entries of `list` that belong to this call (the "early" ones
 * when `early`, the others otherwise) to `t`, in order. */
void hd_apply(mh_request *r, mh_table *t, hd_target target, const hd_list *list, int early);

/* ---- headers_edit.c ----------------------------------------------------- */
/* Header edit (edit*: `all`): `value` with the first (every) match of `re`
 * replaced by `tmpl` with its $0..$9 substituted. */
const char *hd_edit_value(mh_request *r, const mh_regex *re, int all, const char *tmpl, const char *value);

#endif
