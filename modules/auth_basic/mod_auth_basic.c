/*
 * mod_auth_basic: HTTP Basic authentication (AuthType Basic), as Apache
 * 2.4's. The check_user_id hook reads the credentials and asks the authn
 * providers of AuthBasicProvider in turn ("file", mod_authn_file, by
 * default) whether the password is right.
 *
 * MH_MODULE_NONBLOCKING: under an event MPM a request without credentials
 * gets its 401 on the loop; one with credentials goes to a worker thread
 * (MH_WOULD_BLOCK) before the providers read files and hash passwords
 * (bcrypt takes milliseconds on purpose).
 */
#define _GNU_SOURCE
#include <strings.h>

#include "auth_basic.h"
#include "authz_note.h"

const mh_api *ab_api;
const mh_module *ab_self;

/* The providers' verdict on the password: the first that knows the user
 * decides. */
static mh_authn_status check_providers(mh_request *r, const ab_dir_config *conf, const char *user,
                                       const char *password)
{
    mh_table *notes = ab_api->notes(r);
    const ab_provider *current = conf->providers;
    mh_authn_status result;
    do {
        const mh_authn_provider *provider;
        const char *name;
        if (current == NULL) {
            /* No AuthBasicProvider: Apache is nice and uses "file". */
            name = "file";
            provider = ab_api->lookup_provider(MH_AUTHN_PROVIDER_GROUP, name, MH_AUTH_PROVIDER_VERSION);
            if (provider == NULL || provider->check_password == NULL) {
                ab_api->log_error(ab_self, MH_LOG_ERR, 0, NULL, r, "AH01616: No Authn provider configured");
                return MH_AUTHN_GENERAL_ERROR;
            }
        } else {
            name = current->name;
            provider = current->provider;
        }
        ab_api->table_set(notes, "authn_provider_name", name);
        result = provider->check_password(r, user, password);
        ab_api->table_unset(notes, "authn_provider_name");
        if (result != MH_AUTHN_USER_NOT_FOUND || current == NULL) break;
        current = current->next;
    } while (current);
    return result;
}

static int authenticate_basic_user(mh_request *r)
{
    const char *type = ab_api->auth_type(r);
    if (type == NULL || strcasecmp(type, "Basic") != 0) return MH_DECLINED;
    const char *uri = ab_api->request_path(r);
    if (ab_api->auth_name(r) == NULL) {
        ab_api->log_error(ab_self, MH_LOG_ERR, 0, NULL, r, "AH01615: need AuthName: %s", uri);
        return 500;
    }
    const char *user, *password;
    int rv = ab_credentials(r, &user, &password);
    if (rv != MH_OK) return rv;
    if (!ab_api->request_may_block(r)) return MH_WOULD_BLOCK;

    const ab_dir_config *conf = ab_api->dir_config(r, ab_self);
    mh_authn_status result = check_providers(r, conf, user, password);
    switch (result) {
    case MH_AUTHN_GRANTED:
        return MH_OK;
    case MH_AUTHN_DENIED:
        ab_api->log_error(ab_self, MH_LOG_ERR, 0, NULL, r,
                          "AH01617: user %s: authentication failure for \"%s\": Password Mismatch", user, uri);
        ab_note_failure(r);
        return 401;
    case MH_AUTHN_USER_NOT_FOUND:
        if (!conf->authoritative) return MH_DECLINED; /* another module may know the user */
        ab_api->log_error(ab_self, MH_LOG_ERR, 0, NULL, r, "AH01618: user %s not found: %s", user, uri);
        ab_note_failure(r);
        return 401;
    default:
        /* The provider has logged why. Not authoritative: Apache declines
         * on any error but a wrong password. */
        return conf->authoritative ? 500 : MH_DECLINED;
    }
}

/* mod_authz_core's 401 to a user it refuses carries our challenge too. */
static const mh_auth_note_failure note = {sizeof(mh_auth_note_failure), ab_note_failure};

static void register_hooks(const mh_api *api, const mh_module *self)
{
    ab_api = api;
    ab_self = self;
    api->hook_check_user_id(self, authenticate_basic_user, MH_HOOK_MIDDLE);
    api->register_provider(self, MH_AUTH_NOTE_FAILURE_GROUP, "Basic", MH_AUTH_PROVIDER_VERSION, &note);
}

MH_DECLARE_MODULE(auth_basic_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NONBLOCKING,
    ab_commands,
    ab_create_dir_config,
    ab_merge_dir_config,
    NULL,
    register_hooks,
    NULL,
};
