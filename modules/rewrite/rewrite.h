/*
 * mod_rewrite internals, shared by its files (hidden visibility: the one
 * exported symbol is rewrite_module, in mod_rewrite.c).
 *
 *   mod_rewrite.c      descriptor; the hooks: translate_name (server
 *                      context), fixups and the redirect handler
 *                      (per-directory context), type_checker ([T], [H])
 *   rewrite_config.c   the directives and the two configs
 *   rewrite_parse.c    Apache's argument line and [flags] parsers
 *   rewrite_engine.c   a rule list applied to the URL: matching, conditions,
 *                      substitution, the query string, the prefixes
 *   rewrite_cond.c     one RewriteCond: regex, file tests, comparisons
 *   rewrite_vars.c     %{VARIABLE} and the expansion of $N, %N, %{...}
 *   rewrite_result.c   what a rewritten URL becomes: a redirect's Location,
 *                      a file, a URL-path
 *
 * Every function runs [worker] unless marked [master].
 */
#ifndef MOD_REWRITE_H
#define MOD_REWRITE_H

#include <modhttpd/modhttpd.h>

MH_EXPORT extern const mh_module rewrite_module;
extern const mh_api *rw_api; /* kept by register_hooks */

/* RewriteCond flags and what the pattern says. */
#define RW_CF_NOCASE 0x1u /* [NC] */
#define RW_CF_OR 0x2u     /* [OR] */
#define RW_CF_NOVARY 0x4u /* [NV] */
#define RW_CF_NOT 0x8u    /* '!' before the pattern */

enum rw_cond_type {
    RW_COND_REGEX, RW_COND_FILE, RW_COND_SIZE, RW_COND_DIR, RW_COND_LINK, RW_COND_XBIT,
    RW_COND_STR_EQ, RW_COND_STR_LT, RW_COND_STR_LE, RW_COND_STR_GT, RW_COND_STR_GE
};

typedef struct rw_cond {
    const char *input;     /* TestString, expanded for each request */
    const char *pattern;   /* what is compared, without '!' and operator */
    const mh_regex *regex; /* RW_COND_REGEX */
    int type;              /* enum rw_cond_type */
    unsigned flags;        /* RW_CF_* */
    struct rw_cond *next;
} rw_cond;

/* RewriteRule flags. */
#define RW_RF_LAST 0x1u        /* [L] */
#define RW_RF_END 0x2u         /* [END] */
#define RW_RF_CHAIN 0x4u       /* [C] */
#define RW_RF_NOCASE 0x8u      /* [NC] */
#define RW_RF_NOESCAPE 0x10u   /* [NE] */
#define RW_RF_QSAPPEND 0x20u   /* [QSA] */
#define RW_RF_QSDISCARD 0x40u  /* [QSD] */
#define RW_RF_QSLAST 0x80u     /* [QSL] */
#define RW_RF_REDIRECT 0x100u  /* [R] */
#define RW_RF_STATUS 0x200u    /* [F], [G], [R=4xx]: answer with a status */
#define RW_RF_NOSUB 0x400u     /* substitution "-" (or a status) */
#define RW_RF_PASSTHROUGH 0x800u /* [PT] */
#define RW_RF_NEXT 0x1000u     /* [N] */
#define RW_RF_NOTMATCH 0x2000u /* '!' before the pattern */
#define RW_RF_DISCARDPATH 0x4000u /* [DPI] */

typedef struct rw_item {
    const char *text;
    struct rw_item *next;
} rw_item;

typedef struct rw_rule {
    const char *pattern;   /* as written, for messages */
    const mh_regex *regex;
    const char *output;    /* the substitution */
    unsigned flags;        /* RW_RF_* */
    int status;            /* [R=...] (302 by default), [F] 403, [G] 410 */
    int skip;              /* [S=n] */
    int max_rounds;        /* [N=n], 10000 by default as Apache's */
    const char *type;      /* [T=...] */
    const char *handler;   /* [H=...] */
    rw_item *env;          /* [E=...], in order */
    rw_cond *conds;        /* the RewriteCond lines before it */
} rw_rule;

typedef struct rw_rules {
    const rw_rule **v;
    int n;
} rw_rules;

#define RW_OPT_INHERIT 0x1u

/* Server context (a <VirtualHost> has its own): the rules run in
 * translate_name against the URL-path. */
typedef struct rw_server_config {
    int engine;              /* RewriteEngine On */
    unsigned options;        /* RW_OPT_* */
    rw_rules rules;
    rw_cond *pending;        /* RewriteCond lines waiting for their rule */
    const mh_server *server; /* whose directives filled it (Apache's conf->server) */
} rw_server_config;

/* <Directory>/<Location>: the rules run in fixups against the file name,
 * the section's path taken off first. */
