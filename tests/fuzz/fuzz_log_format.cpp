// libFuzzer target: LogFormat (core/log/access_log.h), compiled from the
// input (a LogFormat string comes from the configuration) and rendered
// against two fixed requests: a full one whose client-supplied values hold
// every kind of hostile byte, and an empty one. Checked:
//   - compiling throws nothing but std::invalid_argument;
//   - rendering is deterministic and appends to what the buffer held;
//   - no byte a client sent reaches the line unescaped: values from the
//     client only ever show up escaped (a marker value that needs escaping
//     must never appear raw in the output).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "log/access_log.h"

namespace {

using mh::fuzz::printable;
using mh::log::LogFormat;
using mh::log::RequestFacts;

// Client-controlled values: each holds a newline, a quote and a backslash,
// which the renderer must escape (so the raw marker never reaches the line).
constexpr std::string_view kEvil = "\n\"evil\\\x01\x7f\xff";

const char *header_in(const void *, std::string_view name)
{
    if (name.size() == 6 && (name == "Cookie" || name == "cookie"))
        return "a=1; evil=\n\"evil\\\x01\x7f\xff; =x; b=; c=3";
    if (name == "User-Agent" || name == "Referer") return "curl/8.0 \n\"evil\\\x01\x7f\xff";
    if (name == "X-Empty") return "";
    return nullptr;
}

const char *header_out(const void *, std::string_view name)
{
    if (name == "Content-Type") return "text/html \n\"evil\\\x01\x7f\xff";
    return nullptr;
}

RequestFacts full_facts()
{
    RequestFacts f;
    f.client_ip = "192.0.2.1";
    f.client_port = 54321;
    f.local_ip = "192.0.2.2";
    f.local_port = 8080;
    f.remote_user = kEvil;
    f.start_us = 1795796485123456;
    f.duration_us = 1234567;
    f.request_line = kEvil;
    f.method = kEvil;
    f.path = kEvil;
    f.query = kEvil;
    f.protocol = kEvil;
    f.server_name = kEvil;
    f.vhost = kEvil;
    f.filename = kEvil;
    f.handler = kEvil;
    f.original_status = 200;
    f.final_status = 404;
    f.body_bytes = 1234;
    f.bytes_in = 78;
    f.bytes_out = 1500;
    f.keepalive_count = 3;
    f.connection_status = '+';
    f.pid = 4242;
    f.tid = 0xdeadbeef;
    f.header_in = header_in;
    f.header_out = header_out;
    return f;
}

// Nothing known: every "-" path. Also a start before 1970 and odd statuses.
RequestFacts empty_facts()
{
    RequestFacts f;
    f.start_us = -1234567;
    f.duration_us = 0;
    f.original_status = -1;
    f.final_status = 0;
    f.connection_status = 'X';
    return f;
}

void render_checked(const LogFormat &format, const RequestFacts &facts, std::string_view spec, bool evil)
{
    std::string a = "prefix:";
    format.render(facts, a);
    FUZZ_CHECK(a.starts_with("prefix:"), printable(spec));
    std::string b;
    format.render(facts, b);
    FUZZ_CHECK(a.substr(7) == b, printable(spec) + " rendered twice: " + printable(a) + " vs " + printable(b));
    // A format's own literal text may hold the marker; only check when it does not.
    if (evil && spec.find("evil") == std::string_view::npos)
        FUZZ_CHECK(b.find(kEvil) == std::string::npos && b.find("\n\"evil") == std::string::npos,
                   printable(spec) + " let a client value through unescaped: " + printable(b));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    std::string_view spec(reinterpret_cast<const char *>(data), size);
    static const RequestFacts full = full_facts(), empty = empty_facts();

    if (const char *builtin = mh::log::builtin_format(spec)) {
        LogFormat format(builtin);
        render_checked(format, full, builtin, true);
        return 0;
    }
    try {
        LogFormat format(spec);
        render_checked(format, full, spec, true);
        render_checked(format, empty, spec, false);
    } catch (const std::invalid_argument &e) {
        FUZZ_CHECK(std::string_view(e.what()).size() > 0, "");
    }
    return 0;
}
