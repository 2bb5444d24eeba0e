/*
 * The request as the backend gets it: HTTP/1.1, the client's end-to-end
 * headers, Host (the backend's unless ProxyPreserveHost), X-Forwarded-*
 * (ProxyAddHeaders), and the body as it arrives.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "proxy_http.h"

/* Whether `token` is one of the comma-separated words of `list`. */
static int list_has(const char *list, const char *token)
{
    size_t n = strlen(token);
    while (list && *list) {
        while (*list == ' ' || *list == '\t' || *list == ',') ++list;
        size_t len = strcspn(list, ", \t");
        if (len == n && strncasecmp(list, token, n) == 0) return 1;
        list += len;
    }
    return 0;
}

int ph_hop_by_hop(const char *name, const char *connection)
{
    static const char *const hop[] = {"Connection", "Keep-Alive", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
                                      NULL};
    for (int i = 0; hop[i]; ++i)
        if (strcasecmp(name, hop[i]) == 0) return 1;
    if (strncasecmp(name, "Proxy-", 6) == 0) return 1;
    return list_has(connection, name);
}

typedef struct head_builder {
    mh_request *r;
    const mh_proxy_target *t;
    const char *connection; /* the client's Connection header */
    char *out;
} head_builder;

static void append(head_builder *b, const char *name, const char *value)
{
    b->out = ph_api->psprintf(ph_api->request_pool(b->r), "%s%s: %s\r\n", b->out, name, value);
}

/* Headers this module writes itself, or that describe the client's hop. */
static int replaced(const head_builder *b, const char *name)
{
    if (strcasecmp(name, "Host") == 0 || strcasecmp(name, "Content-Length") == 0 || strcasecmp(name, "Expect") == 0)
        return 1;
    if (b->t->add_headers && strncasecmp(name, "X-Forwarded-", 12) == 0) {
        const char *rest = name + 12;
        return strcasecmp(rest, "For") == 0 || strcasecmp(rest, "Host") == 0 || strcasecmp(rest, "Server") == 0 ||
               strcasecmp(rest, "Proto") == 0;
    }
    return 0;
}

static int copy_header(void *data, const char *name, const char *value)
{
    head_builder *b = data;
    if (!ph_hop_by_hop(name, b->connection) && !replaced(b, name)) append(b, name, value);
    return 0;
}

/* Apache's apr_table_mergen: the client's values, then ours. */
static void add_forwarded(head_builder *b, mh_table *in, const char *name, const char *value)
{
    const char *old = ph_api->table_get(in, name);
    if (value == NULL) value = "";
    if (old && *old) value = ph_api->psprintf(ph_api->request_pool(b->r), "%s, %s", old, value);
    append(b, name, value);
}

static const char *backend_host(mh_request *r, const mh_proxy_target *t)
{
    mh_pool *p = ph_api->request_pool(r);
    const char *host = strchr(t->host, ':') ? ph_api->psprintf(p, "[%s]", t->host) : t->host;
    if (t->port == 80 || t->unix_path) return host;
    return ph_api->psprintf(p, "%s:%d", host, t->port);
}

char *ph_request_head(mh_request *r, const mh_proxy_target *t)
{
    mh_pool *p = ph_api->request_pool(r);
    mh_table *in = ph_api->headers_in(r);
    head_builder b = {r, t, ph_api->header_in(r, "Connection"), NULL};
    const char *client_host = ph_api->header_in(r, "Host");
    b.out = ph_api->psprintf(p, "%s %s HTTP/1.1\r\n", ph_api->request_method(r), t->uri);
    append(&b, "Host", t->preserve_host && client_host ? client_host : backend_host(r, t));
    ph_api->headers_in_each(r, copy_header, &b);
    if (t->add_headers) {
        add_forwarded(&b, in, "X-Forwarded-For", ph_api->client_ip(r));
        if (client_host) add_forwarded(&b, in, "X-Forwarded-Host", client_host);
        add_forwarded(&b, in, "X-Forwarded-Server", ph_api->server_name(ph_api->request_server(r)));
        /* Not Apache's: what nginx setups pass on. No TLS here: always http. */
        append(&b, "X-Forwarded-Proto", "http");
    }
    int64_t length = ph_api->body_length(r);
    if (length > 0) append(&b, "Content-Length", ph_api->psprintf(p, "%lld", (long long)length));
    else if (length < 0) append(&b, "Transfer-Encoding", "chunked");
    return ph_api->psprintf(p, "%s\r\n", b.out);
}

int ph_send_body(mh_request *r, ph_conn *c)
{
    int64_t length = ph_api->body_length(r);
    char buf[PH_BUFSIZE];
    if (length == 0) return 0;
    for (;;) {
        long n = ph_api->read_body(r, buf, sizeof buf);
        if (n < 0) {
            int status = ph_api->status(r);
            return status >= 400 ? status : 400;
        }
        if (length < 0) {
            char size[24];
            int len = snprintf(size, sizeof size, n > 0 ? "%lx\r\n" : "0\r\n\r\n", (unsigned long)n);
            if (ph_send(c, size, (size_t)len) < 0) return -1;
            if (n > 0 && (ph_send(c, buf, (size_t)n) < 0 || ph_send(c, "\r\n", 2) < 0)) return -1;
        } else if (n > 0 && ph_send(c, buf, (size_t)n) < 0) {
            return -1;
        }
        if (n == 0) return 0;
    }
}
