/*
 * "$apr1$salt$hash": Apache's variant of Poul-Henning Kamp's MD5-crypt
 * (apr_md5_encode), the default of htpasswd. It is FreeBSD's "$1$" with
 * another magic string, so glibc's crypt cannot do it; this follows APR's
 * steps on OpenSSL's MD5.
 */
#include <string.h>

#include <openssl/evp.h>

#include "authn_file.h"

static const char kMagic[] = "$apr1$";

/* APR's to64: n characters of v, low bits first. */
static void to64(char *s, unsigned long v, int n)
{
    static const char itoa64[] = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    while (--n >= 0) {
        *s++ = itoa64[v & 0x3f];
        v >>= 6;
    }
}

static int md5_steps(EVP_MD_CTX *ctx, EVP_MD_CTX *ctx1, const char *pw, const char *salt, size_t sl,
                     unsigned char final[16])
{
    const EVP_MD *md5 = EVP_md5();
    size_t pl = strlen(pw);
    int ok = EVP_DigestInit_ex(ctx, md5, NULL) && EVP_DigestUpdate(ctx, pw, pl) &&
             EVP_DigestUpdate(ctx, kMagic, strlen(kMagic)) && EVP_DigestUpdate(ctx, salt, sl);
    /* MD5(pw salt pw), as many of its bytes as the password is long. */
    ok = ok && EVP_DigestInit_ex(ctx1, md5, NULL) && EVP_DigestUpdate(ctx1, pw, pl) &&
         EVP_DigestUpdate(ctx1, salt, sl) && EVP_DigestUpdate(ctx1, pw, pl) && EVP_DigestFinal_ex(ctx1, final, NULL);
    for (size_t n = pl; ok && n > 0; n -= n > 16 ? 16 : n) ok = EVP_DigestUpdate(ctx, final, n > 16 ? 16 : n);
    /* Then, per bit of the length, a NUL byte or the password's first. */
    memset(final, 0, 16);
    for (size_t i = pl; ok && i != 0; i >>= 1) ok = EVP_DigestUpdate(ctx, (i & 1) ? (const void *)final : pw, 1);
    ok = ok && EVP_DigestFinal_ex(ctx, final, NULL);
    /* A thousand rounds, to slow down guessing (1990s-style). */
    for (int i = 0; ok && i < 1000; ++i) {
        ok = EVP_DigestInit_ex(ctx1, md5, NULL) &&
             ((i & 1) ? EVP_DigestUpdate(ctx1, pw, pl) : EVP_DigestUpdate(ctx1, final, 16)) &&
             (i % 3 == 0 || EVP_DigestUpdate(ctx1, salt, sl)) && (i % 7 == 0 || EVP_DigestUpdate(ctx1, pw, pl)) &&
             ((i & 1) ? EVP_DigestUpdate(ctx1, final, 16) : EVP_DigestUpdate(ctx1, pw, pl)) &&
             EVP_DigestFinal_ex(ctx1, final, NULL);
    }
    return ok ? 0 : -1;
}

int af_apr1_hash(const char *password, const char *setting, char *out)
{
    /* The salt: after the magic, up to '$' or 8 characters. */
    const char *salt = setting;
    if (strncmp(salt, kMagic, strlen(kMagic)) == 0) salt += strlen(kMagic);
    size_t sl = 0;
    while (sl < 8 && salt[sl] && salt[sl] != '$') ++sl;

    unsigned char f[16];
    EVP_MD_CTX *ctx = EVP_MD_CTX_new(), *ctx1 = EVP_MD_CTX_new();
    int rv = ctx && ctx1 ? md5_steps(ctx, ctx1, password, salt, sl, f) : -1;
    EVP_MD_CTX_free(ctx);
    EVP_MD_CTX_free(ctx1);
    if (rv) return -1;

    char *p = out;
    memcpy(p, kMagic, strlen(kMagic));
    p += strlen(kMagic);
    memcpy(p, salt, sl);
    p += sl;
    *p++ = '$';
    to64(p, (unsigned long)f[0] << 16 | (unsigned long)f[6] << 8 | f[12], 4), p += 4;
    to64(p, (unsigned long)f[1] << 16 | (unsigned long)f[7] << 8 | f[13], 4), p += 4;
    to64(p, (unsigned long)f[2] << 16 | (unsigned long)f[8] << 8 | f[14], 4), p += 4;
    to64(p, (unsigned long)f[3] << 16 | (unsigned long)f[9] << 8 | f[15], 4), p += 4;
    to64(p, (unsigned long)f[4] << 16 | (unsigned long)f[10] << 8 | f[5], 4), p += 4;
    to64(p, f[11], 2), p += 2;
    *p = '\0';
    return 0;
}