typedef struct rw_dir_config {
    int engine, engine_set;
    unsigned options;
    int options_set;
    const char *base;      /* RewriteBase */
    const char *directory; /* the section's path with a trailing '/'; NULL server-wide */
    rw_rules rules;
    rw_cond *pending;
} rw_dir_config;

/* One run of a rule list over a request. */
typedef struct rw_ctx {
    mh_request *r;
    mh_pool *p;
    const char *perdir;     /* the directory prefix, NULL in server context */
    const char *filename;   /* the URL (or file) as rewritten so far: Apache's r->filename */
    const char *query;      /* the query as rewritten so far: Apache's r->args */
    const char *path_info;  /* in a directory: matched after the file name */
    const char *uri;        /* what the current rule's pattern was applied to */
    const char *rr_source;  /* $N: the rule's match */
    mh_regmatch rr[MH_REGEX_MAX_MATCH];
    const char *rc_source;  /* %N: the last matched condition's */
    mh_regmatch rc[MH_REGEX_MAX_MATCH];
    char *vary;             /* request headers the matched conditions read */
    char *vary_this;        /* ... the current condition */
    const char *orig_query; /* the request's query, before the rules */
    int status;             /* the status a rule set ([R=], [F], [G]) */
    int uri_reduced;        /* a full URL to this server was made a path */
    int passthrough;        /* [PT]: the result goes on to the URL mapping */
} rw_ctx;

/* What a rule list did (Apache's ACTION_*). */
#define RW_UNCHANGED 0
#define RW_CHANGED 1
#define RW_CHANGED_NOESCAPE 2
#define RW_STATUS 3

/* Notes between the hooks of one request. */
#define RW_NOTE_END "rewrite-end"            /* [END] seen: no more rewriting */
#define RW_NOTE_TYPE "rewrite-forced-type"   /* [T] */
#define RW_NOTE_HANDLER "rewrite-forced-handler" /* [H] */
#define RW_REDIRECT_HANDLER "redirect-handler"   /* Apache's name */

/* ---- rewrite_config.c --------------------------------------------------- */
extern const mh_command rw_commands[];
void *rw_create_dir_config(mh_pool *p, const char *section);                 /* [master] */
void *rw_merge_dir_config(mh_pool *p, const void *base, const void *add);    /* [master] or [worker] */
void *rw_create_server_config(mh_pool *p);                                   /* [master] */
void *rw_merge_server_config(mh_pool *p, const void *base, const void *add); /* [master] */

/* ---- rewrite_parse.c ---------------------------------------------------- */
/* Apache's parseargline: two or three words, quotes and "\ " honoured;
 * the words are cut out of `line` (a copy). 0, or -1 for fewer than two. [master] */
int rw_split_args(char *line, char **a1, char **a2, char **a3);
/* "[flag,flag=value,...]": calls set(data, key, value) for each; NULL or
 * the error (Apache's words). [master] */
const char *rw_parse_flags(mh_pool *p, char *field, void *data,
                           const char *(*set)(mh_pool *, void *, char *, char *));
const char *rw_cond_flag(mh_pool *p, void *cond, char *key, char *val);  /* [master] */
const char *rw_rule_flag(mh_pool *p, void *rule, char *key, char *val);  /* [master] */

/* ---- rewrite_engine.c --------------------------------------------------- */
/* Applies `rules` to ctx->filename: RW_UNCHANGED, RW_CHANGED(_NOESCAPE) or
 * RW_STATUS (ctx->status). ctx->filename and ctx->query hold the result. */
int rw_apply_rules(rw_ctx *ctx, const rw_rules *rules);
/* Apache's is_absolute_uri: the length of "scheme:" or "scheme://" when
 * `s` starts with a known one, else 0; *query_ok whether a query may follow. */
int rw_absolute_uri(const char *s, int *query_ok);

/* ---- rewrite_cond.c ----------------------------------------------------- */
int rw_cond_matches(rw_ctx *ctx, const rw_cond *c);

/* ---- rewrite_vars.c ----------------------------------------------------- */
/* `tmpl` with \c, $N, %N and %{VARIABLE} replaced. */
char *rw_expand(rw_ctx *ctx, const char *tmpl);

/* ---- rewrite_result.c --------------------------------------------------- */
/* The response to a rewrite to an absolute URL: Location (escaped unless
 * [NE], with the query), the status; returns it. */
int rw_redirect(rw_ctx *ctx, int action);
/* Apache's subst_prefix_path: `input` with the prefix `match` (a directory,
 * '/' ended) replaced by `subst`, or `input` itself when it does not start so. */
const char *rw_replace_prefix(mh_pool *p, const char *input, const char *match, const char *subst);
/* Whether the first segment of `path` exists on disk (Apache's prefix_stat):
 * then a result is a file name, otherwise a URL-path. */
int rw_first_segment_exists(mh_pool *p, const char *path);

#endif
