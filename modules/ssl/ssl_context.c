/* One SSL_CTX per server with SSLEngine on, built in post_config (in the
 * master, before the children fork: they share its session ticket keys). */
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>

#include "ssl.h"

static const char *openssl_reason(char *buf, size_t n)
{
    unsigned long e = ERR_peek_last_error();
    if (e == 0) return "unknown error";
    ERR_error_string_n(e, buf, n);
    ERR_clear_error();
    return buf;
}

/* The vhost's id in Apache's messages: "name:port". */
static const char *server_id(mh_pool *pool, const mh_server *s)
{
    return ssl_api->psprintf(pool, "%s:0", ssl_api->server_name(s));
}

static X509 *read_cert(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    return x;
}

static EVP_PKEY *read_key(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    return k;
}

const char *ssl_check_pair(mh_pool *pool, const mh_server *s, const char *cert, const char *key)
{
    char why[256];
    X509 *x = read_cert(cert);
    if (!x)
        return ssl_api->psprintf(pool, "AH02562: Failed to configure certificate %s, check %s (%s)",
                                 server_id(pool, s), cert, openssl_reason(why, sizeof why));
    EVP_PKEY *k = read_key(key ? key : cert);
    if (!k) {
        X509_free(x);
        return ssl_api->psprintf(pool, "AH02564: Failed to configure encrypted (?) private key %s, check %s (%s)",
                                 server_id(pool, s), key ? key : cert, openssl_reason(why, sizeof why));
    }
    int match = X509_check_private_key(x, k);
    X509_free(x);
    EVP_PKEY_free(k);
    ERR_clear_error();
    if (!match)
        return ssl_api->psprintf(pool, "AH02565: Certificate and private key %s from %s and %s do not match",
                                 server_id(pool, s), cert, key ? key : cert);
    return NULL;
}

static int version_of(int bit)
{
    switch (bit) {
    case SSL_PROTO_SSLV3: return SSL3_VERSION;
    case SSL_PROTO_TLSV1: return TLS1_VERSION;
    case SSL_PROTO_TLSV1_1: return TLS1_1_VERSION;
    case SSL_PROTO_TLSV1_2: return TLS1_2_VERSION;
    default: return TLS1_3_VERSION;
    }
}

/* SSLProtocol: OpenSSL takes a range; a hole in it is an SSL_OP_NO_*. */
static void set_protocols(SSL_CTX *ctx, int protocols)
{
    static const struct { int bit; long no; } all[] = {
        {SSL_PROTO_SSLV3, SSL_OP_NO_SSLv3},     {SSL_PROTO_TLSV1, SSL_OP_NO_TLSv1},
        {SSL_PROTO_TLSV1_1, SSL_OP_NO_TLSv1_1}, {SSL_PROTO_TLSV1_2, SSL_OP_NO_TLSv1_2},
        {SSL_PROTO_TLSV1_3, SSL_OP_NO_TLSv1_3},
    };
    int lo = 0, hi = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i) {
        if (!(protocols & all[i].bit)) continue;
        if (!lo) lo = all[i].bit;
        hi = all[i].bit;
    }
    SSL_CTX_set_min_proto_version(ctx, version_of(lo));
    SSL_CTX_set_max_proto_version(ctx, version_of(hi));
    for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i)
        if (all[i].bit > lo && all[i].bit < hi && !(protocols & all[i].bit)) SSL_CTX_set_options(ctx, all[i].no);
    /* Old protocols need the old ciphers OpenSSL's default level refuses. */
    if (lo < SSL_PROTO_TLSV1_2) SSL_CTX_set_security_level(ctx, 0);
}

/* SNI: the virtual host that the name picks on this address serves the
 * handshake with its certificate (Apache's ssl_find_vhost). */
static int on_servername(SSL *ssl, int *alert, void *arg)
{
    (void)alert, (void)arg;
    const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    if (!name || !*name) return SSL_TLSEXT_ERR_NOACK;
    mh_server *main = ssl_conn_main_server(ssl);
    if (!main) return SSL_TLSEXT_ERR_NOACK;
    mh_server *s = ssl_api->server_for_address(main, ssl_conn_local_ip(ssl), ssl_conn_local_port(ssl), name);
    ssl_server_conf *c = s ? ssl_api->server_config(s, &ssl_module) : NULL;
    if (c && c->engine == 1 && c->ctx && c->ctx != SSL_get_SSL_CTX(ssl)) SSL_set_SSL_CTX(ssl, c->ctx);
    return SSL_TLSEXT_ERR_OK;
}

