#include "http/http_date.h"

#include <cstdio>
#include <cstring>
#include <strings.h>

namespace mh::http {
namespace {

constexpr const char *kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char *kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int month_index(const char *m)
{
    for (int i = 0; i < 12; ++i)
        if (strncasecmp(m, kMonths[i], 3) == 0) return i;
    return -1;
}

}  // namespace

void format_http_date(time_t t, char out[30])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[64];  // roomy: years past 9999 must not overflow, only be cut
    snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
             kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    memcpy(out, buf, 29);
    out[29] = '\0';
}

std::string_view current_http_date()
{
    thread_local time_t cached_at = -1;
    thread_local char cached[30];
    time_t now = time(nullptr);
    if (now != cached_at) {
        format_http_date(now, cached);
        cached_at = now;
    }
    return {cached, 29};
}

int64_t parse_http_date(std::string_view s)
{
    if (s.size() < 20 || s.size() > 40) return -1;
    char buf[48];
    memcpy(buf, s.data(), s.size());
    buf[s.size()] = '\0';

    struct tm tm {};
    char month[4] = {0}, wday[10] = {0};
    int consumed = 0;
    if (sscanf(buf, "%3s, %2d %3s %4d %2d:%2d:%2d GMT%n", wday, &tm.tm_mday, month, &tm.tm_year,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) == 7 && consumed == int(s.size())) {
        // IMF-fixdate
    } else if (consumed = 0; sscanf(buf, "%9[A-Za-z], %2d-%3s-%2d %2d:%2d:%2d GMT%n", wday,
                                    &tm.tm_mday, month, &tm.tm_year, &tm.tm_hour, &tm.tm_min,
                                    &tm.tm_sec, &consumed) == 7 && consumed == int(s.size())) {
        // RFC 850: two-digit year, taken as the nearest century (RFC 9110 says within 50 years)
        tm.tm_year += tm.tm_year < 70 ? 2000 : 1900;
    } else if (consumed = 0; sscanf(buf, "%3s %3s %2d %2d:%2d:%2d %4d%n", wday, month, &tm.tm_mday,
                                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &tm.tm_year,
                                    &consumed) == 7 && consumed == int(s.size())) {
        // asctime
    } else {
        return -1;
    }
    tm.tm_mon = month_index(month);
    if (tm.tm_mon < 0 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
        tm.tm_sec > 60 || tm.tm_year < 1970)
        return -1;
    tm.tm_year -= 1900;
    return static_cast<int64_t>(timegm(&tm));
}

}  // namespace mh::http
