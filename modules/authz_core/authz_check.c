/*
 * Apache's authz_core_check_section, run on a finished tree: a container
 * whose children are all negative can never grant (AH01624). Negated
 * containers of the other kind are folded into their parent first (De
 * Morgan: <RequireNone> in <RequireAll> is "not" on each of its lines),
 * which also saves a level of recursion when requests are evaluated.
 * Running it again on a tree it has seen changes nothing.
 */
#include "authz_core.h"

const az_section *az_check_section(az_section *section)
{
    az_section *prev = NULL;
    for (az_section *child = section->first; child; prev = child, child = child->next) {
        if (child->first == NULL) continue;
        const az_section *bad = az_check_section(child);
        if (bad) return bad;
        if (child->negate && child->op != section->op) {
            az_section *next = child->next;
            child = child->first;
            if (prev) prev->next = child;
            else section->first = child;
            for (;;) {
                child->negate = !child->negate;
                if (child->next == NULL) break;
                child = child->next;
            }
            child->next = next;
        }
    }
    for (const az_section *child = section->first; child; child = child->next)
        if (!child->negate) return NULL;
    return section;
}
