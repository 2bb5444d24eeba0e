/* The TLS transport: OpenSSL on the connection's non-blocking socket. The
 * handshake happens inside the first reads (and writes); after EAGAIN,
 * wants() says which readiness OpenSSL waits for. */
#define _GNU_SOURCE  /* gmtime_r, MAP_ANONYMOUS, robust mutexes */
#include <errno.h>
#include <openssl/err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

#include "ssl.h"

#define RECORD 16384  /* the most a TLS record carries: one SSL_write */

struct ssl_conn {
    SSL *ssl;
    int fd;
    int want;                 /* MH_WANT_* after the last EAGAIN */
    int failed;               /* a fatal error: no close_notify */
    int closed;               /* close_notify sent */
    size_t pending;           /* bytes of the SSL_write that said "again": retried first */
    mh_server *main;
    char local_ip[64];
    int local_port;
    char keysize[16], algkeysize[16], library[64];
};

static ssl_conn *conn_of(const SSL *ssl) { return SSL_get_app_data(ssl); }
const char *ssl_conn_local_ip(const SSL *ssl) { return conn_of(ssl) ? conn_of(ssl)->local_ip : ""; }
int ssl_conn_local_port(const SSL *ssl) { return conn_of(ssl) ? conn_of(ssl)->local_port : 0; }
mh_server *ssl_conn_main_server(const SSL *ssl) { return conn_of(ssl) ? conn_of(ssl)->main : NULL; }

/* Plain HTTP on the TLS port: Apache's answer, in plain HTTP, then close. */
static void answer_plain_http(ssl_conn *c)
{
    static const char body[] =
        "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>400 Bad Request</title>\n"
        "</head><body>\n<h1>Bad Request</h1>\n<p>Your browser sent a request that this server could not "
        "understand.<br />\nReason: You're speaking plain HTTP to an SSL-enabled server port.<br />\n Instead use "
        "the HTTPS scheme to access this URL, please.<br />\n</p>\n</body></html>\n";
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&now, &tm));
    char head[512];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 400 Bad Request\r\nDate: %s\r\nServer: %s\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n",
                     date, ssl_api->server_version, sizeof body - 1);
    /* What the client sent is read away first, so that the close is a FIN,
     * not a reset that would destroy the answer in its receive buffer. */
    char sink[4096];
    while (recv(c->fd, sink, sizeof sink, MSG_DONTWAIT) > 0) {}
    struct iovec iov[2] = {{head, (size_t)n}, {(void *)body, sizeof body - 1}};
    struct msghdr msg = {0};
    msg.msg_iov = iov;
    msg.msg_iovlen = 2;
    (void)sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    shutdown(c->fd, SHUT_WR);
}

/* After a failed SSL call: -1 with errno (EAGAIN and wants), or 0 at the end. */
static long failed(ssl_conn *c, int rc, int reading)
{
    int err = SSL_get_error(c->ssl, rc);
    switch (err) {
    case SSL_ERROR_WANT_READ:
        c->want = MH_WANT_READ;
        errno = EAGAIN;
        return -1;
    case SSL_ERROR_WANT_WRITE:
        c->want = MH_WANT_WRITE;
        errno = EAGAIN;
        return -1;
    case SSL_ERROR_ZERO_RETURN:  /* close_notify (or an EOF: IGNORE_UNEXPECTED_EOF) */
        if (reading) return 0;
        errno = EPIPE;
        return -1;
    case SSL_ERROR_SYSCALL:
        c->failed = 1;
        if (errno == 0) {
            if (reading) return 0;
            errno = EPIPE;
        }
        return -1;
    default: {
        c->failed = 1;
        unsigned long e = ERR_peek_error();
        int reason = ERR_GET_REASON(e);
        if (!SSL_is_init_finished(c->ssl) && (reason == SSL_R_HTTP_REQUEST || reason == SSL_R_HTTPS_PROXY_REQUEST)) {
            answer_plain_http(c);
        } else if (ssl_api->log_enabled(&ssl_module, c->main, MH_LOG_INFO)) {
            char why[256];
            ERR_error_string_n(e, why, sizeof why);
            ssl_api->log_error(&ssl_module, MH_LOG_INFO, 0, c->main, NULL, "AH02008: SSL library error %d in %s: %s",
                               err, SSL_is_init_finished(c->ssl) ? "connection" : "handshake", why);
        }
        ERR_clear_error();
        errno = EPROTO;
        return -1;
    }
    }
}

