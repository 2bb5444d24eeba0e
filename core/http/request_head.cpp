#include "http/request_head.h"

#include <strings.h>

namespace mh::http {

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string_view RequestHead::header(std::string_view name) const
{
    for (const Header &h : headers)
        if (iequals(h.name, name))
            return h.value;
    return {};
}

void RequestHead::clear()
{
    request_line = method = target = protocol = {};
    target_host = target_path = {};
    method_id = -1;
    major = minor = 1;
    headers.clear();  // keeps capacity: no allocation per request
    framing = BodyFraming::None;
    content_length = 0;
    keep_alive = false;
    expect_continue = false;
}

}  // namespace mh::http
