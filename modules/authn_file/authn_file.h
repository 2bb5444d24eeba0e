/*
 * mod_authn_file internals (hidden; the one exported symbol is
 * authn_file_module, in mod_authn_file.c).
 *
 *   mod_authn_file.c   descriptor, AuthUserFile, the "file" authn provider
 *   pw_validate.c      Apache's apr_password_validate: which hash is it
 *   pw_apr1.c          "$apr1$": Apache's MD5-crypt (htpasswd -m)
 *   pw_sha1.c          "{SHA}": base64 of SHA-1 (htpasswd -s)
 *
 * bcrypt ("$2y$", htpasswd -B) and crypt ("-d", and glibc's $1$ $5$ $6$)
 * are libcrypt's crypt_r.
 */
#ifndef MOD_AUTHN_FILE_H
#define MOD_AUTHN_FILE_H

#include <stddef.h>

#include <modhttpd/modhttpd.h>

MH_EXPORT extern const mh_module authn_file_module;
extern const mh_api *af_api;
extern const mh_module *af_self;

/* The most a hash this module computes takes, with its NUL. */
#define AF_HASH_MAX 200

/* [worker] 1 when `password` hashes to `hash`. The pool holds scratch
 * memory (crypt_r's 32 KiB state: too much for a worker's stack). */
int af_password_validate(mh_pool *p, const char *password, const char *hash);

/* Each writes the hash of `password` into out[AF_HASH_MAX]; 0, or -1. */
int af_apr1_hash(const char *password, const char *setting, char *out);
int af_sha1_hash(const char *password, char *out);

#endif
