/*
 * mod_deflate: the DEFLATE output filter, as Apache 2.4's. Added by
 * SetOutputFilter DEFLATE or AddOutputFilterByType DEFLATE type...
 * (mod_filter), it gzips the body for clients whose Accept-Encoding takes
 * gzip. Compression is CPU work only: the module is MH_MODULE_NONBLOCKING.
 *
 * Like Apache's, it leaves alone a body that ends within its first 68 bytes
 * (gzip would only make it longer): it holds that much back before it
 * decides, and the headers stay unsent until it has.
 */
#include <string.h>

#include "deflate.h"

const mh_api *df_api;

/* Apache's limit: gzip header (10), trailer (8), and 50 for the headers it adds. */
#define DF_SMALL (10 + 8 + 50)

enum df_state { DF_DECIDING, DF_COMPRESSING };

typedef struct df_ctx {
    int state;
    size_t held_len;
    char held[DF_SMALL]; /* the start of the body, while deciding */
    df_stream stream;
} df_ctx;

/* Not compressing after all: out of the way, with what was held back. */
static int pass_plain(mh_filter *f, df_ctx *ctx, const char *data, size_t n, int eos)
{
    df_api->filter_remove(f);
    if (ctx->held_len && df_api->filter_pass(f, ctx->held, ctx->held_len, 0) != 0) return -1;
    return df_api->filter_pass(f, data, n, eos);
}

/* HEAD: the headers a GET would get, and no work. The core would announce
 * "Content-Length: 0" for a length left unknown at the end, so the headers
 * go out now, without one, as for a GET they would (chunked). */
static int head_only(mh_filter *f, mh_request *r, const df_config *c, const char *encoding)
{
    df_set_headers(r, c, encoding);
    df_api->filter_remove(f);
    df_api->flush(r);
    return df_api->filter_pass(f, NULL, 0, 1);
}

static int decide(mh_filter *f, mh_request *r, df_ctx *ctx, const char *data, size_t n, int eos)
{
    const df_config *c = df_config_of(r);
    const char *encoding;
    if (!df_should_compress(r, &encoding)) return pass_plain(f, ctx, data, n, eos);
    if (df_api->header_only(r)) return head_only(f, r, c, encoding);
    if (df_stream_open(&ctx->stream, r, c) != 0) return pass_plain(f, ctx, data, n, eos);
    df_set_headers(r, c, encoding);
    ctx->state = DF_COMPRESSING;
    if (df_stream_write(&ctx->stream, f, ctx->held, ctx->held_len) != 0) return -1;
    if (df_stream_write(&ctx->stream, f, data, n) != 0) return -1;
    return eos ? df_stream_finish(&ctx->stream, f) : 0;
}

/* [worker] */
static int deflate_filter(mh_filter *f, mh_request *r, const char *data, size_t n, int eos)
{
    df_ctx *ctx = df_api->filter_ctx(f);
    if (ctx == NULL) {
        ctx = df_api->pcalloc(df_api->request_pool(r), sizeof *ctx);
        df_api->filter_set_ctx(f, ctx);
    }
    if (ctx->state == DF_COMPRESSING) {
        if (df_stream_write(&ctx->stream, f, data, n) != 0) return -1;
        return eos ? df_stream_finish(&ctx->stream, f) : 0;
    }
    /* HEAD brings no body to measure: the headers decide alone. */
    if (!df_api->header_only(r) && ctx->held_len + n <= DF_SMALL) {
        if (eos) {
            df_api->log_error(&deflate_module, MH_LOG_TRACE1, 0, NULL, r,
                              "Not compressing very small response of %zu bytes", ctx->held_len + n);
            return pass_plain(f, ctx, data, n, eos);
        }
        memcpy(ctx->held + ctx->held_len, data, n);
        ctx->held_len += n;
        return 0;
    }
    return decide(f, r, ctx, data, n, eos);
}

/* [master] */
static void register_hooks(const mh_api *api, const mh_module *self)
{
    df_api = api;
    api->register_output_filter(self, "DEFLATE", deflate_filter, MH_FILTER_CONTENT);
}

MH_DECLARE_MODULE(deflate_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NONBLOCKING,
    df_commands,
    NULL, NULL, /* no per-directory config: Apache's directives are server-wide */
    df_create_server_config,
    register_hooks,
    NULL, /* not an MPM */
};
