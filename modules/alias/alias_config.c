/*
 * The directives of Apache 2.4's mod_alias, with its argument rules and
 * error messages, and the server and per-directory configs they fill.
 * All [master] but the merge.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alias.h"

/* mh_command.data: the default status of a Redirect*, and these flags. */
#define AL_REGEX 0x10000u
#define AL_SCRIPT 0x20000u
#define AL_STATUS(data) ((int)((data) & 0xffffu))

/* The hooks use ABI 1.2 services (regexes, notes, set_handler): on an
 * older server every directive refuses, and the hooks find nothing to do. */
#define NEEDS_1_2(directive)                                                   \
    if (!MH_ABI_AT_LEAST(al_api, 1, 2)) return directive " needs a server with module ABI 1.2"

static void append(al_rule **list, al_rule *rule)
{
    while (*list) list = &(*list)->next;
    *list = rule;
}

/* AH00671: a plain Alias hidden by an earlier rule never matches. */
static void warn_overlap(const mh_cmd_parms *cmd, const char *name, const al_server_config *sc, const char *fake)
{
    for (const al_rule *a = sc->aliases; a; a = a->next) {
        int hit = a->regex ? al_api->regex_match(a->regex, fake, NULL, 0) : al_prefix_length(fake, a->fake) > 0;
        if (!hit) continue;
        al_api->log_error(&alias_module, MH_LOG_WARNING, 0, cmd->server, NULL,
                          "AH00671: The %s directive in %s at line %u will probably never match because it "
                          "overlaps an earlier %sAlias%s.",
                          name, cmd->file, cmd->line, a->handler ? "Script" : "", a->regex ? "Match" : "");
        return;
    }
}

static const char *add_alias(const mh_cmd_parms *cmd, const char *name, const char *fake, const char *real,
                             int regex)
{
    al_server_config *sc = cmd->server_config;
    al_rule *rule = al_api->pcalloc(cmd->pool, sizeof *rule);
    if (regex) {
        const char *err = NULL;
        rule->regex = al_api->regex_compile(cmd->pool, fake, 0, &err);
        if (rule->regex == NULL) return "Regular expression could not be compiled.";
    } else {
        warn_overlap(cmd, name, sc, fake);
    }
    rule->fake = fake;
    rule->real = real;
    rule->handler = (cmd->data & AL_SCRIPT) ? "cgi-script" : NULL;
    append(&sc->aliases, rule);
    return NULL;
}

/* Alias, ScriptAlias: MH_TAKE_ARGV, so that the arity message is Apache's. */
static const char *set_alias(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir;
    NEEDS_1_2("Alias");
    const char *name = (cmd->data & AL_SCRIPT) ? "ScriptAlias" : "Alias";
    if (argc < 1 || argc > 2)
        return al_api->psprintf(cmd->pool, "%s takes 1-2 arguments, a fakename and a realname, or a realname in "
                                "a Location", name);
    if (argc == 2) {
        if (cmd->section) return al_api->psprintf(cmd->pool, "%s cannot occur within directory context", name);
        return add_alias(cmd, name, argv[0], argv[1], 0);
    }
    if (cmd->section == NULL) return "Alias must have two arguments when used globally";
    /* Apache maps the whole <Location> here, but only after its location
     * walk, which the core does after translate_name. */
    return al_api->psprintf(cmd->pool, "%s with one argument (a path for the whole section) is not supported",
                            name);
}

/* AliasMatch, ScriptAliasMatch: MH_TAKE2, server context only. */
static const char *set_alias_match(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir;
    (void)argc;
    NEEDS_1_2("AliasMatch");
    return add_alias(cmd, (cmd->data & AL_SCRIPT) ? "ScriptAliasMatch" : "AliasMatch", argv[0], argv[1], 1);
}

/* permanent|temp|seeother|gone or a number, as Apache reads it; 0 when
 * the word is none of these (then it is the URL-path). */
static int parse_status(const char *word, int *status)
{
    if (strcasecmp(word, "permanent") == 0) *status = 301;
    else if (strcasecmp(word, "temp") == 0) *status = 302;
    else if (strcasecmp(word, "seeother") == 0) *status = 303;
    else if (strcasecmp(word, "gone") == 0) *status = 410;
    else if (isdigit((unsigned char)word[0])) *status = atoi(word);
    else return 0;
    return 1;
}

/* The one-URL form inside a section; Apache parses it as an expression,
 * here it must be plain text. */
static const char *set_whole(const mh_cmd_parms *cmd, al_dir_config *d, int status, const char *url)
{
    if (url && strstr(url, "%{"))
        return al_api->psprintf(cmd->pool, "Cannot parse redirect expression '%s': %%{...} variables are not "
                                "supported", url);
    d->whole_set = 1;
    d->whole_status = status;
    d->whole_url = url;
    return NULL;
}

/* Apache's add_redirect_internal: [status] URL-path URL, in its order of
 * checks (and so with its messages). */
