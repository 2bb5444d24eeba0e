/*
 * Apache's find_ct: the last component of the file name is split at its
 * dots; the first word is the name itself, every other word is an
 * extension, in any order ("index.html.en", "file.en.html",
 * "script.cgi.bak"). Each extension may give:
 *   - a media type (TypesConfig/AddType in the core, unless RemoveType):
 *     the last one found wins;
 *   - a charset, a language, an encoding (the last charset wins; languages
 *     and encodings add up, "gzip, x-foo");
 *   - a handler (the last one wins) and filters (all of them).
 */
#include <string.h>
#include <strings.h>

#include "mime.h"

/* `type` with its charset parameter replaced by `charset`, as Apache's
 * find_ct rebuilds it: "text/html; charset=utf-8". */
static const char *with_charset(mh_pool *p, const char *type, const char *charset)
{
    const char *semi = strchr(type, ';');
    size_t base = semi ? (size_t)(semi - type) : strlen(type);
    while (base > 0 && (type[base - 1] == ' ' || type[base - 1] == '\t')) base--;
    char *out = mm_api->psprintf(p, "%.*s", (int)base, type);
    while (semi) {
        const char *param = semi + 1;
        while (*param == ' ' || *param == '\t') param++;
        semi = strchr(param, ';');
        size_t n = semi ? (size_t)(semi - param) : strlen(param);
        if (n == 0 || strncasecmp(param, "charset=", 8) == 0) continue;
        out = mm_api->psprintf(p, "%s; %.*s", out, (int)n, param);
    }
    return mm_api->psprintf(p, "%s; charset=%s", out, charset);
}

static const char *joined(mh_pool *p, const char *list, const char *item)
{
    return list ? mm_api->psprintf(p, "%s, %s", list, item) : item;
}

int mm_walk(mh_request *r, const mm_dir *d, const char *filename, mm_result *out)
{
    mh_pool *p = mm_api->request_pool(r);
    memset(out, 0, sizeof *out);
    const char *name = strrchr(filename, '/');
    name = name ? name + 1 : filename;
    const char *dot = strchr(name, '.');
    if (dot == NULL) return 0;

    const char *charset = NULL;
    int found = 0;
    char key[64];
    /* "x." + extension: api->mime_type looks at the last extension only. */
    key[0] = 'x';
    key[1] = '.';
    for (const char *ext = dot + 1; ext != NULL && *ext; ) {
        const char *next = strchr(ext, '.');
        size_t n = next ? (size_t)(next - ext) : strlen(ext);
        if (n > 0 && n < sizeof key - 2) {
            for (size_t i = 0; i < n; i++) {
                char c = ext[i];
                key[2 + i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
            }
            key[2 + n] = '\0';
            const mm_ext *e = mm_find(d, key + 2);
            if (e == NULL || !(e->removed & MM_NO_TYPE)) {
                const char *type = mm_api->mime_type(r, key);
                if (type) out->type = type, found = 1;
            }
            if (e) {
                const char *const *v = e->value;
                if (v[MM_CHARSET]) charset = v[MM_CHARSET], found = 1;
                if (v[MM_LANGUAGE]) out->language = joined(p, out->language, v[MM_LANGUAGE]), found = 1;
                if (v[MM_ENCODING]) out->encoding = joined(p, out->encoding, v[MM_ENCODING]), found = 1;
                if (v[MM_HANDLER]) out->handler = v[MM_HANDLER], found = 1;
                if (v[MM_OUTPUT_FILTERS] && out->n_output < 8)
                    out->output_filters[out->n_output++] = v[MM_OUTPUT_FILTERS], found = 1;
                if (v[MM_INPUT_FILTERS] && out->n_input < 8)
                    out->input_filters[out->n_input++] = v[MM_INPUT_FILTERS], found = 1;
            }
        }
        ext = next ? next + 1 : NULL;
    }
    if (out->type && charset) out->type = with_charset(p, out->type, charset);
    if (out->language == NULL && d->default_language) out->language = d->default_language, found = 1;
    return found;
}
