/*
 * modhttpd module ABI: what mod_mime offers other modules, a provider found
 * by name (api->lookup_provider, ABI 1.2): NULL when mod_mime is not loaded.
 *
 * mod_mime types the request's own file in its type_checker hook. A handler
 * that serves another file in its place (mod_static's DirectoryIndex) asks
 * it, through api->lookup_provider, to type that file the same way:
 *
 *     const mh_mime_provider *m = api->lookup_provider(MH_MIME_PROVIDER_GROUP,
 *         MH_MIME_PROVIDER_NAME, MH_MIME_PROVIDER_VERSION);
 *
 * When the provider exists, the request's content type is mod_mime's answer
 * (none at all after RemoveType): the handler does not fall back to
 * api->mime_type.
 */
#ifndef MODHTTPD_MIME_H
#define MODHTTPD_MIME_H

#include <stdint.h>

#include "modhttpd/module.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MH_MIME_PROVIDER_GROUP "mime"
#define MH_MIME_PROVIDER_NAME "file"
#define MH_MIME_PROVIDER_VERSION "1"

typedef struct mh_mime_provider {
    uint32_t struct_size;
    /* [worker] Sets the content type (with AddCharset's charset),
     * Content-Language and Content-Encoding of the response for `filename`,
     * as the type_checker does for the request's own file. The handler and
     * the filters are left alone. */
    void (*type_file)(mh_request *r, const char *filename);
    /* [worker] What mod_mime would say of `filename`, changing nothing:
     * *type (with its charset) and *encoding, each NULL when none. For a
     * directory listing's icons. */
    void (*describe)(mh_request *r, const char *filename, const char **type, const char **encoding);
} mh_mime_provider;

#ifdef __cplusplus
}
#endif

#endif
