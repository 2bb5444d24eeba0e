// Escaping, dates and the scoreboard, for modules.
#include "api/api_parts.h"
#include "http/http_date.h"
#include "pool.h"
#include "request/request.h"
#include "server_identity.h"
#include "scoreboard.h"
#include "util/escape.h"

namespace mh::api_parts {
namespace {

char *escape_html(mh_pool *p, const char *s) { return p->strdup(mh::escape_html(s ? s : "")); }
char *escape_path(mh_pool *p, const char *s) { return p->strdup(mh::escape_path(s ? s : "")); }

char *http_date(mh_pool *p, int64_t t)
{
    char buf[30];
    http::format_http_date(static_cast<time_t>(t), buf);
    return p->strdup(buf);
}

int64_t parse_http_date(const char *s) { return s ? http::parse_http_date(s) : -1; }

const char *signature(mh_request *r, const char *prefix)
{
    return r->pool.strdup(server_signature(*r, prefix ? prefix : ""));
}

}  // namespace

void fill_helpers(mh_api &a)
{
    a.escape_html = escape_html;
    a.escape_path = escape_path;
    a.http_date = http_date;
    a.parse_http_date = parse_http_date;
    a.status_global = scoreboard::read_global;
    a.status_process = scoreboard::read_process;
    a.status_worker = scoreboard::read_worker;
    a.server_signature = signature;
}

}  // namespace mh::api_parts
