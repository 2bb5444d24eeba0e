/*
 * mod_static internals, shared by its files. Nothing declared here leaves
 * the shared object (hidden visibility): the one exported symbol is
 * static_module, in mod_static.c.
 *
 *   mod_static.c       descriptor, handler entry, URL -> file or directory
 *   static_open.c      opening under DocumentRoot and the symlink policy
 *   static_file.c      one regular file: methods, validators, full body
 *   static_cond.c      If-Match / If-None-Match / If-*-Since (RFC 9110 13)
 *   static_range.c     Range / If-Range: 206, multipart/byteranges, 416
 *   static_listing.c   Options Indexes: the HTML directory listing
 *   static_autoindex.c the listing as mod_autoindex's directives shape it
 *   static_config.c    MaxRanges
 *
 * Every function here runs [worker] unless marked otherwise.
 */
#ifndef MOD_STATIC_H
#define MOD_STATIC_H

#include <stdint.h>
#include <sys/stat.h>

#include <modhttpd/modhttpd.h>

MH_EXPORT extern const mh_module static_module;
extern const mh_api *st_api; /* kept by register_hooks; valid for the process */

/* ServerSignature's line (api 1.2), or "" from an older server. */
static inline const char *st_signature(mh_request *r, const char *prefix)
{
    return MH_API_HAS(st_api, server_signature) ? st_api->server_signature(r, prefix) : "";
}

/* ---- static_config.c ---------------------------------------------------- */
#define ST_RANGES_UNSET (-2)
#define ST_RANGES_UNLIMITED (-1)
#define ST_RANGES_DEFAULT 200 /* Apache's MaxRanges default */

typedef struct st_dir_config {
    int max_ranges; /* 0 ignores Range, -1 unlimited */
} st_dir_config;

extern const mh_command st_commands[];
void *st_create_dir_config(mh_pool *p, const char *section);
void *st_merge_dir_config(mh_pool *p, const void *base, const void *add);
int st_max_ranges(const mh_request *r);

/* ---- static_open.c ------------------------------------------------------ */
/* Each returns 0 with *fd open, or an HTTP status (logged) with *fd = -1.
 * Files are opened O_NONBLOCK so that a FIFO cannot hang the worker; the
 * caller fstat()s and refuses what is neither a file nor a directory. */
int st_open_path(mh_request *r, const char *filename, int *fd);
/* `name` inside the open directory `dirfd` (DirectoryIndex). Returns
 * MH_DECLINED, without logging, when there is no such file. */
int st_open_at(mh_request *r, int dirfd, const char *dirname, const char *name, int *fd);

/* ---- static_cond.c ------------------------------------------------------ */
/* The request headers this module reads, collected in one pass. List
 * headers sent twice are joined; a repeated single-value header is
 * recorded as `*_repeated` and then ignored, as RFC 9110 says. */
typedef struct st_cond {
    const char *if_match, *if_none_match;
    const char *if_modified_since, *if_unmodified_since;
    const char *range, *if_range;
    int range_repeated, if_range_repeated, ims_repeated, ius_repeated;
} st_cond;

/* The validators of one file. */
typedef struct st_validators {
    char etag[48];          /* "size-mtime_us", both hex: Apache's default */
    int64_t last_modified;  /* seconds, never later than `now` */
    int64_t now;
} st_validators;

void st_read_conditions(const mh_request *r, st_cond *c);
void st_make_validators(const struct stat *st, st_validators *v);
/* RFC 9110 13.2.2 steps 1-4: 0 to go on, or 304 / 412. */
int st_preconditions(const st_cond *c, const st_validators *v);
/* If-Range (13.1.5): does the Range still apply? */
int st_if_range_holds(const st_cond *c, const st_validators *v);

/* ---- static_range.c ----------------------------------------------------- */
/* Answers a GET with Range: 206 (one part or multipart/byteranges), or 416.
 * Returns MH_DECLINED when the full 200 should be sent instead (no Range,
 * invalid syntax, If-Range false, too many ranges). */
int st_send_ranges(mh_request *r, int fd, int64_t size, const char *type, const st_cond *c,
                   const st_validators *v);

/* ---- static_file.c ------------------------------------------------------ */
/* The response for the regular file `fd` (not closed here). `name` picks
 * the Content-Type; `own_file`: it is the request's file, which the
 * type_checker phase has typed (not a DirectoryIndex file). */
int st_serve_file(mh_request *r, int fd, const struct stat *st, const char *name, int own_file);
/* GET and HEAD go on (MH_DECLINED); OPTIONS is answered (MH_OK, with
 * Allow); anything else is 405 with Allow. */
int st_answer_method(mh_request *r);

/* ---- static_listing.c --------------------------------------------------- */
/* Options Indexes: the listing of the directory `dirfd`, which this call
 * takes over and closes. */
int st_send_listing(mh_request *r, int dirfd);

/* One listed name. */
typedef struct st_entry {
    const char *name;
    int64_t size, mtime;
    int is_dir;
    const char *description; /* AddDescription (static_autoindex.c), or NULL */
} st_entry;

/* A growing output buffer; `failed` once memory ran out. */
typedef struct st_buf {
    char *p;
    size_t len, cap;
    int failed;
} st_buf;

void st_put(st_buf *b, const char *s, size_t n);
void st_puts(st_buf *b, const char *s);
void st_printf(st_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like apr_strfsize: "512", "1.2K", "34M". */
void st_format_size(char out[24], int64_t n);

/* ---- static_autoindex.c ------------------------------------------------- */
/* With mod_autoindex loaded: its settings (modhttpd/autoindex.h) shape the
 * listing as Apache's mod_autoindex would. `list` is sorted here; the page
 * goes into `b`; *type is the listing's Content-Type. `dirfd` (still
 * open) finds HeaderName and ReadmeName. */
struct mh_autoindex_provider;
void st_autoindex_page(mh_request *r, const struct mh_autoindex_provider *ai, int dirfd, st_entry *list, size_t n,
                       st_buf *b, const char **type);

#endif
