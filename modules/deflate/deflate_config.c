/*
 * DeflateCompressionLevel, DeflateWindowSize, DeflateMemLevel,
 * DeflateBufferSize, DeflateAlterETag and DeflateFilterNote: server-wide
 * only, with Apache's defaults, ranges and messages. Numbers are read as
 * Apache's atoi() reads them ("9x" is 9).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <strings.h>

#include "deflate.h"

#define DF_MAX_BUFFER (1L << 30) /* zlib counts output in 32 bits; this is per request */

static const df_config defaults = {
    Z_DEFAULT_COMPRESSION, 15, 9, 8096, DF_ETAG_ADD_SUFFIX, NULL, NULL, NULL,
};

/* [master] */
void *df_create_server_config(mh_pool *p)
{
    df_config *c = df_api->palloc(p, sizeof *c);
    *c = defaults;
    return c;
}

const df_config *df_config_of(const mh_request *r)
{
    const df_config *c = df_api->server_config(df_api->request_server(r), &deflate_module);
    return c ? c : &defaults;
}

/* atoi() without its undefined overflow: out of range reads as LONG_MIN. */
static long number(const char *s)
{
    errno = 0;
    long n = strtol(s, NULL, 10);
    return errno ? LONG_MIN : n;
}

static df_config *config(const mh_cmd_parms *cmd) { return cmd->server_config; }

/* [master] The setters below; `data` is unused, the config is the server's. */
static const char *set_level(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir;
    (void)argc;
    long n = number(argv[0]);
    if (n < 1 || n > 9) return "Compression Level must be between 1 and 9";
    config(cmd)->level = (int)n;
    return NULL;
}

static const char *set_window(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir;
    (void)argc;
    long n = number(argv[0]);
    if (n < 1 || n > 15) return "DeflateWindowSize must be between 1 and 15";
    config(cmd)->window_bits = (int)n;
    return NULL;
}

static const char *set_mem_level(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir;
    (void)argc;
    long n = number(argv[0]);
    if (n < 1 || n > 9) return "DeflateMemLevel must be between 1 and 9";
    config(cmd)->mem_level = (int)n;
    return NULL;
}

static const char *set_buffer(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir;
    (void)argc;
    long n = number(argv[0]);
    if (n == LONG_MIN || n > DF_MAX_BUFFER) return "DeflateBufferSize must be at most 1073741824";
    if (n <= 0) return "DeflateBufferSize should be positive";
    config(cmd)->buffer_size = (size_t)n;
    return NULL;
}

static const char *set_etag(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir;
    (void)argc;
    df_config *c = config(cmd);
    if (strcasecmp(argv[0], "NoChange") == 0) c->etag = DF_ETAG_NO_CHANGE;
    else if (strcasecmp(argv[0], "AddSuffix") == 0) c->etag = DF_ETAG_ADD_SUFFIX;
    else if (strcasecmp(argv[0], "Remove") == 0) c->etag = DF_ETAG_REMOVE;
    else return "DeflateAlterETAG accepts only 'NoChange', 'AddSuffix', and 'Remove'";
    return NULL;
}

/* DeflateFilterNote [ratio|input|output] name */
static const char *set_note(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir;
    df_config *c = config(cmd);
    if (argc == 1) c->note_ratio = argv[0];
    else if (strcasecmp(argv[0], "ratio") == 0) c->note_ratio = argv[1];
    else if (strcasecmp(argv[0], "input") == 0) c->note_input = argv[1];
    else if (strcasecmp(argv[0], "output") == 0) c->note_output = argv[1];
    else return df_api->psprintf(cmd->pool, "Unknown note type %s", argv[0]);
    return NULL;
}

const mh_command df_commands[] = {
    {"DeflateFilterNote", set_note, 0, MH_WHERE_SERVER, MH_TAKE12, "Set a note to report on compression ratio"},
    {"DeflateWindowSize", set_window, 0, MH_WHERE_SERVER, MH_TAKE1, "Set the Deflate window size (1-15)"},
    {"DeflateBufferSize", set_buffer, 0, MH_WHERE_SERVER, MH_TAKE1, "Set the Deflate Buffer Size"},
    {"DeflateMemLevel", set_mem_level, 0, MH_WHERE_SERVER, MH_TAKE1, "Set the Deflate Memory Level (1-9)"},
    {"DeflateCompressionLevel", set_level, 0, MH_WHERE_SERVER, MH_TAKE1, "Set the Deflate Compression Level (1-9)"},
    {"DeflateAlterETag", set_etag, 0, MH_WHERE_SERVER, MH_TAKE1,
     "Set how mod_deflate should modify ETAG response headers: 'AddSuffix' (default), 'NoChange' (2.2.x behavior), "
     "'Remove'"},
    MH_COMMAND_END,
};