static long tls_read(void *ctx, void *buf, size_t n)
{
    ssl_conn *c = ctx;
    if (c->closed) {
        /* A lingering close after our close_notify: what the client still
         * sends is only drained (OpenSSL would drop one record per call and
         * report the end, and closing on unread bytes resets the connection,
         * destroying our answer in the client's receive buffer). */
        long raw = recv(c->fd, buf, n, 0);
        if (raw < 0 && errno == EAGAIN) c->want = MH_WANT_READ;
        return raw;
    }
    size_t got = 0;
    ERR_clear_error();
    errno = 0;
    int rc = SSL_read_ex(c->ssl, buf, n, &got);
    return rc == 1 ? (long)got : failed(c, rc, 1);
}

/* One record at a time from the front of iov, as many as the socket takes.
 * A record OpenSSL could not finish is retried first on the next call (the
 * core passes the same bytes first again; SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
 * lets them be at another address). */
static long tls_writev(void *ctx, const struct iovec *iov, int count, int more)
{
    (void)more;
    ssl_conn *c = ctx;
    /* The core answers before a request only when there is none to come (a
     * head timeout, an end of input): mid-handshake nobody can read it. */
    if (!SSL_is_init_finished(c->ssl)) {
        c->failed = 1;
        errno = EPIPE;
        return -1;
    }
    unsigned char record[RECORD];
    size_t total = 0, skip = 0;
    int i = 0;
    for (;;) {
        size_t len = 0;
        /* Gather up to one record starting `skip` bytes into iov[i]. */
        for (int j = i; j < count && len < RECORD; ++j) {
            size_t off = j == i ? skip : 0;
            size_t take = iov[j].iov_len - off;
            if (take > RECORD - len) take = RECORD - len;
            memcpy(record + len, (const char *)iov[j].iov_base + off, take);
            len += take;
        }
        if (len == 0) break;
        if (len < c->pending) {  /* the core did not pass the same bytes again */
            errno = EIO;
            return -1;
        }
        size_t written = 0;
        ERR_clear_error();
        errno = 0;
        int rc = SSL_write_ex(c->ssl, record, len, &written);
        if (rc != 1) {
            long r = failed(c, rc, 0);
            if (r < 0 && errno == EAGAIN) {
                c->pending = len;
                if (total > 0) return (long)total;
            }
            return r;
        }
        c->pending = 0;
        total += written;
        /* Advance (i, skip) past `written` bytes. */
        size_t left = written;
        while (i < count && left > 0) {
            size_t avail = iov[i].iov_len - skip;
            if (left < avail) {
                skip += left;
                left = 0;
            } else {
                left -= avail;
                ++i;
                skip = 0;
            }
        }
        while (i < count && iov[i].iov_len == skip) ++i, skip = 0;
        if (i >= count) break;
    }
    return (long)total;
}

static int tls_wants(void *ctx) { return ((ssl_conn *)ctx)->want; }

static int tls_shutdown_write(void *ctx)
{
    ssl_conn *c = ctx;
    if (!c->failed && !c->closed && SSL_is_init_finished(c->ssl)) {
        ERR_clear_error();
        SSL_shutdown(c->ssl);  /* close_notify; the client's is not waited for */
        ERR_clear_error();
        c->closed = 1;
    }
    return shutdown(c->fd, SHUT_WR);
}

static int tls_has_pending_input(void *ctx) { return SSL_pending(((ssl_conn *)ctx)->ssl) > 0; }

