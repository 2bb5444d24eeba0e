/*
 * modhttpd module ABI (1.4): a connection transport supplied by a module.
 *
 * Every connection reads and writes its bytes through a transport. The
 * core's own is the plain socket; a module (mod_ssl) may wrap a new
 * connection in one of its own from a create_transport hook
 * (api->hook_create_transport). The HTTP engine, the request pipeline and
 * every MPM then drive it exactly as they drive a plain socket: there is no
 * second HTTP path.
 *
 * The socket is non-blocking and every operation must be too. An operation
 * that cannot go on now fails with errno EAGAIN, and wants() then says what
 * the socket must become before it is tried again: a TLS read may have to
 * write first (a handshake message), a write may have to read. A handshake
 * therefore happens inside the first reads and writes, and a client that
 * stalls in it holds no thread of an event MPM: the request head's timeouts
 * (RequestReadTimeout header=, Timeout) end it.
 *
 * There is no sendfile here: the core reads files into memory in bounded
 * pieces for a transport. All functions run on the thread that owns the
 * connection at the time ([worker], or an event MPM's loop); one at a time.
 */
#ifndef MODHTTPD_TRANSPORT_H
#define MODHTTPD_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "modhttpd/module.h"

#ifdef __cplusplus
extern "C" {
#endif

struct iovec;
struct mh_conn_info;

/* What wants() answers after EAGAIN. */
#define MH_WANT_READ 1  /* the socket to become readable */
#define MH_WANT_WRITE 2 /* the socket to become writable */

typedef struct mh_transport_ops {
    uint32_t struct_size;  /* sizeof(mh_transport_ops) at the module's build */
    /* >0 bytes, 0 at the peer's (clean or not) end, -1 with errno
     * (EAGAIN: see wants; anything else ends the connection). */
    long (*read)(void *ctx, void *buf, size_t n);
    /* Bytes written from the front of iov, or -1 with errno. After EAGAIN
     * (or a short count) the core calls again with the same bytes first.
     * `more`: more data follows at once. */
    long (*writev)(void *ctx, const struct iovec *iov, int count, int more);
    /* After EAGAIN: MH_WANT_READ or MH_WANT_WRITE. */
    int (*wants)(void *ctx);
    /* The last bytes were sent (TLS: close_notify, then the FIN): 0, or -1. */
    int (*shutdown_write)(void *ctx);
    /* Non-zero when bytes were received and are held inside the transport
     * (TLS records decrypted ahead): the socket will not become readable
     * for them, so the core reads instead of waiting. NULL: never. */
    int (*has_pending_input)(void *ctx);
    /* A variable of the connection, as Apache's ssl_var_lookup: "HTTPS"
     * ("on" makes the requests on it secure: https URLs, port 443 by
     * default), "SSL_PROTOCOL", "SSL_CIPHER", "SSL_TLS_SNI"...; NULL when
     * unknown. The string stays valid for the connection. NULL: none. */
    const char *(*var)(void *ctx, const char *name);
    /* The connection ends: free ctx. The core closes the socket after. */
    void (*destroy)(void *ctx);
} mh_transport_ops;

/* What a create_transport hook is told about the new connection. */
typedef struct mh_transport_conn {
    uint32_t struct_size;
    int fd;                             /* the socket: the core's to close */
    const struct mh_conn_info *info;    /* as the MPM accepted it (modhttpd/mpm.h) */
    const char *protocol;               /* its listener's: "http", "https" (Listen 443 https) */
    const char *local_ip;               /* the address it came to */
    int local_port;
    mh_server *server;                  /* the main server */
} mh_transport_conn;

/* What the hook fills in (the core sets struct_size). */
typedef struct mh_transport {
    uint32_t struct_size;
    const mh_transport_ops *ops;        /* static, lives as long as the module */
    void *ctx;                          /* handed to every op; freed by destroy */
} mh_transport;

/* [worker] or an event MPM's loop. MH_OK: `out` is filled and the
 * connection uses it; MH_DECLINED: the next hook, else the plain socket;
 * anything else: the connection is closed at once. Must not block. */
typedef int (*mh_transport_fn)(const mh_transport_conn *conn, mh_transport *out);

#ifdef __cplusplus
}
#endif

#endif
