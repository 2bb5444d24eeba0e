/*
 * Apache's note_auth_failure hook, as a provider: when mod_authz_core turns
 * an authenticated user away with 401, the module of the AuthType in force
 * adds its challenge (WWW-Authenticate) to err_headers_out. The provider
 * goes by the AuthType's name (any case), e.g. "Basic" from mod_auth_basic:
 *
 *     api->register_provider(self, MH_AUTH_NOTE_FAILURE_GROUP, "Basic",
 *                            MH_AUTH_PROVIDER_VERSION, &note);
 *
 * Not part of include/modhttpd (the ABI has no such hook): a contract
 * between these modules, which another AuthType module may follow too.
 */
#ifndef MH_AUTHZ_NOTE_H
#define MH_AUTHZ_NOTE_H

#include <stdint.h>

#include <modhttpd/modhttpd.h>

#define MH_AUTH_NOTE_FAILURE_GROUP "note_auth_failure"

typedef struct mh_auth_note_failure {
    uint32_t struct_size;
    /* [worker] Sets the challenge of this AuthType on r's err_headers_out. */
    void (*note)(mh_request *r);
} mh_auth_note_failure;

#endif
