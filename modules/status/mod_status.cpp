// mod_status: /server-status as Apache's, from the scoreboard the server
// hands out through the services table.
//
//   LoadModule status_module modules/mod_status.so
//   <Location /server-status>
//       SetHandler server-status
//   </Location>
//
// ?auto for monitoring tools (Apache 2.4.71's exact text), ?json for ours,
// ?notable and ?refresh[=N] for the HTML page. See docs/status.md.
#include <cstring>
#include <string>

#include "auto_report.h"
#include "config.h"
#include "html_report.h"
#include "json_report.h"
#include "query.h"
#include "snapshot.h"
#include "status_module.h"

namespace mh_status {
namespace {

const mh_api *g_api = nullptr;

bool is_status_handler(const char *h)
{
    return h && (strcmp(h, "server-status") == 0 || strcmp(h, "application/x-httpd-status") == 0);
}

int serve(mh_request *r)
{
    const mh_api &a = api();
    const char *method = a.request_method(r);
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        a.header_out_set(r, "Allow", "GET, HEAD");
        return 405;
    }
    const char *q = a.request_query(r);
    Query query = parse_query(q ? q : "");

    Snapshot snap;
    if (!take_snapshot(r, extended_status(r), snap)) {
        a.log_error(&status_module, MH_LOG_ERR, 0, nullptr, r, "Server status unavailable: no scoreboard");
        return 500;
    }
    std::string body;
    switch (query.format) {
    case Format::Auto:
        a.set_content_type(r, "text/plain; charset=ISO-8859-1");
        body = auto_report(snap);
        break;
    case Format::Json:
        a.set_content_type(r, "application/json");
        body = json_report(snap);
        break;
    case Format::Html:
        a.set_content_type(r, "text/html; charset=ISO-8859-1");
        body = html_report(snap, query.no_table);
        break;
    }
    if (query.refresh) a.header_out_set(r, "Refresh", std::to_string(query.refresh).c_str());
    // The page is a moment's picture: never from a cache.
    a.header_out_set(r, "Cache-Control", "no-cache, no-store");
    a.set_content_length(r, static_cast<int64_t>(body.size()));
    a.write(r, body.data(), body.size());
    return MH_OK;
}

// [worker] Handler hook: ours when SetHandler server-status.
int handler(mh_request *r)
{
    if (!is_status_handler(api().handler_name(r))) return MH_DECLINED;
    try {
        return serve(r);
    } catch (...) {
        // Nothing may cross the C boundary; out of memory is the only likely case.
        api().log_error(&status_module, MH_LOG_ERR, 0, nullptr, r, "server-status failed");
        return 500;
    }
}

void register_hooks(const mh_api *a, const mh_module *self)
{
    g_api = a;
    a->hook_handler(self, handler, MH_HOOK_MIDDLE);
}

}  // namespace

const mh_api &api() { return *g_api; }

}  // namespace mh_status

MH_DECLARE_MODULE(status_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NONBLOCKING, /* reads the scoreboard: an event loop may run it */
    mh_status::commands,
    nullptr,
    nullptr,
    mh_status::create_server_config,
    mh_status::register_hooks,
    nullptr,
};
