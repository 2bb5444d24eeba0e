// The response, as modules write it.
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "api/api_parts.h"
#include "request/request.h"
#include "request/response.h"

namespace mh::api_parts {
namespace {

void set_status(mh_request *r, int status) { r->status = status; }
int status(const mh_request *r) { return r->status; }
void set_content_type(mh_request *r, const char *type) { r->content_type = type ? r->pool.strdup(type) : nullptr; }
void set_content_length(mh_request *r, int64_t length) { r->content_length = length; }
const char *header_out(const mh_request *r, const char *name) { return name ? r->headers_out.get(name) : nullptr; }

void header_out_set(mh_request *r, const char *name, const char *value)
{
    if (name == nullptr) return;
    r->headers_out.set(r->pool.strdup(name), r->pool.strdup(value ? value : ""));
}

void header_out_add(mh_request *r, const char *name, const char *value)
{
    if (name == nullptr) return;
    r->headers_out.add(r->pool.strdup(name), r->pool.strdup(value ? value : ""));
}

void header_out_unset(mh_request *r, const char *name)
{
    if (name) r->headers_out.unset(name);
}
int header_only(const mh_request *r) { return r->header_only; }
int write(mh_request *r, const void *data, size_t n) { return response::write(*r, {static_cast<const char *>(data), n}); }
int puts(mh_request *r, const char *s) { return response::write(*r, s); }

int printf_(mh_request *r, const char *fmt, ...)
{
    char small[1024];
    va_list ap, copy;
    va_start(ap, fmt);
    va_copy(copy, ap);
    int n = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    int rv;
    if (n < 0) {
        rv = -1;
    } else if (size_t(n) < sizeof small) {
        rv = response::write(*r, {small, size_t(n)});
    } else {
        char *big = static_cast<char *>(r->pool.alloc(size_t(n) + 1));
        vsnprintf(big, size_t(n) + 1, fmt, ap);
        rv = response::write(*r, {big, size_t(n)});
    }
    va_end(ap);
    return rv;
}

int sendfile(mh_request *r, int fd, int64_t offset, int64_t length) { return response::send_file(*r, fd, offset, length); }

int flush(mh_request *r)
{
    response::send_headers(*r);
    return response::flush(*r);
}

}  // namespace

void fill_response(mh_api &a)
{
    a.set_status = set_status;
    a.status = status;
    a.set_content_type = set_content_type;
    a.set_content_length = set_content_length;
    a.header_out = header_out;
    a.header_out_set = header_out_set;
    a.header_out_add = header_out_add;
    a.header_out_unset = header_out_unset;
    a.header_only = header_only;
    a.write = write;
    a.puts = puts;
    a.printf = printf_;
    a.sendfile = sendfile;
    a.flush = flush;
}

}  // namespace mh::api_parts
