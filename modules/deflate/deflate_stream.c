/*
 * The compressed body: raw deflate between a gzip header and trailer of our
 * own (RFC 1952), byte for byte what Apache sends: no file name, mtime 0,
 * OS "Unix". Output leaves in buffers of DeflateBufferSize; a body whose
 * output fits in the first one leaves at the end, all at once and with a
 * Content-Length, as Apache's content-length filter gives it one.
 */
#include <string.h>

#include "deflate.h"

#define GZIP_HEADER 10
#define GZIP_TRAILER 8

static const unsigned char gzip_header[GZIP_HEADER] = {0x1f, 0x8b, Z_DEFLATED, 0, 0, 0, 0, 0, 0, 3};

/* The pool's end frees zlib's state, whatever ended the request. */
static void stream_cleanup(void *data)
{
    df_stream *s = data;
    if (s->open) deflateEnd(&s->zs);
    s->open = 0;
}

int df_stream_open(df_stream *s, mh_request *r, const df_config *c)
{
    memset(s, 0, sizeof *s);
    s->r = r;
    s->c = c;
    s->size = c->buffer_size;
    int rc = deflateInit2(&s->zs, c->level, Z_DEFLATED, -c->window_bits, c->mem_level, Z_DEFAULT_STRATEGY);
    if (rc != Z_OK) {
        df_api->log_error(&deflate_module, MH_LOG_ERR, 0, NULL, r,
                          "AH01383: unable to init Zlib: deflateInit2 returned %d: URL %s", rc,
                          df_api->request_path(r));
        return -1;
    }
    s->open = 1;
    df_api->pool_cleanup(df_api->request_pool(r), stream_cleanup, s);
    s->buf = df_api->palloc(df_api->request_pool(r), GZIP_HEADER + s->size + GZIP_TRAILER);
    memcpy(s->buf, gzip_header, GZIP_HEADER);
    s->crc = crc32(0L, Z_NULL, 0);
    s->zs.next_out = s->buf + GZIP_HEADER;
    s->zs.avail_out = (uInt)s->size;
    return 0;
}

static void put_le32(unsigned char *p, unsigned long v)
{
    for (int i = 0; i < 4; ++i) p[i] = (unsigned char)(v >> (8 * i));
}

/* Hands on what the buffer holds (the header before the first output, the
 * trailer with the end) and empties it. */
static int emit(df_stream *s, mh_filter *f, int eos)
{
    size_t used = s->size - s->zs.avail_out;
    unsigned char *start = s->passed ? s->buf + GZIP_HEADER : s->buf;
    size_t n = used + (s->passed ? 0 : GZIP_HEADER);
    if (eos) {
        put_le32(s->buf + GZIP_HEADER + used, s->crc);
        put_le32(s->buf + GZIP_HEADER + used + 4, s->zs.total_in);
        n += GZIP_TRAILER;
        if (!s->passed) df_api->set_content_length(s->r, (int64_t)n);
    } else if (used == 0) {
        return 0;
    }
    s->passed = 1;
    s->zs.next_out = s->buf + GZIP_HEADER;
    s->zs.avail_out = (uInt)s->size;
    return df_api->filter_pass(f, (const char *)start, n, eos);
}

/* Logs a zlib failure in Apache's words; -1 aborts the response. */
static int zlib_failed(df_stream *s, int rc, int finishing)
{
    const char *msg = s->zs.msg ? s->zs.msg : "no message";
    if (finishing)
        df_api->log_error(&deflate_module, MH_LOG_ERR, 0, NULL, s->r,
                          "AH01385: Zlib error %d flushing zlib output buffer (%s)", rc, msg);
    else
        df_api->log_error(&deflate_module, MH_LOG_ERR, 0, NULL, s->r, "AH01386: Zlib error %d deflating data (%s)",
                          rc, msg);
    return -1;
}

int df_stream_write(df_stream *s, mh_filter *f, const char *data, size_t n)
{
    /* zlib counts input in uInt: feed a huge piece in slices. */
    while (n > 0) {
        uInt piece = n > (1u << 30) ? (1u << 30) : (uInt)n;
        s->crc = crc32(s->crc, (const Bytef *)data, piece);
        s->zs.next_in = (Bytef *)(uintptr_t)data;
        s->zs.avail_in = piece;
        while (s->zs.avail_in > 0) {
            int rc = deflate(&s->zs, Z_NO_FLUSH);
            if (rc != Z_OK) return zlib_failed(s, rc, 0);
            if (s->zs.avail_out == 0 && emit(s, f, 0) != 0) return -1;
        }
        data += piece;
        n -= piece;
    }
    return 0;
}

static void leave_notes(df_stream *s)
{
    const df_config *c = s->c;
    mh_pool *p = df_api->request_pool(s->r);
    mh_table *notes = df_api->notes(s->r);
    unsigned long in = s->zs.total_in, out = s->zs.total_out;
    if (c->note_input) df_api->table_set(notes, c->note_input, in ? df_api->psprintf(p, "%lu", in) : "-");
    if (c->note_output) df_api->table_set(notes, c->note_output, in ? df_api->psprintf(p, "%lu", out) : "-");
    if (c->note_ratio)
        df_api->table_set(notes, c->note_ratio, in ? df_api->psprintf(p, "%d", (int)(out * 100 / in)) : "-");
}

int df_stream_finish(df_stream *s, mh_filter *f)
{
    s->zs.next_in = Z_NULL;
    s->zs.avail_in = 0;
    for (;;) {
        int rc = deflate(&s->zs, Z_FINISH);
        if (rc == Z_STREAM_END) break;
        if (rc != Z_OK) return zlib_failed(s, rc, 1);
        if (emit(s, f, 0) != 0) return -1; /* Z_OK: it wants more room */
    }
    df_api->log_error(&deflate_module, MH_LOG_DEBUG, 0, NULL, s->r, "AH01384: Zlib: Compressed %lu to %lu : URL %s",
                      (unsigned long)s->zs.total_in, (unsigned long)s->zs.total_out, df_api->request_path(s->r));
    leave_notes(s);
    int rv = emit(s, f, 1);
    stream_cleanup(s);
    return rv;
}
