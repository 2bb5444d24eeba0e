#include "log/time_cache.h"

#include <atomic>
#include <cstdio>
#include <limits>

namespace mh::log::detail {

const char kDayNames[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
const char kMonthNames[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

namespace {

// Bumped by reset_time_cache(); a cache from an older generation is stale.
std::atomic<unsigned> g_generation{1};

constexpr std::time_t kNever = std::numeric_limits<std::time_t>::min();

struct TmCache {
    std::time_t sec = kNever;
    unsigned generation = 0;
    std::tm tm{};
};

struct ClfCache {
    std::time_t sec = kNever;
    unsigned generation = 0;
    int len = 0;
    char text[64] = {};
};

thread_local TmCache t_tm;
thread_local ClfCache t_clf;

}  // namespace

const std::tm &local_time(std::time_t sec) {
    unsigned gen = g_generation.load(std::memory_order_relaxed);
    if (t_tm.sec != sec || t_tm.generation != gen) {
        localtime_r(&sec, &t_tm.tm);
        t_tm.sec = sec;
        t_tm.generation = gen;
    }
    return t_tm.tm;
}

std::string_view clf_time(std::time_t sec) {
    unsigned gen = g_generation.load(std::memory_order_relaxed);
    if (t_clf.sec != sec || t_clf.generation != gen) {
        const std::tm &tm = local_time(sec);
        long off = tm.tm_gmtoff;
        char sign = off < 0 ? '-' : '+';
        if (off < 0) off = -off;
        int n = std::snprintf(t_clf.text, sizeof t_clf.text, "[%02d/%s/%d:%02d:%02d:%02d %c%02ld%02ld]",
                              tm.tm_mday, kMonthNames[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
                              tm.tm_min, tm.tm_sec, sign, off / 3600, off % 3600 / 60);
        t_clf.len = n < 0 ? 0 : n;
        t_clf.sec = sec;
        t_clf.generation = gen;
    }
    return {t_clf.text, static_cast<std::size_t>(t_clf.len)};
}

void reset_time_cache() { g_generation.fetch_add(1, std::memory_order_relaxed); }

}  // namespace mh::log::detail