/* ALPN: HTTP/1.1 only. */
static int on_alpn(SSL *ssl, const unsigned char **out, unsigned char *outlen, const unsigned char *in,
                   unsigned int inlen, void *arg)
{
    (void)ssl, (void)arg;
    static const unsigned char http11[] = "\x08http/1.1";
    unsigned char *sel = NULL;
    if (SSL_select_next_proto(&sel, outlen, http11, sizeof http11 - 1, in, inlen) != OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;
    *out = sel;
    return SSL_TLSEXT_ERR_OK;
}

static int fail(const mh_server *s, const char *fmt, const char *a, const char *b)
{
    char why[256];
    const char *reason = openssl_reason(why, sizeof why);
    char msg[1024];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    ssl_api->log_error(&ssl_module, MH_LOG_EMERG, 0, s, NULL, "%s (%s)", msg, reason);
    fprintf(stderr, "%s (%s)\n", msg, reason);
    return -1;
}

int ssl_build_context(ssl_server_conf *c, mh_server *s)
{
    mh_pool *pool = ssl_api->config_pool(s);
    const char *id = server_id(pool, s);
    if (!c->cert_file) {
        ssl_api->log_error(&ssl_module, MH_LOG_EMERG, 0, s, NULL,
                           "AH02572: Failed to configure at least one certificate and key for %s", id);
        fprintf(stderr, "AH02572: Failed to configure at least one certificate and key for %s\n", id);
        return -1;
    }
    const char *pair = ssl_check_pair(pool, s, c->cert_file, c->key_file);
    if (pair) {
        ssl_api->log_error(&ssl_module, MH_LOG_EMERG, 0, s, NULL, "%s", pair);
        fprintf(stderr, "%s\n", pair);
        return -1;
    }
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) return fail(s, "AH01889: Unable to create the SSL context for %s%s", id, NULL);
    set_protocols(ctx, ssl_conf_protocols(c));
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_IGNORE_UNEXPECTED_EOF | SSL_OP_NO_RENEGOTIATION |
                                 SSL_OP_SINGLE_ECDH_USE);
    if (c->honor_order == 1) SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (c->tickets == 0) SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
    if (c->cipher_list && !SSL_CTX_set_cipher_list(ctx, c->cipher_list))
        return SSL_CTX_free(ctx), fail(s, "AH01898: Unable to configure permitted SSL ciphers '%s'%s", c->cipher_list, NULL);
    if (c->ciphersuites && !SSL_CTX_set_ciphersuites(ctx, c->ciphersuites))
        return SSL_CTX_free(ctx), fail(s, "AH01898: Unable to configure permitted TLSv1.3 ciphers '%s'%s", c->ciphersuites, NULL);
    if (SSL_CTX_use_certificate_chain_file(ctx, c->cert_file) != 1)
        return SSL_CTX_free(ctx), fail(s, "AH02561: Failed to configure certificate %s, check %s", id, c->cert_file);
    if (c->chain_file) {
        FILE *f = fopen(c->chain_file, "r");
        X509 *x;
        while (f && (x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL)
            if (!SSL_CTX_add_extra_chain_cert(ctx, x)) X509_free(x);
        if (f) fclose(f);
        ERR_clear_error();  /* the end of the file */
    }
    const char *key = c->key_file ? c->key_file : c->cert_file;
    if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)
        return SSL_CTX_free(ctx), fail(s, "AH02564: Failed to configure private key %s, check %s", id, key);
    /* Each vhost's sessions resume on that vhost only. */
    unsigned char sid[SSL_MAX_SID_CTX_LENGTH];
    int n = snprintf((char *)sid, sizeof sid, "%s", id);
    SSL_CTX_set_session_id_context(ctx, sid, (unsigned)(n < (int)sizeof sid ? n : (int)sizeof sid - 1));
    SSL_CTX_set_timeout(ctx, ssl_conf_cache_timeout(c));
    SSL_CTX_set_tlsext_servername_callback(ctx, on_servername);
    SSL_CTX_set_alpn_select_cb(ctx, on_alpn, NULL);
    ssl_cache_attach(ctx);
    c->ctx = ctx;
    c->server = s;
    return 0;
}
