/*
 * Apache's apr_password_validate: the hash says which algorithm made it.
 * Every kind Debian's htpasswd writes is checked: "$2y$" bcrypt (-B),
 * "$apr1$" (-m, the default), "{SHA}" (-s) and crypt (-d); like APR on
 * Unix, anything else goes to crypt(3) too, so glibc's "$1$", "$5$" and
 * "$6$" hashes work as well. There is no plain-text form (APR has one
 * only on Windows and NetWare).
 */
#define _GNU_SOURCE
#include <string.h>

#include <crypt.h>
#include <openssl/crypto.h>

#include "authn_file.h"

/* Equal strings, in time that depends on their length only. */
static int equal_in_constant_time(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && CRYPTO_memcmp(a, b, n) == 0;
}

int af_password_validate(mh_pool *p, const char *password, const char *hash)
{
    char sample[AF_HASH_MAX];
    const char *computed = sample;
    if (strncmp(hash, "$apr1$", 6) == 0) {
        if (af_apr1_hash(password, hash, sample)) return 0;
    } else if (strncmp(hash, "{SHA}", 5) == 0) {
        if (af_sha1_hash(password, sample)) return 0;
    } else {
        /* bcrypt, DES and the rest. libxcrypt's crypt_rn: thread-safe with
         * its own state, and NULL on failure. (Not crypt_r: the sanitizers
         * intercept it and, with libcrypt loaded only with this module,
         * call a null pointer.) */
        struct crypt_data *state = af_api->pcalloc(p, sizeof *state);
        computed = crypt_rn(password, hash, state, (int)sizeof *state);
        if (computed == NULL || computed[0] == '*') return 0;
    }
    return equal_in_constant_time(computed, hash);
}
