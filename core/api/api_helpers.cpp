// Escaping, dates and the scoreboard, for modules.
#include "api/api_parts.h"
#include "http/http_date.h"
#include "pool.h"
#include "request/request.h"
#include "server_identity.h"
#include "scoreboard.h"
#include "util/escape.h"
#include "util/regex.h"

#include <algorithm>
#include <string>

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

mh_regex *regex_compile(mh_pool *p, const char *pattern, unsigned flags, const char **error)
{
    std::string err;
    mh_regex *re = regex::compile(pattern ? pattern : "", flags, err);
    if (re == nullptr) {
        if (error) *error = p->strdup(err);
        return nullptr;
    }
    p->cleanup([](void *x) { regex::free(static_cast<mh_regex *>(x)); }, re);
    return re;
}

int regex_match(const mh_regex *re, const char *subject, mh_regmatch *m, int nmatch)
{
    if (re == nullptr || subject == nullptr) return 0;
    return regex::match(re, subject, m, m ? std::min(nmatch, MH_REGEX_MAX_MATCH) : 0) ? 1 : 0;
}

char *regex_substitute(mh_pool *p, const char *tmpl, const char *subject, const mh_regmatch *m, int nmatch)
{
    return p->strdup(regex::substitute(tmpl ? tmpl : "", subject ? subject : "", m, m ? nmatch : 0));
}

const char *signature(mh_request *r, const char *prefix)
{
    return r->pool.strdup(server_signature(*r, prefix ? prefix : ""));
}

char *construct_url(mh_request *r, const char *path)
{
    return r->pool.strdup(self_url(*r) + (path ? path : ""));
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
    a.construct_url = construct_url;
    a.regex_compile = regex_compile;
    a.regex_match = regex_match;
    a.regex_substitute = regex_substitute;
}

}  // namespace mh::api_parts
