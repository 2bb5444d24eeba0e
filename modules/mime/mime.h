/*
 * mod_mime internals, shared by its files. The one exported symbol is
 * mime_module, in mod_mime.c.
 *
 *   mod_mime.c     descriptor, type_checker hook, the provider for mod_static
 *   mime_config.c  the directives and the per-directory merge
 *   mime_walk.c    every extension of a file name, as Apache's find_ct
 *
 * Media types themselves (TypesConfig, AddType) stay in the core, so that a
 * server without this module still knows them: the walk asks api->mime_type
 * for each extension.
 */
#ifndef MOD_MIME_H
#define MOD_MIME_H

#include <modhttpd/modhttpd.h>

MH_EXPORT extern const mh_module mime_module;
extern const mh_api *mm_api; /* kept by register_hooks; valid for the process */

/* What the directives say about one extension (lower case, no dot). A NULL
 * field is unset; a `removed` bit takes away what an enclosing section set. */
enum mm_field { MM_CHARSET, MM_LANGUAGE, MM_ENCODING, MM_HANDLER, MM_OUTPUT_FILTERS, MM_INPUT_FILTERS, MM_FIELDS };

#define MM_NO_TYPE (1u << MM_FIELDS) /* RemoveType: the extension gives no media type */

typedef struct mm_ext {
    const char *ext;
    const char *value[MM_FIELDS];
    unsigned removed; /* 1 << field, and MM_NO_TYPE */
} mm_ext;

typedef struct mm_dir {
    mm_ext *exts;
    int count, cap;
    const char *default_language; /* DefaultLanguage, or NULL */
} mm_dir;

/* ---- mime_config.c [master] ----------------------------------------------- */
extern const mh_command mm_commands[];
void *mm_create_dir(mh_pool *p, const char *section);
void *mm_merge_dir(mh_pool *p, const void *base, const void *add);
/* The entry for `ext` (lower case), or NULL. [worker] */
const mm_ext *mm_find(const mm_dir *d, const char *ext);

/* ---- mime_walk.c [worker] ------------------------------------------------- */
typedef struct mm_result {
    const char *type;      /* with "; charset=..." when AddCharset gave one */
    const char *language;  /* "en, fr" */
    const char *encoding;  /* "gzip" */
    const char *handler;
    const char *output_filters[8], *input_filters[8]; /* ';'-lists, in order */
    int n_output, n_input;
} mm_result;

/* Walks each extension of the last component of `filename` (file.cgi.en:
 * "cgi", then "en"). Returns 0 when no extension told anything. */
int mm_walk(mh_request *r, const mm_dir *d, const char *filename, mm_result *out);

#endif
