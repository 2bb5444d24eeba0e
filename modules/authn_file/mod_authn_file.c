/*
 * mod_authn_file: the "file" authn provider, as Apache 2.4's: users and
 * password hashes in a text file (AuthUserFile), one "user:hash" a line,
 * as htpasswd writes them.
 *
 * The file is read on every check, as Apache does: an htpasswd change
 * takes effect on the next request without a restart. Not
 * MH_MODULE_NONBLOCKING: reading files and hashing passwords take time.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authn_file.h"

const mh_api *af_api;
const mh_module *af_self;

typedef struct af_dir_config {
    const char *pwfile; /* absolute */
} af_dir_config;

static void *create_dir_config(mh_pool *p, const char *section)
{
    (void)section;
    return af_api->pcalloc(p, sizeof(af_dir_config));
}

static const char *set_user_file(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    char *path = af_api->server_path(cmd->pool, cmd->server, argv[0]);
    if (path == NULL) return af_api->psprintf(cmd->pool, "Invalid file path %s", argv[0]);
    ((af_dir_config *)dir)->pwfile = path;
    return NULL;
}

/* ap_cfg_getline's trimming: no blanks (or CR LF) around the line. */
static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) ++s;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
    return s;
}

/* Apache's ap_getword(':'): up to the first ':' (or the end); *line moves
 * past the colons that follow. Cuts the line in place. */
static char *getword_colon(char **line)
{
    char *word = *line, *pos = strchr(word, ':');
    if (pos == NULL) {
        *line = word + strlen(word);
        return word;
    }
    *pos++ = '\0';
    while (*pos == ':') ++pos;
    *line = pos;
    return word;
}

/* The hash of `user` in the file, in the pool; NULL when not there, with
 * *error set when the file cannot be read. */
static char *find_hash(mh_request *r, const char *file, const char *user, int *error)
{
    *error = 0;
    FILE *f = fopen(file, "re");
    if (f == NULL) {
        af_api->log_error(af_self, MH_LOG_ERR, errno, NULL, r, "AH01620: Could not open password file: %s", file);
        *error = 1;
        return NULL;
    }
    char *buf = NULL, *hash = NULL;
    size_t cap = 0;
    while (hash == NULL && getline(&buf, &cap, f) >= 0) {
        char *l = trim(buf);
        if (l[0] == '#' || l[0] == '\0') continue;
        if (strcmp(user, getword_colon(&l)) == 0) hash = af_api->pstrdup(af_api->request_pool(r), getword_colon(&l));
    }
    free(buf);
    fclose(f);
    return hash;
}

static mh_authn_status check_password(mh_request *r, const char *user, const char *password)
{
    const af_dir_config *conf = af_api->dir_config(r, af_self);
    if (conf == NULL || conf->pwfile == NULL) {
        af_api->log_error(af_self, MH_LOG_ERR, 0, NULL, r, "AH01619: AuthUserFile not specified in the configuration");
        return MH_AUTHN_GENERAL_ERROR;
    }
    int error;
    const char *hash = find_hash(r, conf->pwfile, user, &error);
    if (hash == NULL) return error ? MH_AUTHN_GENERAL_ERROR : MH_AUTHN_USER_NOT_FOUND;
    return af_password_validate(af_api->request_pool(r), password, hash) ? MH_AUTHN_GRANTED : MH_AUTHN_DENIED;
}

static const mh_authn_provider file_provider = {sizeof(mh_authn_provider), check_password};

static const mh_command commands[] = {
    {"AuthUserFile", set_user_file, 0, MH_WHERE_DIR, MH_TAKE1, "text file containing user IDs and passwords"},
    MH_COMMAND_END,
};

static void register_hooks(const mh_api *api, const mh_module *self)
{
    af_api = api;
    af_self = self;
    api->register_provider(self, MH_AUTHN_PROVIDER_GROUP, "file", MH_AUTH_PROVIDER_VERSION, &file_provider);
}

/* No merge: as Apache's, the nearest section with AuthUserFile wins whole. */
MH_DECLARE_MODULE(authn_file_module) = {
    MH_MODULE_HEADER, MH_MODULE_NO_FLAGS, commands, create_dir_config, NULL, NULL, register_hooks, NULL,
};
