/*
 * mod_deflate internals, shared by its files (hidden visibility: the one
 * exported symbol is deflate_module, in mod_deflate.c).
 *
 *   mod_deflate.c      descriptor, the DEFLATE filter: hold, decide, compress
 *   deflate_config.c   Deflate* directives (server-wide, as Apache's)
 *   deflate_decide.c   Apache's reasons not to compress; the headers it sets
 *   deflate_stream.c   the zlib stream with gzip framing
 *
 * Every function runs [worker] unless marked otherwise.
 */
#ifndef MOD_DEFLATE_H
#define MOD_DEFLATE_H

#include <stddef.h>
#include <zlib.h>

#include <modhttpd/modhttpd.h>

MH_EXPORT extern const mh_module deflate_module;
extern const mh_api *df_api; /* kept by register_hooks; valid for the process */

/* ---- deflate_config.c --------------------------------------------------- */
enum df_etag { DF_ETAG_ADD_SUFFIX, DF_ETAG_NO_CHANGE, DF_ETAG_REMOVE };

typedef struct df_config {
    int level;          /* 1..9, or Z_DEFAULT_COMPRESSION */
    int window_bits;    /* 1..15; raw deflate, the gzip framing is ours */
    int mem_level;      /* 1..9 */
    size_t buffer_size; /* bytes of compressed output handed on at a time */
    int etag;           /* enum df_etag */
    const char *note_ratio, *note_input, *note_output; /* DeflateFilterNote */
} df_config;

extern const mh_command df_commands[];
void *df_create_server_config(mh_pool *p);
const df_config *df_config_of(const mh_request *r);

/* ---- deflate_decide.c --------------------------------------------------- */
/* Apache's checks, in its order: 1 to compress, 0 not (logged at trace1).
 * Adds Vary: Accept-Encoding once the decision depends on the request.
 * *encoding is the Content-Encoding already set (or NULL), for
 * df_set_headers. */
int df_should_compress(mh_request *r, const char **encoding);
/* 1 when an Accept-Encoding value takes gzip, 0 when it refuses it
 * (q=0), -1 when it does not name it. */
int df_accept_gzip(const char *accept_encoding);
/* Content-Encoding gzip, no length, no Content-MD5, the ETag changed as
 * DeflateAlterETag says. */
void df_set_headers(mh_request *r, const df_config *c, const char *encoding);

/* ---- deflate_stream.c --------------------------------------------------- */
typedef struct df_stream {
    z_stream zs;
    int open;           /* deflateEnd is owed */
    int passed;         /* output went on: too late to announce a length */
    unsigned long crc;
    unsigned char *buf; /* gzip header, buffer_size of output, trailer */
    size_t size;        /* buffer_size */
    const df_config *c;
    mh_request *r;
} df_stream;

/* 0, or -1 when zlib refuses the configuration (logged; send it plain). */
int df_stream_open(df_stream *s, mh_request *r, const df_config *c);
/* Compresses n bytes, handing full buffers on to the next filter; 0 or -1. */
int df_stream_write(df_stream *s, mh_filter *f, const char *data, size_t n);
/* The rest, the trailer and the end; 0 or -1. */
int df_stream_finish(df_stream *s, mh_filter *f);

#endif
