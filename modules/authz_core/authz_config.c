/*
 * The directives of mod_authz_core, with Apache's messages, and the
 * per-directory config with Apache's merge (AuthMerging).
 *
 * Reading builds the tree as Apache's add_authz_provider and
 * add_authz_section do. Apache walks a container's body from inside its
 * opening directive; here the core calls the setter at the open and at the
 * close (MH_SECTION), so the container being read is kept in the dir config
 * (section) and the one around it in its `outer`.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "authz_core.h"
#include "conf_word.h"

enum { KIND_ALL, KIND_ANY, KIND_NONE }; /* mh_command.data of the containers */

void *az_create_dir_config(mh_pool *p, const char *section)
{
    (void)section;
    az_dir_config *conf = az_api->pcalloc(p, sizeof *conf);
    conf->op = AZ_OP_UNSET;
    conf->forbidden_on_fail = -1;
    return conf;
}

static az_section *copy_section(mh_pool *p, const az_section *s)
{
    az_section *c = az_api->palloc(p, sizeof *c);
    *c = *s;
    return c;
}

/* Apache's merge_authz_core_dir_config. */
void *az_merge_dir_config(mh_pool *p, const void *basev, const void *addv)
{
    const az_dir_config *base = basev, *add = addv;
    az_dir_config *conf = az_api->pcalloc(p, sizeof *conf);
    if (add->op == AZ_OP_UNSET && !add->section && base->section) {
        /* Only AuthzSendForbiddenOnFailure here: not a new authorization. */
        *conf = *base;
    } else if (add->op == AZ_OP_OFF || add->op == AZ_OP_UNSET || !(base->section || add->section)) {
        *conf = *add;
    } else {
        az_section *section;
        if (base->section && add->section) {
            section = az_api->pcalloc(p, sizeof *section);
            section->op = add->op;
            section->is_merged = 1;
            section->first = copy_section(p, base->section);
            section->first->next = copy_section(p, add->section);
        } else {
            section = copy_section(p, base->section ? base->section : add->section);
        }
        conf->section = section;
        conf->op = add->op;
    }
    conf->forbidden_on_fail = add->forbidden_on_fail == -1 ? base->forbidden_on_fail : add->forbidden_on_fail;
    conf->open_containers = 0;
    return conf;
}

/* The implicit <RequireAny> of several Require lines in one section. */
static az_section *default_section(mh_pool *p)
{
    az_section *s = az_api->pcalloc(p, sizeof *s);
    s->op = AZ_OP_OR;
    return s;
}

static void append_child(az_section *parent, az_section *child)
{
    az_section **tail = &parent->first;
    while (*tail) tail = &(*tail)->next;
    *tail = child;
}

/* Whether the provider struct has the member `field` (it grows at the end). */
#define PROVIDER_HAS(pr, field) \
    (offsetof(mh_authz_provider, field) + sizeof((pr)->field) <= (pr)->struct_size)

static const char *set_require(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    az_dir_config *conf = dir;
    mh_pool *p = cmd->pool;
    const char *args = argv[0];
    az_section *s = az_api->pcalloc(p, sizeof *s);

    s->provider_name = conf_getword(az_api, p, &args);
    if (strcasecmp(s->provider_name, "not") == 0) {
        s->provider_name = conf_getword(az_api, p, &args);
        s->negate = 1;
    }
    s->provider_args = args;
    /* Looked up now and kept, as Apache does: what parse() made of the
     * arguments must go to that very provider's check(), even if another
     * module registers the same name later. */
    s->provider = az_api->lookup_provider(MH_AUTHZ_PROVIDER_GROUP, s->provider_name, MH_AUTH_PROVIDER_VERSION);
    if (s->provider == NULL) return az_api->psprintf(p, "Unknown Authz provider: %s", s->provider_name);
    if (!PROVIDER_HAS(s->provider, check) || s->provider->check == NULL)
        return az_api->psprintf(p,
                                "The '%s' Authz provider is not supported by any of the loaded authorization "
                                "modules",
                                s->provider_name);
    if (PROVIDER_HAS(s->provider, parse) && s->provider->parse) {
        const char *err = s->provider->parse(cmd, args, &s->parsed);
        if (err) return err;
    }

    if (conf->section == NULL) conf->section = default_section(p);
    if (s->negate && conf->section->op == AZ_OP_OR)
        return az_api->psprintf(p, "negative Require directive has no effect in %s directive",
                                az_format_command(p, conf->section));
    append_child(conf->section, s);
    return NULL;
}