static const char *add_redirect(const mh_cmd_parms *cmd, al_dir_config *d, const char *arg1, const char *arg2,
                                const char *arg3)
{
    int regex = (cmd->data & AL_REGEX) != 0;
    int status = AL_STATUS(cmd->data);
    int grok = parse_status(arg1, &status);
    const char *fake = arg2, *url = arg3;

    if (arg3 && !grok) return "Redirect: invalid first argument (of three)";
    if (cmd->section) {
        if (grok && arg2 && !arg3 && status != 410) return set_whole(cmd, d, status, arg2);
        if (grok && !arg2 && status == 410) return set_whole(cmd, d, status, NULL);
        if (!grok && !arg2) return set_whole(cmd, d, status, arg1);
    }
    if (!arg3 && !grok) {
        fake = arg1;
        url = arg2;
    }
    /* Apache takes "Redirect gone" here too, and then crashes on requests. */
    if (fake == NULL) return "Redirect without a URL-path is only allowed inside <Directory> or <Location>";

    al_rule *rule = al_api->pcalloc(cmd->pool, sizeof *rule);
    if (regex) {
        const char *err = NULL;
        rule->regex = al_api->regex_compile(cmd->pool, fake, 0, &err);
        if (rule->regex == NULL) return "Regular expression could not be compiled.";
    }
    if (status >= 300 && status <= 399) {
        if (url == NULL) return "URL to redirect to is missing";
        if (!regex && !al_is_url(url) && url[0] != '/') return "Redirect to non-URL";
    } else if (url) {
        return "Redirect URL not valid for this status";
    }
    rule->fake = fake;
    rule->real = url;
    rule->status = status;
    append(cmd->section ? &d->redirects : &((al_server_config *)cmd->server_config)->redirects, rule);
    return NULL;
}

/* Redirect (MH_TAKE123), RedirectMatch (MH_TAKE23), RedirectTemp and
 * RedirectPermanent (MH_TAKE2). */
static const char *set_redirect(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    NEEDS_1_2("Redirect");
    return add_redirect(cmd, dir, argv[0], argc > 1 ? argv[1] : NULL, argc > 2 ? argv[2] : NULL);
}

const mh_command al_commands[] = {
    {"Alias", set_alias, 0, MH_WHERE_ANY, MH_TAKE_ARGV,
     "a fakename and a realname, or a realname in a Location"},
    {"ScriptAlias", set_alias, AL_SCRIPT, MH_WHERE_ANY, MH_TAKE_ARGV,
     "a fakename and a realname, or a realname in a Location"},
    {"Redirect", set_redirect, 302, MH_WHERE_ANY, MH_TAKE123,
     "an optional status, then document to be redirected and destination URL"},
    {"AliasMatch", set_alias_match, 0, MH_WHERE_SERVER, MH_TAKE2, "a regular expression and a filename"},
    {"ScriptAliasMatch", set_alias_match, AL_SCRIPT, MH_WHERE_SERVER, MH_TAKE2,
     "a regular expression and a filename"},
    {"RedirectMatch", set_redirect, AL_REGEX | 302, MH_WHERE_ANY, MH_TAKE23,
     "an optional status, then a regular expression and destination URL"},
    {"RedirectTemp", set_redirect, 302, MH_WHERE_ANY, MH_TAKE2,
     "a document to be redirected, then the destination URL"},
    {"RedirectPermanent", set_redirect, 301, MH_WHERE_ANY, MH_TAKE2,
     "a document to be redirected, then the destination URL"},
    MH_COMMAND_END,
};

void *al_create_server_config(mh_pool *p)
{
    return al_api->pcalloc(p, sizeof(al_server_config));
}

/* A copy of `add`'s rules followed by `base`'s (shared). */
static al_rule *rules_then(mh_pool *p, const al_rule *add, al_rule *base)
{
    al_rule *head = base, **tail = &head;
    for (const al_rule *r = add; r; r = r->next) {
        al_rule *copy = al_api->palloc(p, sizeof *copy);
        *copy = *r;
        copy->next = base;
        *tail = copy;
        tail = &copy->next;
    }
    return head;
}

/* A <VirtualHost>'s Alias and Redirect lines come first, then the main
 * server's, as Apache's merge_alias_config. */
void *al_merge_server_config(mh_pool *p, const void *base_v, const void *add_v)
{
    const al_server_config *base = base_v, *add = add_v;
    al_server_config *c = al_api->pcalloc(p, sizeof *c);
    c->aliases = rules_then(p, add->aliases, base->aliases);
    c->redirects = rules_then(p, add->redirects, base->redirects);
    return c;
}

void *al_create_dir_config(mh_pool *p, const char *section)
{
    (void)section;
    return al_api->pcalloc(p, sizeof(al_dir_config));
}

/* The inner section's redirects first, then the outer ones (shared: lists
 * are never changed once the configuration is read). */
void *al_merge_dir_config(mh_pool *p, const void *base_v, const void *add_v)
{
    const al_dir_config *base = base_v, *add = add_v;
    al_dir_config *d = al_api->pcalloc(p, sizeof *d);
    al_rule **tail = &d->redirects;
    for (const al_rule *r = add->redirects; r; r = r->next) {
        al_rule *copy = al_api->palloc(p, sizeof *copy);
        *copy = *r;
        *tail = copy;
        tail = &copy->next;
    }
    *tail = base->redirects;
    const al_dir_config *whole = add->whole_set ? add : base;
    d->whole_set = whole->whole_set;
    d->whole_status = whole->whole_status;
    d->whole_url = whole->whole_url;
    return d;
}
