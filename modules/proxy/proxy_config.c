/*
 * mod_proxy's directives, with Apache 2.4's argument rules and messages,
 * and the server and per-directory configs they fill. All [master] but
 * the merge.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "proxy.h"

/* mh_command.data of ProxyPass / ProxyPassMatch */
#define PX_REGEX 1u

static void append_pass(px_pass **list, px_pass *rule)
{
    while (*list) list = &(*list)->next;
    *list = rule;
}

static void append_reverse(px_reverse **list, px_reverse *rule)
{
    while (*list) list = &(*list)->next;
    *list = rule;
}

/* A whole number of seconds >= 1, as milliseconds; -1 when it is not. */
static int seconds_ms(const char *v)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (end == v || *end != '\0' || n < 1 || n > 86400) return -1;
    return (int)n * 1000;
}

/* "On"/"Off" in any case; -1 for anything else. */
static int on_off(const char *v)
{
    if (strcasecmp(v, "on") == 0) return 1;
    if (strcasecmp(v, "off") == 0) return 0;
    return -1;
}

/* Apache's set_worker_param, for the keys that mean something here. */
static const char *set_param(px_params *p, const char *key, const char *val)
{
    if (strcasecmp(key, "timeout") == 0 || strcasecmp(key, "connectiontimeout") == 0) {
        int ms = seconds_ms(val);
        if (ms < 0) return strcasecmp(key, "timeout") == 0 ? "Timeout must be at least one second"
                                                           : "Connectiontimeout must be at least one second.";
        if (strcasecmp(key, "timeout") == 0) p->timeout_ms = ms;
        else p->connect_timeout_ms = ms;
        return NULL;
    }
    if (strcasecmp(key, "disablereuse") == 0 || strcasecmp(key, "enablereuse") == 0) {
        int on = on_off(val);
        if (on < 0) return strcasecmp(key, "disablereuse") == 0 ? "DisableReuse must be On|Off"
                                                                : "EnableReuse must be On|Off";
        p->reuse = strcasecmp(key, "disablereuse") == 0 ? !on : on;
        return NULL;
    }
    /* Accepted for configurations written for Apache; no effect here (no
     * worker is ever put in an error state, TCP keepalive is not set). */
    if (strcasecmp(key, "retry") == 0 || strcasecmp(key, "keepalive") == 0) return NULL;
    return "unknown Worker parameter";
}

/* ProxyPass [path] url|! [key=value ...] [nocanon]; ProxyPassMatch likewise. */
static const char *set_pass(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    const int regex = (cmd->data & PX_REGEX) != 0;
    const char *name = regex ? "ProxyPassMatch" : "ProxyPass";
    (void)dir;
    int i = 0;
    const char *fake = NULL, *real = NULL;

    if (!MH_ABI_AT_LEAST(px_api, 1, 3)) return "mod_proxy needs a server with module ABI 1.3";
    if (cmd->section) {
        /* In a <Location>: "ProxyPass url", the section is the path. */
        if (argc >= 2 && strchr(argv[1], '=') == NULL && strcasecmp(argv[1], "nocanon") != 0)
            return "ProxyPass|ProxyPassMatch can not have a path when defined in a location.";
        if (regex) return "ProxyPassMatch inside a section is not supported: use it in server context";
        if (argc < 1) return "ProxyPass needs a URL";
        fake = cmd->section;
        real = argv[i++];
    } else {
        if (argc < 2) return "ProxyPass|ProxyPassMatch needs a path when not defined in a location";
        fake = argv[i++];
        real = argv[i++];
    }

    px_pass *rule = px_api->pcalloc(cmd->pool, sizeof *rule);
    rule->params.timeout_ms = rule->params.connect_timeout_ms = rule->params.reuse = -1;
    rule->fake = fake;
    if (strcmp(real, "!") == 0) {
        rule->real = NULL;
    } else {
        if (strstr(real, "://") == NULL)
            return px_api->psprintf(cmd->pool, "%s: '%s' is not a URL (scheme://host[:port]/path)", name, real);
        rule->real = real;
    }
    for (; i < argc; ++i) {
        const char *eq = strchr(argv[i], '=');
        if (eq == NULL) {
            if (strcasecmp(argv[i], "nocanon") == 0) {
                rule->params.nocanon = 1;
                continue;
            }
            return "Invalid ProxyPass parameter. Parameter must be in the form 'key=value'.";
        }
        const char *key = px_api->pstrndup(cmd->pool, argv[i], (size_t)(eq - argv[i]));
        const char *err = set_param(&rule->params, key, eq + 1);
        if (err) return px_api->psprintf(cmd->pool, "%s %s", name, err);
    }
    if (regex) {
        const char *err = NULL;
        rule->regex = px_api->regex_compile(cmd->pool, fake, 0, &err);
        if (rule->regex == NULL) return "Regular expression could not be compiled.";
    }
    if (cmd->section) {
        append_pass(&((px_server_config *)cmd->server_config)->section_passes, rule);
    } else {
        append_pass(&((px_server_config *)cmd->server_config)->passes, rule);
    }
    return NULL;
}

