#include "http/http_date.h"

#include <cstdio>
#include <cstring>
#include <strings.h>

namespace mh::http {
namespace {

constexpr const char *kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char *kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

constexpr const char *kLongDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};

int month_index(std::string_view m)
{
    for (int i = 0; i < 12; ++i)
        if (m.size() == 3 && strncasecmp(m.data(), kMonths[i], 3) == 0) return i;
    return -1;
}

bool day_name(std::string_view d, bool long_form)
{
    for (int i = 0; i < 7; ++i) {
        std::string_view name = long_form ? kLongDays[i] : kDays[i];
        if (d.size() == name.size() && strncasecmp(d.data(), name.data(), d.size()) == 0) return true;
    }
    return false;
}

// Exactly `n` digits at `at`.
bool number(std::string_view s, size_t at, size_t n, int &out)
{
    if (at + n > s.size()) return false;
    out = 0;
    for (size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

// "08:49:37"
bool time_of_day(std::string_view s, int &hour, int &minute, int &second)
{
    return s.size() == 8 && number(s, 0, 2, hour) && s[2] == ':' && number(s, 3, 2, minute) && s[5] == ':' &&
           number(s, 6, 2, second) && hour <= 23 && minute <= 59 && second <= 60;
}

int days_in_month(int month, int year)
{
    static constexpr int kDaysIn[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 1 && leap ? 29 : kDaysIn[month];
}

}  // namespace

void format_http_date(time_t t, char out[30])
{
    // IMF-fixdate has a four-digit year: times outside 1970..9999 are
    // clamped (a file system may well hold an mtime of 2^60), and gmtime_r
    // can then not fail.
    constexpr time_t kLast = 253402300799;  // Fri, 31 Dec 9999 23:59:59 GMT
    t = t < 0 ? 0 : t > kLast ? kLast : t;
    // The same file's Last-Modified, request after request: the last one
    // formatted on this thread is kept.
    thread_local time_t last_t = -1;
    thread_local char last[30];
    if (t == last_t) {
        memcpy(out, last, 30);
        return;
    }
    struct tm tm;
    if (gmtime_r(&t, &tm) == nullptr) {
        memcpy(out, "Thu, 01 Jan 1970 00:00:00 GMT", 30);
        return;
    }
    // Written by hand: this runs for every Date and Last-Modified header, and
    // snprintf was a fifth of a small static request's instructions.
    auto two = [](char *p, int v) {
        p[0] = char('0' + v / 10);
        p[1] = char('0' + v % 10);
    };
    int year = tm.tm_year + 1900;
    memcpy(out, kDays[tm.tm_wday], 3);
    out[3] = ',';
    out[4] = ' ';
    two(out + 5, tm.tm_mday);
    out[7] = ' ';
    memcpy(out + 8, kMonths[tm.tm_mon], 3);
    out[11] = ' ';
    two(out + 12, year / 100);
    two(out + 14, year % 100);
    out[16] = ' ';
    two(out + 17, tm.tm_hour);
    out[19] = ':';
    two(out + 20, tm.tm_min);
    out[22] = ':';
    two(out + 23, tm.tm_sec);
    memcpy(out + 25, " GMT", 5);  // with the NUL
    memcpy(last, out, 30);
    last_t = t;
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
    // Each form, field by field, at fixed positions (RFC 9110 5.6.7); names
    // are taken in any case, numbers are exactly their digits.
    int wday_len = 0;
    bool long_wday = false;
    if (s.size() > 3 && s[3] == ',') wday_len = 3;                    // IMF-fixdate
    else if (s.size() > 3 && s[3] == ' ') wday_len = 3;               // asctime
    else if (size_t comma = s.find(','); comma != std::string_view::npos && comma <= 9)
        wday_len = static_cast<int>(comma), long_wday = true;        // rfc850-date
    if (!day_name(s.substr(0, static_cast<size_t>(wday_len)), long_wday)) return -1;
    std::string_view rest = s.substr(static_cast<size_t>(wday_len));

    int day, month, year, hour, minute, second;
    if (!long_wday && rest.size() == 26 && rest[0] == ',') {
        // ", 06 Nov 1994 08:49:37 GMT"
        if (rest.substr(0, 2) != ", " || !number(rest, 2, 2, day) || rest[4] != ' ' ||
            (month = month_index(rest.substr(5, 3))) < 0 || rest[8] != ' ' || !number(rest, 9, 4, year) ||
            rest[13] != ' ' || !time_of_day(rest.substr(14, 8), hour, minute, second) || rest.substr(22) != " GMT")
            return -1;
    } else if (long_wday && rest.size() == 24) {
        // ", 06-Nov-94 08:49:37 GMT"
        if (rest.substr(0, 2) != ", " || !number(rest, 2, 2, day) || rest[4] != '-' ||
            (month = month_index(rest.substr(5, 3))) < 0 || rest[8] != '-' || !number(rest, 9, 2, year) ||
            rest[11] != ' ' || !time_of_day(rest.substr(12, 8), hour, minute, second) || rest.substr(20) != " GMT")
            return -1;
        // A two-digit year more than 50 years ahead is the century before
        // (RFC 9110 5.6.7).
        time_t now = time(nullptr);
        struct tm today;
        gmtime_r(&now, &today);
        int this_year = today.tm_year + 1900;
        year += this_year - this_year % 100;
        if (year > this_year + 50) year -= 100;
    } else if (!long_wday && rest.size() == 21 && rest[0] == ' ') {
        // " Nov  6 08:49:37 1994"
        if ((month = month_index(rest.substr(1, 3))) < 0 || rest[4] != ' ' || rest[7] != ' ' ||
            !time_of_day(rest.substr(8, 8), hour, minute, second) || rest[16] != ' ' || !number(rest, 17, 4, year))
            return -1;
        if (rest[5] == ' ') {
            if (!number(rest, 6, 1, day)) return -1;
        } else if (!number(rest, 5, 2, day)) {
            return -1;
        }
    } else {
        return -1;
    }
    if (year < 1970 || day < 1 || day > days_in_month(month, year)) return -1;

    struct tm tm {};
    tm.tm_year = year - 1900;
    tm.tm_mon = month;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;  // 60, a leap second, is the next minute's first
    return static_cast<int64_t>(timegm(&tm));
}

}  // namespace mh::http
