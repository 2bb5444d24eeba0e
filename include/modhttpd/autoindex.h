/*
 * modhttpd module ABI: directory-listing settings, a provider found by name
 * (api->lookup_provider, ABI 1.2), as Apache's
 * mod_autoindex directives give them.
 *
 * mod_autoindex holds IndexOptions, IndexIgnore, HeaderName, ReadmeName,
 * IndexOrderDefault, AddIcon*, AddAlt*, AddDescription and DefaultIcon;
 * the listing itself is made by mod_static (Options Indexes), which reads
 * them through api->lookup_provider:
 *
 *     const mh_autoindex_provider *ai = api->lookup_provider(
 *         MH_AUTOINDEX_PROVIDER_GROUP, MH_AUTOINDEX_PROVIDER_NAME,
 *         MH_AUTOINDEX_PROVIDER_VERSION);
 *
 * All functions run [worker] and return strings that live as long as the
 * configuration (or the request's pool).
 */
#ifndef MODHTTPD_AUTOINDEX_H
#define MODHTTPD_AUTOINDEX_H

#include <stdint.h>

#include "modhttpd/module.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MH_AUTOINDEX_PROVIDER_GROUP "autoindex"
#define MH_AUTOINDEX_PROVIDER_NAME "listing"
#define MH_AUTOINDEX_PROVIDER_VERSION "1"

/* IndexOptions keywords that change the listing (others are accepted and
 * have no effect: see docs/autoindex.md). */
#define MH_AI_FANCY 0x1u
#define MH_AI_HTML_TABLE 0x2u
#define MH_AI_FOLDERS_FIRST 0x4u
#define MH_AI_IGNORE_CASE 0x8u
#define MH_AI_SUPPRESS_DESCRIPTION 0x10u
#define MH_AI_SUPPRESS_PREAMBLE 0x20u
#define MH_AI_VERSION_SORT 0x40u
#define MH_AI_SUPPRESS_ICON 0x80u
#define MH_AI_SUPPRESS_SIZE 0x100u
#define MH_AI_SUPPRESS_LAST_MODIFIED 0x200u
#define MH_AI_SUPPRESS_COLUMN_SORTING 0x400u
#define MH_AI_SUPPRESS_RULES 0x800u
#define MH_AI_ICONS_ARE_LINKS 0x1000u

typedef struct mh_autoindex_settings {
    uint32_t struct_size;
    unsigned options;            /* MH_AI_* */
    int name_width;              /* NameWidth: characters, 0 for '*' (as long as the longest) */
    int description_width;       /* DescriptionWidth, the same way */
    int icon_width, icon_height; /* 0: not given */
    const char *charset;         /* Charset=, or NULL */
    const char *type;            /* Type= (the listing's media type), or NULL */
    const char *header_name;     /* HeaderName, or NULL */
    const char *readme_name;     /* ReadmeName, or NULL */
    char order_column;           /* IndexOrderDefault: 'N', 'M', 'S', 'D' */
    char order_direction;        /* 'A' or 'D' */
} mh_autoindex_settings;

typedef struct mh_autoindex_provider {
    uint32_t struct_size;
    const mh_autoindex_settings *(*settings)(const mh_request *r);
    /* IndexIgnore: 1 when `name` (an entry of the listed directory, or
     * ".." for the parent) is left out. */
    int (*ignored)(const mh_request *r, const char *name);
    /* The icon and its alt text for an entry (AddIcon*, AddAlt*,
     * DefaultIcon): `name` ".." for the parent, "^^BLANKICON^^" for the
     * heading; `type` and `encoding` may be NULL. *alt may be set NULL. */
    const char *(*icon)(const mh_request *r, const char *name, int is_dir, const char *type,
                        const char *encoding, const char **alt);
    /* AddDescription for `name`, or NULL. */
    const char *(*description)(const mh_request *r, const char *name);
} mh_autoindex_provider;

#ifdef __cplusplus
}
#endif

#endif
