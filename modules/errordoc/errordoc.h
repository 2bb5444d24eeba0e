/*
 * mod_errordoc internals, shared by its files (hidden visibility: the one
 * exported symbol is errordoc_module, in mod_errordoc.c).
 *
 *   mod_errordoc.c      descriptor; the error_response hook
 *   errordoc_config.c   ErrorDocument and the per-directory config
 *   errordoc_respond.c  the three answers: a local page, a redirect, a text
 *
 * Every function runs [worker] unless marked [master].
 */
#ifndef MOD_ERRORDOC_H
#define MOD_ERRORDOC_H

#include <modhttpd/modhttpd.h>

MH_EXPORT extern const mh_module errordoc_module;
extern const mh_api *ed_api; /* kept by register_hooks */

/* What ErrorDocument names, told apart as Apache does. */
typedef enum ed_kind {
    ED_TEXT,   /* a message: sent as the body */
    ED_LOCAL,  /* "/path": served by an internal redirect */
    ED_REMOTE, /* "http://...": a 302 to it */
    ED_DEFAULT /* "default": the built-in page again */
} ed_kind;

typedef struct ed_entry {
    int status;
    ed_kind kind;
    const char *value;
    struct ed_entry *next;
} ed_entry;

/* A scope's ErrorDocuments; the first entry for a status wins, so the
 * latest line of a scope and the innermost scope come first. */
typedef struct ed_dir_config {
    ed_entry *entries;
} ed_dir_config;

/* ---- errordoc_config.c -------------------------------------------------- */
extern const mh_command ed_commands[];
void *ed_create_dir_config(mh_pool *p, const char *section);               /* [master] */
void *ed_merge_dir_config(mh_pool *p, const void *base, const void *add);  /* [master] or [worker] */
/* The entry in force for `status`, or NULL. */
const ed_entry *ed_lookup(const ed_dir_config *d, int status);

/* ---- errordoc_respond.c ------------------------------------------------- */
/* Each returns what the hook returns: MH_OK once the answer is made,
 * MH_DECLINED for the core's own page, MH_WOULD_BLOCK to be called again
 * on a worker thread. */
int ed_serve_local(mh_request *r, int status, const char *uri);
int ed_send_redirect(mh_request *r, const char *url);
int ed_send_text(mh_request *r, int status, const char *text);

#endif
