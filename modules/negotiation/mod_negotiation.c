/*
 * mod_negotiation: the directives of Apache 2.4's mod_negotiation, read and
 * checked with its messages, so that a configuration written for Apache
 * (Debian's negotiation.conf) is accepted. Content negotiation itself
 * (MultiViews, type maps) is not done: every resource has one variant here,
 * and for such a site Apache answers the same (see docs/compat.md).
 */
#include <strings.h>

#include <modhttpd/modhttpd.h>

MH_EXPORT extern const mh_module negotiation_module;
static const mh_api *api;

/* ForceLanguagePriority bits, as Apache's FLP_*. */
#define FLP_NONE 0x1u
#define FLP_PREFER 0x2u
#define FLP_FALLBACK 0x4u

typedef struct neg_conf {
    int languages;    /* LanguagePriority entries (kept for a future negotiation) */
    unsigned force;   /* FLP_* */
} neg_conf;

static const char *set_language_priority(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)cmd, (void)argc, (void)argv;
    ++((neg_conf *)dir)->languages; /* Apache takes any word */
    return NULL;
}

static const char *set_force_priority(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    neg_conf *n = dir;
    const char *w = argv[0];
    if (strcasecmp(w, "None") == 0) {
        if (n->force & ~FLP_NONE) return "Cannot combine ForceLanguagePriority options with None";
        n->force = FLP_NONE;
    } else if (strcasecmp(w, "Prefer") == 0) {
        if (n->force & FLP_NONE) return "Cannot combine ForceLanguagePriority options None and Prefer";
        n->force |= FLP_PREFER;
    } else if (strcasecmp(w, "Fallback") == 0) {
        if (n->force & FLP_NONE) return "Cannot combine ForceLanguagePriority options None and Fallback";
        n->force |= FLP_FALLBACK;
    } else {
        return api->psprintf(cmd->pool, "Invalid ForceLanguagePriority option %s", w);
    }
    return NULL;
}

/* Only changes which caching headers a negotiated response gets: none here. */
static const char *set_cache_negotiated_docs(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)cmd, (void)dir, (void)argc, (void)argv;
    return NULL;
}

static const mh_command neg_commands[] = {
    {"LanguagePriority", set_language_priority, 0, MH_WHERE_ANY, MH_ITERATE,
     "space-delimited list of MIME language abbreviations"},
    {"ForceLanguagePriority", set_force_priority, 0, MH_WHERE_ANY, MH_ITERATE,
     "Force LanguagePriority elections, either None, or Fallback and/or Prefer"},
    {"CacheNegotiatedDocs", set_cache_negotiated_docs, 0, MH_WHERE_SERVER, MH_FLAG, "Either 'on' or 'off' (default)"},
    MH_COMMAND_END,
};

static void *create_config(mh_pool *p, const char *section)
{
    (void)section;
    return api->pcalloc(p, sizeof(neg_conf));
}

static void register_hooks(const mh_api *a, const mh_module *self)
{
    (void)self;
    api = a;
}

MH_DECLARE_MODULE(negotiation_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NONBLOCKING,
    neg_commands,
    create_config,
    NULL,
    NULL,
    register_hooks,
    NULL,
};