static const char *tls_var(void *ctx, const char *name)
{
    ssl_conn *c = ctx;
    SSL *ssl = c->ssl;
    if (strcmp(name, "HTTPS") == 0) return "on";
    if (strcmp(name, "SSL_VERSION_INTERFACE") == 0) return "mod_ssl/" MODHTTPD_VERSION_STRING;
    if (strcmp(name, "SSL_VERSION_LIBRARY") == 0) {
        /* "OpenSSL 3.0.19 27 Jan 2026" -> "OpenSSL/3.0.19", as Apache. */
        if (!c->library[0]) {
            snprintf(c->library, sizeof c->library, "%s", OpenSSL_version(OPENSSL_VERSION));
            char *sp = strchr(c->library, ' ');
            if (sp) {
                *sp = '/';
                char *end = strchr(sp, ' ');
                if (end) *end = '\0';
            }
        }
        return c->library;
    }
    if (!SSL_is_init_finished(ssl)) return NULL;
    const SSL_CIPHER *cipher = SSL_get_current_cipher(ssl);
    if (strcmp(name, "SSL_PROTOCOL") == 0) return SSL_get_version(ssl);
    if (strcmp(name, "SSL_CIPHER") == 0) return cipher ? SSL_CIPHER_get_name(cipher) : NULL;
    if (strcmp(name, "SSL_CIPHER_USEKEYSIZE") == 0 || strcmp(name, "SSL_CIPHER_ALGKEYSIZE") == 0) {
        int alg = 0, use = cipher ? SSL_CIPHER_get_bits(cipher, &alg) : 0;
        snprintf(c->keysize, sizeof c->keysize, "%d", use);
        snprintf(c->algkeysize, sizeof c->algkeysize, "%d", alg);
        return name[11] == 'U' ? c->keysize : c->algkeysize;
    }
    if (strcmp(name, "SSL_CIPHER_EXPORT") == 0) return "false";
    if (strcmp(name, "SSL_COMPRESS_METHOD") == 0) return "NULL";
    if (strcmp(name, "SSL_SECURE_RENEG") == 0) return SSL_get_secure_renegotiation_support(ssl) ? "true" : "false";
    if (strcmp(name, "SSL_SESSION_RESUMED") == 0) return SSL_session_reused(ssl) ? "Resumed" : "Initial";
    if (strcmp(name, "SSL_TLS_SNI") == 0) return SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    if (strcmp(name, "SSL_CLIENT_VERIFY") == 0) return "NONE";
    return NULL;
}

static void tls_destroy(void *ctx)
{
    ssl_conn *c = ctx;
    if (!c->failed && !c->closed && SSL_is_init_finished(c->ssl)) {
        ERR_clear_error();
        SSL_shutdown(c->ssl);  /* close_notify, as far as the socket takes it now */
    }
    ERR_clear_error();
    SSL_free(c->ssl);
    free(c);
}

static const mh_transport_ops tls_ops = {
    sizeof(mh_transport_ops), tls_read, tls_writev, tls_wants, tls_shutdown_write, tls_has_pending_input, tls_var,
    tls_destroy,
};

int ssl_create_transport(const mh_transport_conn *conn, mh_transport *out)
{
    mh_server *base = ssl_api->server_for_address(conn->server, conn->local_ip, conn->local_port, NULL);
    ssl_server_conf *sc = base ? ssl_api->server_config(base, &ssl_module) : NULL;
    if (!sc || sc->engine != 1 || !sc->ctx) return MH_DECLINED;
    ssl_conn *c = calloc(1, sizeof *c);
    if (!c) return 500;
    c->ssl = SSL_new(sc->ctx);
    if (!c->ssl || !SSL_set_fd(c->ssl, conn->fd)) {
        if (c->ssl) SSL_free(c->ssl);
        free(c);
        ERR_clear_error();
        return 500;
    }
    c->fd = conn->fd;
    c->want = MH_WANT_READ;
    c->main = conn->server;
    snprintf(c->local_ip, sizeof c->local_ip, "%s", conn->local_ip ? conn->local_ip : "");
    c->local_port = conn->local_port;
    SSL_set_app_data(c->ssl, c);
    SSL_set_accept_state(c->ssl);
    out->ops = &tls_ops;
    out->ctx = c;
    return MH_OK;
}
