/*
 * Which rule applies to a request, and what it maps the path onto: Apache's
 * alias_matches and try_alias_list.
 */
#define _GNU_SOURCE
#include <string.h>

#include "alias.h"

size_t al_prefix_length(const char *uri, const char *fake)
{
    const char *a = fake, *u = uri;
    while (*a) {
        if (*a == '/') {
            /* Any run of '/' in the alias matches any run in the path, but
             * there must be one. */
            if (*u != '/') return 0;
            while (*a == '/') a++;
            while (*u == '/') u++;
        } else if (*u++ != *a++) {
            return 0;
        }
    }
    /* "/icons" covers "/icons" and "/icons/x", not "/iconsx". */
    if (a > fake && a[-1] != '/' && *u != '\0' && *u != '/') return 0;
    return (size_t)(u - uri);
}

/* The URL prefix and the directory an alias serves from, for the handlers
 * that stay beneath a root (Apache's ap_set_context_info). An AliasMatch
 * serves from the directory its target names before the first group: the
 * path it matched is normalised, so no group climbs out of it. */
static void set_context(mh_request *r, const al_rule *rule)
{
    mh_pool *p = al_api->request_pool(r);
    const char *root = rule->real ? rule->real : "";
    const char *prefix = rule->fake;
    if (rule->regex) {
        size_t literal = strcspn(root, "$");
        while (literal > 0 && root[literal - 1] != '/') literal--;
        root = al_api->psprintf(p, "%.*s", (int)literal, root);
        prefix = NULL;
    }
    al_api->set_context_info(r, prefix, al_api->server_path(p, al_api->request_server(r), root));
}

/* What one rule makes of `uri`, or NULL when it does not match. */
static char *apply(mh_pool *p, const al_rule *rule, const char *uri, int redirect)
{
    if (rule->regex) {
        mh_regmatch m[MH_REGEX_MAX_MATCH];
        if (!al_api->regex_match(rule->regex, uri, m, MH_REGEX_MAX_MATCH)) return NULL;
        if (rule->real == NULL) return ""; /* RedirectMatch gone: matched, no URL */
        char *found = al_api->regex_substitute(p, rule->real, uri, m, MH_REGEX_MAX_MATCH);
        return redirect ? al_escape_url(p, found) : found;
    }
    size_t n = al_prefix_length(uri, rule->fake);
    if (n == 0) return NULL;
    const char *rest = redirect ? al_escape_path(p, uri + n) : uri + n;
    return al_api->psprintf(p, "%s%s", rule->real ? rule->real : "", rest);
}

const al_rule *al_first_match(mh_request *r, const al_rule *list, int redirect, char **target)
{
    mh_pool *p = al_api->request_pool(r);
    const char *uri = al_api->request_path(r);
    for (const al_rule *rule = list; rule; rule = rule->next) {
        char *found = apply(p, rule, uri, redirect);
        if (found == NULL) continue;
        if (rule->handler) {
            /* ScriptAlias: the handler, and Apache's note for mod_cgi. */
            al_api->set_handler(r, rule->handler);
            al_api->table_set(al_api->notes(r), "alias-forced-type", rule->handler);
        }
        /* A relative file name is under ServerRoot, as Apache has it. */
        *target = redirect ? found : al_api->server_path(p, al_api->request_server(r), found);
        if (!redirect) set_context(r, rule);
        return rule;
    }
    return NULL;
}
