/*
 * The two request hooks, both Apache's authorize_user_core: once before
 * authentication (access_checker_ex: decide without a user if the rules
 * allow it) and once after (auth_checker, with api->user).
 */
#include "authz_core.h"
#include "authz_note.h"

/* Apache's ap_note_auth_failure: the AuthType's module adds its challenge. */
static void note_auth_failure(mh_request *r)
{
    const char *type = az_api->auth_type(r);
    if (type == NULL) {
        az_api->log_error(az_self, MH_LOG_ERR, 0, NULL, r, "AH00571: need AuthType to note auth failure: %s",
                          az_api->request_path(r));
        return;
    }
    const mh_auth_note_failure *n =
        az_api->lookup_provider(MH_AUTH_NOTE_FAILURE_GROUP, type, MH_AUTH_PROVIDER_VERSION);
    if (n && n->struct_size >= sizeof *n && n->note) n->note(r);
}

static int authorize(mh_request *r, int after_authn)
{
    const az_dir_config *conf = az_api->dir_config(r, az_self);
    const char *uri = az_api->request_path(r);

    if (conf == NULL || conf->section == NULL) {
        if (az_api->auth_type(r)) {
            az_api->log_error(az_self, MH_LOG_ERR, 0, NULL, r,
                              "AH01627: AuthType configured with no corresponding authorization directives");
            return 500;
        }
        az_api->log_error(az_self, MH_LOG_DEBUG, 0, NULL, r, "AH01628: authorization result: granted (no directives)");
        return MH_OK;
    }

    mh_authz_status verdict = az_apply(r, conf->section);
    if (verdict == AZ_WOULD_BLOCK) return MH_WOULD_BLOCK; /* on an event loop: again on a worker thread */
    switch (verdict) {
    case MH_AUTHZ_GRANTED:
        return MH_OK;
    case MH_AUTHZ_DENIED_NO_USER:
        if (!after_authn) return MH_DECLINED; /* a user may change the answer: authenticate */
        az_api->log_error(az_self, MH_LOG_ERR, 0, NULL, r, "AH01629: authorization failure (no authenticated user): %s",
                          uri);
        if (az_api->user(r)) note_auth_failure(r);
        return 401;
    case MH_AUTHZ_DENIED:
    case MH_AUTHZ_NEUTRAL:
        if (!after_authn || az_api->auth_type(r) == NULL) {
            const char *filename = az_api->filename(r);
            az_api->log_error(az_self, MH_LOG_ERR, 0, NULL, r, "AH01630: client denied by server configuration: %s%s",
                              filename ? "" : "uri ", filename ? filename : uri);
            return 403;
        }
        az_api->log_error(az_self, MH_LOG_ERR, 0, NULL, r, "AH01631: user %s: authorization failure for \"%s\": ",
                          az_api->user(r) ? az_api->user(r) : "(null)", uri);
        if (conf->forbidden_on_fail > 0) return 403;
        if (az_api->user(r)) note_auth_failure(r); /* try again, as someone else */
        return 401;
    default:
        return 500; /* the provider has logged why */
    }
}

int az_access_checker_ex(mh_request *r) { return authorize(r, 0); }

int az_auth_checker(mh_request *r) { return authorize(r, 1); }
