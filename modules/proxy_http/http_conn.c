/*
 * Backend connections: a per-process pool of kept-alive ones (shared by
 * the threads of a worker or event child under a mutex), and I/O that never
 * waits longer than the target's timeout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proxy_http.h"
#include "../proxy/proxy_io.h"

/* Idle connections a process keeps, all backends together. */
#define PH_POOL_MAX 128

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static ph_conn *pool[PH_POOL_MAX];
static int pool_count;

void ph_pool_reset(void)
{
    pthread_mutex_lock(&pool_lock);
    for (int i = 0; i < pool_count; ++i) {
        close(pool[i]->fd);
        free(pool[i]);
    }
    pool_count = 0;
    pthread_mutex_unlock(&pool_lock);
}

/* The most recently kept connection for `key`, or NULL. */
static ph_conn *take(const char *key)
{
    ph_conn *c = NULL;
    pthread_mutex_lock(&pool_lock);
    for (int i = pool_count - 1; i >= 0; --i) {
        if (strcmp(pool[i]->key, key) != 0) continue;
        c = pool[i];
        pool[i] = pool[--pool_count];
        break;
    }
    pthread_mutex_unlock(&pool_lock);
    return c;
}

/* A kept connection the backend has closed (or that has stray bytes) is
 * readable while idle. */
static int still_open(int fd)
{
    struct pollfd pfd = {fd, POLLIN, 0};
    return poll(&pfd, 1, 0) == 0;
}

static void conn_close(ph_conn *c)
{
    close(c->fd);
    free(c);
}

ph_conn *ph_acquire(mh_request *r, const mh_proxy_target *t, int fresh)
{
    char key[sizeof(((ph_conn *)0)->key)];
    if (t->unix_path) snprintf(key, sizeof key, "unix:%s", t->unix_path);
    else snprintf(key, sizeof key, "%s:%d", t->host, t->port);
    ph_conn *c;
    while (!fresh && t->reuse && (c = take(key)) != NULL) {
        if (still_open(c->fd)) {
            c->reused = 1;
            c->timeout_ms = t->timeout_ms;
            return c;
        }
        conn_close(c);
    }
    int fd = t->connect(r, t);
    if (fd < 0) return NULL;
    c = malloc(sizeof *c);
    if (c == NULL) {
        close(fd);
        return NULL;
    }
    c->fd = fd;
    c->reused = 0;
    c->timeout_ms = t->timeout_ms;
    memcpy(c->key, key, sizeof key);
    c->pos = c->len = 0;
    return c;
}

void ph_release(ph_conn *c, int keep)
{
    if (c == NULL) return;
    if (keep && c->pos == c->len) {
        c->pos = c->len = 0;
        pthread_mutex_lock(&pool_lock);
        if (pool_count < PH_POOL_MAX) {
            pool[pool_count++] = c;
            c = NULL;
        }
        pthread_mutex_unlock(&pool_lock);
    }
    if (c) conn_close(c);
}

int ph_send(ph_conn *c, const void *data, size_t n) { return px_io_send_all(c->fd, data, n, c->timeout_ms); }

long ph_fill(ph_conn *c)
{
    if (c->pos == c->len) c->pos = c->len = 0;
    if (c->len == sizeof c->buf) {
        memmove(c->buf, c->buf + c->pos, c->len - c->pos);
        c->len -= c->pos;
        c->pos = 0;
    }
    if (c->len == sizeof c->buf) {
        errno = E2BIG;
        return -1;
    }
    long n = px_io_recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, c->timeout_ms);
    if (n > 0) c->len += (size_t)n;
    return n;
}

long ph_read(ph_conn *c, char *out, size_t n)
{
    if (c->pos == c->len) {
        long got = ph_fill(c);
        if (got <= 0) return got;
    }
    size_t have = c->len - c->pos;
    if (n > have) n = have;
    memcpy(out, c->buf + c->pos, n);
    c->pos += n;
    return (long)n;
}

char *ph_read_line(mh_request *r, ph_conn *c, size_t max, int *eof)
{
    *eof = 0;
    for (;;) {
        char *start = c->buf + c->pos;
        char *nl = memchr(start, '\n', c->len - c->pos);
        if (nl) {
            size_t n = (size_t)(nl - start);
            c->pos += n + 1;
            if (n > 0 && start[n - 1] == '\r') --n;
            return ph_api->pstrndup(ph_api->request_pool(r), start, n);
        }
        if (c->len - c->pos > max) {
            errno = E2BIG;
            return NULL;
        }
        long got = ph_fill(c);
        if (got == 0) *eof = 1;
        if (got <= 0) return NULL;
    }
}
