/* SSLSessionCache shmcb: TLS sessions (serialized, DER) in shared memory
 * that every child inherits, so that a session made in one child resumes in
 * any other. Made in post_config, before the children fork: an anonymous
 * MAP_SHARED mapping with a process-shared (robust) mutex. A fixed table of
 * slots, four probes per id; a full table drops the oldest of them. */
#define _GNU_SOURCE  /* gmtime_r, MAP_ANONYMOUS, robust mutexes */
#include <errno.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "ssl.h"

#define SLOT_DATA 2000  /* bytes of DER a session may take (no client certificates here) */
#define PROBES 4

typedef struct cache_slot {
    int64_t expires;            /* unix seconds; 0 = empty */
    unsigned id_len;
    unsigned char id[SSL_MAX_SSL_SESSION_ID_LENGTH];
    unsigned der_len;
    unsigned char der[SLOT_DATA];
} cache_slot;

typedef struct cache_header {
    pthread_mutex_t lock;
    unsigned slots;
} cache_header;

static cache_header *cache;  /* NULL: no shared cache */
static size_t cache_bytes;

static cache_slot *slot_at(unsigned i) { return (cache_slot *)(cache + 1) + i; }

static unsigned hash_id(const unsigned char *id, unsigned len)
{
    unsigned h = 2166136261u;
    for (unsigned i = 0; i < len; ++i) h = (h ^ id[i]) * 16777619u;
    return h;
}

static void lock(void)
{
    if (pthread_mutex_lock(&cache->lock) == EOWNERDEAD) pthread_mutex_consistent(&cache->lock);
}
static void unlock(void) { pthread_mutex_unlock(&cache->lock); }

static void unmap(void *p)
{
    if (p == cache) cache = NULL;
    munmap(p, cache_bytes);
}

int ssl_cache_init(mh_server *main)
{
    if (ssl_global.cache_kind != SSL_CACHE_SHMCB) {
        cache = NULL;
        return 0;
    }
    size_t slots = (size_t)ssl_global.cache_size / sizeof(cache_slot);
    if (slots < 4) slots = 4;
    size_t bytes = sizeof(cache_header) + slots * sizeof(cache_slot);
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        ssl_api->log_error(&ssl_module, MH_LOG_EMERG, errno, main, NULL,
                           "AH02180: Could not allocate the shared session cache (%zu bytes)", bytes);
        return -1;
    }
    cache = p;
    cache_bytes = bytes;
    cache->slots = (unsigned)slots;
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&cache->lock, &a);
    pthread_mutexattr_destroy(&a);
    /* Freed with this configuration; children keep their own mapping. */
    ssl_api->pool_cleanup(ssl_api->config_pool(main), unmap, p);
    return 0;
}

static int on_new(SSL *ssl, SSL_SESSION *sess)
{
    (void)ssl;
    if (!cache) return 0;
    unsigned id_len;
    const unsigned char *id = SSL_SESSION_get_id(sess, &id_len);
    int der_len = i2d_SSL_SESSION(sess, NULL);
    if (id_len == 0 || der_len <= 0 || der_len > SLOT_DATA) return 0;
    unsigned char der[SLOT_DATA], *p = der;
    i2d_SSL_SESSION(sess, &p);
    int64_t now = (int64_t)time(NULL);
    int64_t expires = (int64_t)SSL_SESSION_get_time(sess) + SSL_SESSION_get_timeout(sess);
    lock();
    unsigned h = hash_id(id, id_len);
    cache_slot *victim = NULL;
    for (unsigned k = 0; k < PROBES; ++k) {
        cache_slot *s = slot_at((h + k) % cache->slots);
        if (s->expires <= now || (s->id_len == id_len && memcmp(s->id, id, id_len) == 0)) {
            victim = s;
            break;
        }
        if (!victim || s->expires < victim->expires) victim = s;
    }
    victim->expires = expires;
    victim->id_len = id_len;
    memcpy(victim->id, id, id_len);
    victim->der_len = (unsigned)der_len;
    memcpy(victim->der, der, (size_t)der_len);
    unlock();
    return 0;  /* we keep no reference to `sess` */
}

static SSL_SESSION *on_get(SSL *ssl, const unsigned char *id, int id_len, int *copy)
{
    (void)ssl;
    *copy = 0;
    if (!cache || id_len <= 0 || id_len > SSL_MAX_SSL_SESSION_ID_LENGTH) return NULL;
    unsigned char der[SLOT_DATA];
    unsigned der_len = 0;
    int64_t now = (int64_t)time(NULL);
    lock();
    unsigned h = hash_id(id, (unsigned)id_len);
    for (unsigned k = 0; k < PROBES; ++k) {
        cache_slot *s = slot_at((h + k) % cache->slots);
        if (s->expires > now && s->id_len == (unsigned)id_len && memcmp(s->id, id, (size_t)id_len) == 0) {
            der_len = s->der_len;
            memcpy(der, s->der, der_len);
            break;
        }
    }
    unlock();
    if (der_len == 0) return NULL;
    const unsigned char *p = der;
    return d2i_SSL_SESSION(NULL, &p, (long)der_len);
}

static void on_remove(SSL_CTX *ctx, SSL_SESSION *sess)
{
    (void)ctx;
    if (!cache) return;
    unsigned id_len;
    const unsigned char *id = SSL_SESSION_get_id(sess, &id_len);
    if (id_len == 0) return;
    lock();
    unsigned h = hash_id(id, id_len);
    for (unsigned k = 0; k < PROBES; ++k) {
        cache_slot *s = slot_at((h + k) % cache->slots);
        if (s->id_len == id_len && memcmp(s->id, id, id_len) == 0) s->expires = 0;
    }
    unlock();
}

void ssl_cache_attach(SSL_CTX *ctx)
{
    if (ssl_global.cache_kind == SSL_CACHE_NONE) {
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
        return;
    }
    /* The server's cache is ours alone: OpenSSL's own is per process. */
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL);
    if (ssl_global.cache_kind != SSL_CACHE_SHMCB) return;  /* nonenotnull: ids sent, nothing kept */
    SSL_CTX_sess_set_new_cb(ctx, on_new);
    SSL_CTX_sess_set_get_cb(ctx, on_get);
    SSL_CTX_sess_set_remove_cb(ctx, on_remove);
}
