/*
 * Evaluating the Require tree for a request: Apache's apply_authz_sections,
 * with its rules for combining the results and its AH01626 debug lines.
 */
#include <stddef.h>

#include "authz_core.h"

const char *az_format_command(mh_pool *p, const az_section *s)
{
    if (s->provider)
        return az_api->psprintf(p, "Require %s%s %s", s->negate ? "not " : "", s->provider_name, s->provider_args);
    const char *kind = s->op == AZ_OP_AND ? (s->negate ? "NotAll" : "All") : (s->negate ? "None" : "Any");
    return s->is_merged ? az_api->psprintf(p, "AuthMerging %s", kind) : az_api->psprintf(p, "<Require%s>", kind);
}

static const char *format_result(mh_authz_status result)
{
    switch (result) {
    case MH_AUTHZ_DENIED: return "denied";
    case MH_AUTHZ_GRANTED: return "granted";
    case MH_AUTHZ_DENIED_NO_USER: return "denied (no authenticated user yet)";
    default: return "neutral";
    }
}

/* Whether a provider's check may run on an event loop (it says so). */
static int provider_nonblocking(const mh_authz_provider *p)
{
    return offsetof(mh_authz_provider, flags) + sizeof p->flags <= p->struct_size &&
           (p->flags & MH_AUTHZ_NONBLOCKING) != 0;
}

/* A provider's verdict; Apache names the provider in the notes meanwhile.
 * One that may wait, reached on an event loop: AZ_WOULD_BLOCK, and the
 * rules are applied again from the start on a worker thread. */
static mh_authz_status run_provider(mh_request *r, const az_section *s)
{
    if (!provider_nonblocking(s->provider) && !az_api->request_may_block(r)) return AZ_WOULD_BLOCK;
    mh_table *notes = az_api->notes(r);
    az_api->table_set(notes, "authz_provider_name", s->provider_name);
    mh_authz_status result = s->provider->check(r, s->provider_args, s->parsed);
    az_api->table_unset(notes, "authz_provider_name");
    return result;
}

/* The result of a container from its children's, as Apache combines them:
 * AND stops at the first DENIED, OR at the first GRANTED; NEUTRAL does not
 * count; DENIED_NO_USER says a user might still change the answer. */
static mh_authz_status apply_children(mh_request *r, const az_section *s)
{
    mh_authz_status result = MH_AUTHZ_NEUTRAL;
    for (const az_section *child = s->first; child; child = child->next) {
        mh_authz_status c = az_apply(r, child);
        if (c == MH_AUTHZ_GENERAL_ERROR || c == AZ_WOULD_BLOCK) return c;
        if (c == MH_AUTHZ_NEUTRAL) continue;
        if (s->op == AZ_OP_AND) {
            if (c == MH_AUTHZ_DENIED) return c;
            if ((c == MH_AUTHZ_DENIED_NO_USER && result != MH_AUTHZ_DENIED) || result == MH_AUTHZ_NEUTRAL) result = c;
        } else {
            if (c == MH_AUTHZ_GRANTED) return c;
            if ((c == MH_AUTHZ_DENIED_NO_USER && result == MH_AUTHZ_DENIED) || result == MH_AUTHZ_NEUTRAL) result = c;
        }
    }
    return result;
}

mh_authz_status az_apply(mh_request *r, const az_section *s)
{
    mh_authz_status result = s->provider ? run_provider(r, s) : apply_children(r, s);
    if (result == AZ_WOULD_BLOCK) return result;
    if (s->negate) {
        /* Not being refused is no reason to grant: denied becomes neutral. */
        if (result == MH_AUTHZ_GRANTED) result = MH_AUTHZ_DENIED;
        else if (result == MH_AUTHZ_DENIED || result == MH_AUTHZ_DENIED_NO_USER) result = MH_AUTHZ_NEUTRAL;
    }
    if (az_api->log_enabled(az_self, az_api->request_server(r), MH_LOG_DEBUG))
        az_api->log_error(az_self, MH_LOG_DEBUG, 0, NULL, r, "AH01626: authorization result of %s: %s",
                          az_format_command(az_api->request_pool(r), s), format_result(result));
    return result;
}
