/*
 * mod_ssl: TLS for modhttpd, as Apache 2.4's mod_ssl on OpenSSL 3.
 *
 *   mod_ssl.c       the descriptor, hooks: post_config builds each server's
 *                   SSL_CTX (before fork), create_transport wraps a connection
 *   ssl_config.c    the directives and the per-server config
 *   ssl_context.c   SSL_CTX: protocols, ciphers, certificate, SNI, ALPN
 *   ssl_io.c        the transport: non-blocking reads and writes, variables
 *   ssl_cache.c     SSLSessionCache shmcb: sessions shared by every child
 */
#ifndef MOD_SSL_H
#define MOD_SSL_H

#include <openssl/ssl.h>

#include "modhttpd/modhttpd.h"

extern const mh_api *ssl_api;
extern const mh_module ssl_module;

/* SSLProtocol bits. */
#define SSL_PROTO_SSLV3 0x01
#define SSL_PROTO_TLSV1 0x02
#define SSL_PROTO_TLSV1_1 0x04
#define SSL_PROTO_TLSV1_2 0x08
#define SSL_PROTO_TLSV1_3 0x10
#define SSL_PROTO_ALL (SSL_PROTO_SSLV3 | SSL_PROTO_TLSV1 | SSL_PROTO_TLSV1_1 | SSL_PROTO_TLSV1_2 | SSL_PROTO_TLSV1_3)
/* Apache 2.4.58's default: TLSv1.2 and TLSv1.3. */
#define SSL_PROTO_DEFAULT (SSL_PROTO_TLSV1_2 | SSL_PROTO_TLSV1_3)

#define SSL_UNSET (-1)

typedef struct ssl_server_conf {
    int engine;                   /* SSLEngine: SSL_UNSET, 0, 1 */
    const char *cert_file;        /* SSLCertificateFile, absolute */
    const char *key_file;         /* SSLCertificateKeyFile (NULL: the key is in cert_file) */
    const char *chain_file;       /* SSLCertificateChainFile */
    int protocols;                /* SSLProtocol bits, SSL_UNSET */
    const char *cipher_list;      /* SSLCipherSuite [SSL] ..., for TLSv1.2 and below */
    const char *ciphersuites;     /* SSLCipherSuite TLSv1.3 ... */
    int honor_order;              /* SSLHonorCipherOrder */
    int tickets;                  /* SSLSessionTickets */
    long cache_timeout;           /* SSLSessionCacheTimeout, seconds; SSL_UNSET */
    SSL_CTX *ctx;                 /* built in post_config */
    mh_server *server;            /* the server it was first built for */
} ssl_server_conf;

/* SSLSessionCache (process-wide). */
enum ssl_cache_kind { SSL_CACHE_NONE = 0, SSL_CACHE_NONE_NOT_NULL, SSL_CACHE_SHMCB };
typedef struct ssl_global_conf {
    int cache_kind;
    long cache_size;              /* shmcb bytes */
} ssl_global_conf;
extern ssl_global_conf ssl_global;

/* ssl_config.c */
extern const mh_command ssl_commands[];
void *ssl_create_server_config(mh_pool *pool);
void *ssl_merge_server_config(mh_pool *pool, const void *base, const void *add);
int ssl_conf_protocols(const ssl_server_conf *c);
long ssl_conf_cache_timeout(const ssl_server_conf *c);

/* ssl_context.c: 0, or -1 having logged why (names the files). */
int ssl_build_context(ssl_server_conf *c, mh_server *s);
/* Checks that a certificate and key file belong together; NULL or an error
 * message in `pool`. */
const char *ssl_check_pair(mh_pool *pool, const mh_server *s, const char *cert, const char *key);

/* ssl_io.c */
int ssl_create_transport(const mh_transport_conn *conn, mh_transport *out);
/* The connection's local address, for SNI's vhost lookup. */
typedef struct ssl_conn ssl_conn;
const char *ssl_conn_local_ip(const SSL *ssl);
int ssl_conn_local_port(const SSL *ssl);
mh_server *ssl_conn_main_server(const SSL *ssl);

/* ssl_cache.c: the shared cache, made in post_config before fork. */
int ssl_cache_init(mh_server *main);
void ssl_cache_attach(SSL_CTX *ctx);

#endif
