/*
 * ErrorDocument error-code document, as Apache 2.4's core reads it: which
 * codes it takes, how it tells a text from a path from a URL, the 401 rule,
 * "default". Per directory, inner scopes over outer ones, code by code.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "errordoc.h"

/* The codes Apache has a status line for (ap_index_of_response); others
 * are refused, as Apache does. */
static int known_status(int s)
{
    static const short ranges[][2] = {
        {100, 103}, {200, 208}, {226, 226}, {300, 305}, {307, 308}, {400, 417}, {421, 424},
        {426, 426}, {428, 429}, {431, 431}, {451, 451}, {500, 508}, {510, 511},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; ++i)
        if (s >= ranges[i][0] && s <= ranges[i][1]) return 1;
    return 0;
}

/* Apache's ap_is_url: a scheme and ':'. */
static int is_url(const char *s)
{
    size_t i = 0;
    for (; s[i] != ':'; ++i)
        if (s[i] == '\0' || (!isalnum((unsigned char)s[i]) && !strchr("+-.", s[i]))) return 0;
    return i > 0;
}

/* [master] */
static const char *set_error_document(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    if (!MH_ABI_AT_LEAST(ed_api, 1, 2)) return "ErrorDocument needs a server with module ABI 1.2";
    ed_dir_config *d = dir;
    /* atoi, as Apache: "404x" is 404, "abc" is refused. */
    int status = atoi(argv[0]);
    if (!known_status(status)) return ed_api->psprintf(cmd->pool, "Unsupported HTTP response code %s", argv[0]);

    const char *msg = argv[1];
    ed_kind kind = strchr(msg, ' ') ? ED_TEXT : msg[0] == '/' ? ED_LOCAL : is_url(msg) ? ED_REMOTE : ED_TEXT;
    if (status == 401 && kind == ED_REMOTE) {
        /* A redirect would lose the challenge: Apache ignores the line. */
        ed_api->log_error(&errordoc_module, MH_LOG_NOTICE, 0, cmd->server, NULL,
                          "AH00113: %s:%u cannot use a full URL in a 401 ErrorDocument directive --- ignoring!",
                          cmd->file, cmd->line);
        return NULL;
    }
    if (strcasecmp(msg, "default") == 0) kind = ED_DEFAULT;
    /* Apache evaluates the value as an expression; here it is taken as
     * written, so a variable in it would be sent as is: refuse it. */
    if (kind != ED_DEFAULT && strstr(msg, "%{"))
        return ed_api->psprintf(cmd->pool, "Cannot parse expression in ErrorDocument: %%{...} variables are not "
                                "supported: %s", msg);

    ed_entry *e = ed_api->pcalloc(cmd->pool, sizeof *e);
    e->status = status;
    e->kind = kind;
    e->value = msg;
    e->next = d->entries; /* a later line for the same code wins */
    d->entries = e;
    return NULL;
}

const mh_command ed_commands[] = {
    {"ErrorDocument", set_error_document, 0, MH_WHERE_ANY, MH_TAKE2, "Change responses for HTTP errors"},
    MH_COMMAND_END,
};

/* [master] */
void *ed_create_dir_config(mh_pool *p, const char *section)
{
    (void)section;
    return ed_api->pcalloc(p, sizeof(ed_dir_config));
}

/* The inner scope's entries, then the outer ones (shared: never changed
 * once the configuration is read). */
void *ed_merge_dir_config(mh_pool *p, const void *base_v, const void *add_v)
{
    const ed_dir_config *base = base_v, *add = add_v;
    ed_dir_config *d = ed_api->pcalloc(p, sizeof *d);
    ed_entry **tail = &d->entries;
    for (const ed_entry *e = add->entries; e; e = e->next) {
        ed_entry *copy = ed_api->palloc(p, sizeof *copy);
        *copy = *e;
        *tail = copy;
        tail = &copy->next;
    }
    *tail = base->entries;
    return d;
}

const ed_entry *ed_lookup(const ed_dir_config *d, int status)
{
    for (const ed_entry *e = d ? d->entries : NULL; e; e = e->next)
        if (e->status == status) return e;
    return NULL;
}