static const char *container_name(uintptr_t kind)
{
    return kind == KIND_ALL ? "<RequireAll" : kind == KIND_ANY ? "<RequireAny" : "<RequireNone";
}

static const char *open_container(const mh_cmd_parms *cmd, az_dir_config *conf, int argc)
{
    if (argc > 0)
        return az_api->psprintf(cmd->pool, "%s> directive doesn't take additional arguments", container_name(cmd->data));
    az_section *s = az_api->pcalloc(cmd->pool, sizeof *s);
    s->op = cmd->data == KIND_ALL ? AZ_OP_AND : AZ_OP_OR;
    s->negate = cmd->data == KIND_NONE;
    s->outer = conf->section;
    conf->section = s;
    conf->open_containers++;
    return NULL;
}

/* The end of add_authz_section: the finished container joins the one
 * around it (or the implicit <RequireAny>). */
static const char *close_container(const mh_cmd_parms *cmd, az_dir_config *conf)
{
    mh_pool *p = cmd->pool;
    az_section *s = conf->section;
    az_section *old = s->outer;
    s->outer = NULL;
    conf->section = old;
    conf->open_containers--;

    if (s->first == NULL)
        return az_api->psprintf(p, "%s directive contains no authorization directives", az_format_command(p, s));
    if (old == NULL) old = conf->section = default_section(p);
    if (s->negate && old->op == AZ_OP_OR)
        return az_api->psprintf(p, "%s directive has no effect in %s directive", az_format_command(p, s),
                                az_format_command(p, old));
    /* Be associative: <RequireAll> in <RequireAll> adds its lines. */
    append_child(old, !s->negate && s->op == old->op ? s->first : s);

    /* Apache checks the finished tree after reading the whole file
     * (AH01624, a startup failure without a line number). The tree of this
     * section is finished once its outermost container closes, so the
     * check runs then, and the error names that container's line. */
    if (conf->open_containers == 0) {
        const az_section *bad = az_check_section(conf->section);
        if (bad)
            return az_api->psprintf(p, "AH01624: %s directive contains only negative authorization directives",
                                    az_format_command(p, bad));
    }
    return NULL;
}

static const char *set_container(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argv;
    return argc < 0 ? close_container(cmd, dir) : open_container(cmd, dir, argc);
}

static const char *set_merging(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    az_dir_config *conf = dir;
    if (strcasecmp(argv[0], "Off") == 0) conf->op = AZ_OP_OFF;
    else if (strcasecmp(argv[0], "And") == 0) conf->op = AZ_OP_AND;
    else if (strcasecmp(argv[0], "Or") == 0) conf->op = AZ_OP_OR;
    else return az_api->psprintf(cmd->pool, "%s must be one of: Off | And | Or", "AuthMerging");
    return NULL;
}

const mh_command az_commands[] = {
    {"Require", set_require, 0, MH_WHERE_DIR, MH_RAW_ARGS,
     "specifies authorization directives which one must pass (or not) for a request to suceeed"},
    {"<RequireAll", set_container, KIND_ALL, MH_WHERE_DIR, MH_SECTION,
     "container for grouping authorization directives of which none must fail and at least one must pass for a "
     "request to succeed"},
    {"<RequireAny", set_container, KIND_ANY, MH_WHERE_DIR, MH_SECTION,
     "container for grouping authorization directives of which one must pass for a request to succeed"},
    {"<RequireNone", set_container, KIND_NONE, MH_WHERE_DIR, MH_SECTION,
     "container for grouping authorization directives of which none must pass for a request to succeed"},
    {"AuthMerging", set_merging, 0, MH_WHERE_DIR, MH_TAKE1,
     "controls how a <Directory>, <Location>, or similar directive's authorization directives are combined with "
     "those of its predecessor"},
    {"AuthzSendForbiddenOnFailure", mh_set_flag_slot, offsetof(az_dir_config, forbidden_on_fail), MH_WHERE_DIR,
     MH_FLAG,
     "Controls if an authorization failure should result in a '403 FORBIDDEN' response instead of the "
     "HTTP-conforming '401 UNAUTHORIZED'"},
    MH_COMMAND_END,
};
