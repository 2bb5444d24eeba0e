#include "apr_format.h"

#include <cmath>
#include <ctime>

namespace mh_status {
namespace {

constexpr int kMaxDigits = 80;

struct Digits {
    std::string text;  // decimal digits, no point
    int point = 0;     // position of the decimal point relative to text
    bool negative = false;
};

// The digit generator behind APR's %e/%f/%g (the UNIX V7 "cvt"): it takes
// digits off the number by repeated multiplication, then rounds half up on
// the digit string. `count` is the number of significant digits (significant
// = true, %e and %g) or of digits after the point (%f). Reproduced for its
// results, including its small inexactness, not for speed.
Digits cvt(double v, int count, bool significant)
{
    Digits d;
    if (count >= kMaxDigits - 1) count = kMaxDigits - 2;
    if (v < 0) {
        d.negative = true;
        v = -v;
    }
    char buf[kMaxDigits + 1] = {};
    int end = 0;  // digits written to buf
    int exponent = 0;
    double whole = 0;
    double frac = std::modf(v, &whole);
    if (whole != 0) {
        // Integer digits come out last first.
        char rev[kMaxDigits];
        int n = 0;
        while (n < kMaxDigits && whole != 0) {
            double digit = std::modf(whole / 10, &whole);
            rev[n++] = static_cast<char>(static_cast<int>((digit + .03) * 10) + '0');
            ++exponent;
        }
        while (n > 0) buf[end++] = rev[--n];
    } else if (frac > 0) {
        double next;
        while ((next = frac * 10) < 1) {
            frac = next;
            --exponent;
        }
    }
    int round_at = count + (significant ? 0 : exponent);
    if (round_at < 0) {
        d.point = -count;
        return d;
    }
    d.point = exponent;
    while (end <= round_at && end < kMaxDigits) {
        double digit;
        frac = std::modf(frac * 10, &digit);
        buf[end++] = static_cast<char>(static_cast<int>(digit) + '0');
    }
    if (round_at >= kMaxDigits) {
        d.text.assign(buf, kMaxDigits - 1);
        return d;
    }
    end = round_at;
    buf[round_at] = static_cast<char>(buf[round_at] + 5);
    int i = round_at;
    while (buf[i] > '9') {
        buf[i] = '0';
        if (i > 0) {
            ++buf[--i];
        } else {
            buf[i] = '1';
            ++d.point;
            if (!significant) {
                if (end > 0) buf[end] = '0';
                ++end;
            }
        }
    }
    d.text.assign(buf, static_cast<size_t>(end));
    return d;
}

}  // namespace

std::string apr_g(double v, int precision)
{
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return "inf";
    if (precision <= 0) precision = 1;
    Digits d = cvt(v, precision, true);
    const std::string &s = d.text;
    int n = precision;
    while (n > 1 && s[size_t(n) - 1] == '0') --n;  // trailing zeros go
    int point = d.point;
    std::string out = d.negative ? "-" : "";
    if ((point >= 0 && point - n > 4) || point < -3) {
        --point;
        out += s[0];
        out += '.';
        out.append(s, 1, size_t(n) - 1);
        out += 'e';
        if (point < 0) {
            point = -point;
            out += '-';
        } else {
            out += '+';
        }
        if (point / 100 > 0) out += static_cast<char>('0' + point / 100);
        if (point / 10 > 0) out += static_cast<char>('0' + (point % 100) / 10);
        out += static_cast<char>('0' + point % 10);
    } else {
        if (point <= 0) {
            if (s[0] != '0') out += '.';  // no leading zero
            for (; point < 0; ++point) out += '0';
        }
        for (int i = 1; i <= n; ++i) {
            out += s[size_t(i) - 1];
            if (i == point) out += '.';
        }
        if (n < point) {
            out.append(size_t(point - n), '0');
            out += '.';
        }
    }
    if (out.back() == '.') out.pop_back();
    return out;
}

std::string apr_f(double v, int precision)
{
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return "inf";
    if (precision < 0) precision = 0;
    Digits d = cvt(v, precision, false);
    std::string out = d.negative ? "-" : "";
    size_t used = 0;
    if (d.point <= 0) {
        out += '0';
        if (precision > 0) {
            out += '.';
            out.append(size_t(-d.point), '0');
        }
    } else {
        used = std::min(d.text.size(), size_t(d.point));
        out.append(d.text, 0, used);
        if (precision > 0) out += '.';
    }
    out.append(d.text, used, std::string::npos);
    return out;
}

std::string uptime_text(uint32_t seconds)
{
    unsigned secs = seconds % 60, mins = seconds / 60 % 60, hours = seconds / 3600 % 24, days = seconds / 86400;
    std::string out;
    auto part = [&out](unsigned n, const char *unit) {
        if (n == 0) return;
        out += ' ' + std::to_string(n) + ' ' + unit;
        if (n != 1) out += 's';
    };
    part(days, "day");
    part(hours, "hour");
    part(mins, "minute");
    part(secs, "second");
    return out;
}

std::string apache_time(int64_t unix_seconds)
{
    time_t t = static_cast<time_t>(unix_seconds);
    tm local{};
    localtime_r(&t, &local);
    char buf[128];
    size_t n = strftime(buf, sizeof buf, "%A, %d-%b-%Y %H:%M:%S %Z", &local);
    return std::string(buf, n);
}

std::string byte_text(uint64_t bytes)
{
    constexpr float kB = 1024, MB = 1048576, GB = 1073741824;
    if (bytes < 5 * 1024) return std::to_string(bytes) + " B";
    float b = static_cast<float>(bytes);
    if (bytes < 1048576 / 2) return apr_f(b / kB, 1) + " kB";
    if (bytes < 1073741824 / 2) return apr_f(b / MB, 1) + " MB";
    return apr_f(b / GB, 1) + " GB";
}

std::string kbyte_text(uint64_t kbytes)
{
    float k = static_cast<float>(kbytes);
    if (kbytes < 1024) return std::to_string(kbytes) + " kB";
    if (kbytes < 1048576) return apr_f(k / 1024, 1) + " MB";
    return apr_f(k / 1048576, 1) + " GB";
}

}  // namespace mh_status
