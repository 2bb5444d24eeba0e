/* Test module: SetHandler headers-from-query sets a response header from
 * the query string, percent-decoded here (the core leaves the query alone),
 * the way a careless module copies client input into a header:
 *
 *   ?set=NAME:VALUE        header_out_set
 *   ?add=NAME:VALUE        header_out_add
 *   ?type=VALUE            set_content_type
 *   ?status=N              answer with status N instead of 200
 *
 * and, for any request (a fixups hook, whoever handles it):
 *   ?fixup=NAME:VALUE      header_out_set before the handler
 *   ?always=NAME:VALUE     the same into err_headers_out (api 1.2), which an
 *                          error page keeps
 *
 * The body is "ok\n". What must never happen is a CR LF of the client's
 * reaching the response as a line of its own. */
#include <modhttpd/modhttpd.h>
#include <stdlib.h>
#include <string.h>

static const mh_api *api;

static int hex(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes %XX and '+' in place. */
static void decode(char *s)
{
    char *out = s;
    for (; *s; ++s) {
        if (*s == '%' && hex(s[1]) >= 0 && hex(s[2]) >= 0) {
            *out++ = (char)(hex(s[1]) * 16 + hex(s[2]));
            s += 2;
        } else {
            *out++ = *s == '+' ? ' ' : *s;
        }
    }
    *out = '\0';
}

/* The value of `key=` in the query, decoded, split at its first ':'. */
static int query_pair(mh_request *r, const char *key, char **name, char **value)
{
    const char *query = api->request_query(r);
    if (query == NULL) return 0;
    char *q = api->pstrdup(api->request_pool(r), query);
    size_t n = strlen(key);
    for (char *item = strtok(q, "&"); item; item = strtok(NULL, "&")) {
        if (strncmp(item, key, n) != 0 || item[n] != '=') continue;
        *name = item + n + 1;
        decode(*name);
        char *colon = strchr(*name, ':');
        if (colon == NULL) return 0;
        *colon = '\0';
        *value = colon + 1;
        return 1;
    }
    return 0;
}

static int fixups(mh_request *r)
{
    char *name, *value;
    if (query_pair(r, "fixup", &name, &value)) api->header_out_set(r, name, value);
    if (query_pair(r, "always", &name, &value)) api->table_set(api->err_headers_out(r), name, value);
    return MH_DECLINED;
}

static int handler(mh_request *r)
{
    const char *h = api->handler_name(r);
    if (h == NULL || strcmp(h, "headers-from-query") != 0) return MH_DECLINED;
    const char *query = api->request_query(r);
    char *q = api->pstrdup(api->request_pool(r), query ? query : "");
    int status = 200;
    for (char *item = strtok(q, "&"); item; item = strtok(NULL, "&")) {
        char *eq = strchr(item, '=');
        if (eq == NULL) continue;
        *eq = '\0';
        char *value = eq + 1;
        decode(value);
        if (strcmp(item, "type") == 0) {
            api->set_content_type(r, value);
        } else if (strcmp(item, "status") == 0) {
            status = atoi(value);
        } else {
            char *colon = strchr(value, ':');
            if (colon == NULL) continue;
            *colon = '\0';
            if (strcmp(item, "set") == 0) api->header_out_set(r, value, colon + 1);
            else if (strcmp(item, "add") == 0) api->header_out_add(r, value, colon + 1);
        }
    }
    api->set_status(r, status);
    api->set_content_length(r, 3);
    api->puts(r, "ok\n");
    return MH_OK;
}

static void register_hooks(const mh_api *a, const mh_module *self)
{
    api = a;
    a->hook_handler(self, handler, MH_HOOK_MIDDLE);
    a->hook_fixups(self, fixups, MH_HOOK_MIDDLE);
}

MH_DECLARE_MODULE(headers_from_query_module) = {
    MH_MODULE_HEADER, MH_MODULE_NO_FLAGS, NULL, NULL, NULL, NULL, register_hooks, NULL,
};
