/*
 * mod_authz_host: the authz providers about where a request comes from, as
 * Apache 2.4's: "Require ip", "Require local", "Require host" and
 * "Require forward-dns" (mod_authz_core runs them).
 *
 * Not MH_MODULE_NONBLOCKING: "host" and "forward-dns" wait for DNS.
 */
#include "authz_host.h"

const mh_api *hz_api;
const mh_module *hz_self;

static void register_hooks(const mh_api *api, const mh_module *self)
{
    hz_api = api;
    hz_self = self;
    hz_ip_init();
    api->register_provider(self, MH_AUTHZ_PROVIDER_GROUP, "ip", MH_AUTH_PROVIDER_VERSION, &hz_ip_provider);
    api->register_provider(self, MH_AUTHZ_PROVIDER_GROUP, "local", MH_AUTH_PROVIDER_VERSION, &hz_local_provider);
    api->register_provider(self, MH_AUTHZ_PROVIDER_GROUP, "host", MH_AUTH_PROVIDER_VERSION, &hz_host_provider);
    api->register_provider(self, MH_AUTHZ_PROVIDER_GROUP, "forward-dns", MH_AUTH_PROVIDER_VERSION,
                           &hz_forward_dns_provider);
}

MH_DECLARE_MODULE(authz_host_module) = {
    MH_MODULE_HEADER, MH_MODULE_NO_FLAGS, NULL, NULL, NULL, NULL, register_hooks, NULL,
};