/* ProxyPassReverse [path] url [interpolate] */
static const char *set_reverse(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    px_dir_config *d = dir;
    if (!MH_ABI_AT_LEAST(px_api, 1, 3)) return "mod_proxy needs a server with module ABI 1.3";
    if (argc > 0 && strcasecmp(argv[argc - 1], "interpolate") == 0)
        return "ProxyPassReverse interpolate is not supported";
    px_reverse *rule = px_api->pcalloc(cmd->pool, sizeof *rule);
    if (cmd->section) {
        if (argc != 1) return "ProxyPassReverse can not have a path when defined in a location.";
        rule->fake = cmd->section;
        rule->real = argv[0];
        append_reverse(&d->reverses, rule);
        return NULL;
    }
    if (argc != 2) return "ProxyPassReverse needs a path when not defined in a location";
    rule->fake = argv[0];
    rule->real = argv[1];
    append_reverse(&((px_server_config *)cmd->server_config)->reverses, rule);
    return NULL;
}

static const char *set_timeout(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir, (void)argc;
    int ms = seconds_ms(argv[0]);
    if (ms < 0) return "Proxy Timeout must be at least 1 second.";
    ((px_server_config *)cmd->server_config)->timeout_ms = ms;
    return NULL;
}

/* Forward proxying (Apache's ProxyRequests On) is not offered: an open
 * proxy is a risk, and nothing here would use it. */
static const char *set_requests(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)cmd, (void)dir, (void)argc;
    if (strcmp(argv[0], "On") == 0)
        return "ProxyRequests On is not supported: modhttpd is a reverse proxy only (ProxyPass, "
               "ProxyPassMatch, SetHandler \"proxy:...\"); forward proxying is not offered";
    return NULL;
}

static const char *set_dir_flag(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    *(int *)((char *)dir + cmd->data) = argv[0][1] == 'n';
    return NULL;
}

const mh_command px_commands[] = {
    {"ProxyPass", set_pass, 0, MH_WHERE_ANY, MH_TAKE_ARGV,
     "a virtual path and a URL, or a URL alone in a <Location>, then key=value parameters"},
    {"ProxyPassMatch", set_pass, PX_REGEX, MH_WHERE_SERVER, MH_TAKE_ARGV,
     "a regular expression and a URL, then key=value parameters"},
    {"ProxyPassReverse", set_reverse, 0, MH_WHERE_ANY, MH_TAKE_ARGV,
     "a virtual path and a URL for reverse proxy behaviour"},
    {"ProxyTimeout", set_timeout, 0, MH_WHERE_SERVER, MH_TAKE1, "timeout duration (sec)"},
    {"ProxyRequests", set_requests, 0, MH_WHERE_SERVER, MH_FLAG, "on if the true proxy requests should be accepted"},
    {"ProxyPreserveHost", set_dir_flag, offsetof(px_dir_config, preserve_host), MH_WHERE_ANY, MH_FLAG,
     "on if we should preserve host header while proxying"},
    {"ProxyAddHeaders", set_dir_flag, offsetof(px_dir_config, add_headers), MH_WHERE_ANY, MH_FLAG,
     "on if X-Forwarded-* headers should be added or completed"},
    MH_COMMAND_END};

void *px_create_dir_config(mh_pool *p, const char *section)
{
    px_dir_config *d = px_api->pcalloc(p, sizeof *d);
    d->section = section;
    d->preserve_host = d->add_headers = -1;
    return d;
}

void *px_merge_dir_config(mh_pool *p, const void *base_v, const void *add_v)
{
    const px_dir_config *base = base_v, *add = add_v;
    px_dir_config *d = px_api->palloc(p, sizeof *d);
    d->section = add->section;
    d->reverses = add->reverses ? add->reverses : base->reverses;
    d->preserve_host = add->preserve_host >= 0 ? add->preserve_host : base->preserve_host;
    d->add_headers = add->add_headers >= 0 ? add->add_headers : base->add_headers;
    return d;
}

void *px_create_server_config(mh_pool *p)
{
    px_server_config *sc = px_api->pcalloc(p, sizeof *sc);
    sc->timeout_ms = -1;
    return sc;
}

static px_pass *concat_passes(mh_pool *p, const px_pass *a, const px_pass *b)
{
    px_pass *head = NULL, **tail = &head;
    for (int i = 0; i < 2; ++i)
        for (const px_pass *e = i ? b : a; e; e = e->next) {
            px_pass *copy = px_api->palloc(p, sizeof *copy);
            *copy = *e;
            copy->next = NULL;
            *tail = copy;
            tail = &copy->next;
        }
    return head;
}

static px_reverse *concat_reverses(mh_pool *p, const px_reverse *a, const px_reverse *b)
{
    px_reverse *head = NULL, **tail = &head;
    for (int i = 0; i < 2; ++i)
        for (const px_reverse *e = i ? b : a; e; e = e->next) {
            px_reverse *copy = px_api->palloc(p, sizeof *copy);
            *copy = *e;
            copy->next = NULL;
            *tail = copy;
            tail = &copy->next;
        }
    return head;
}

/* A <VirtualHost> over the main server, as Apache's merge_proxy_config:
 * the main server's rules first, then the vhost's. */
void *px_merge_server_config(mh_pool *p, const void *base_v, const void *add_v)
{
    const px_server_config *base = base_v, *add = add_v;
    px_server_config *sc = px_api->pcalloc(p, sizeof *sc);
    sc->section_passes = concat_passes(p, base->section_passes, add->section_passes);
    sc->passes = concat_passes(p, base->passes, add->passes);
    sc->reverses = concat_reverses(p, base->reverses, add->reverses);
    sc->timeout_ms = add->timeout_ms > 0 ? add->timeout_ms : base->timeout_ms;
    return sc;
}
