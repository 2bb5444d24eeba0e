// Local time for log lines. localtime_r takes a process-wide lock and the
// formatted %t changes once a second, so each thread keeps the last second.
#pragma once

#include <ctime>
#include <string_view>

namespace mh::log::detail {

// English names whatever the locale, as Apache prints them.
extern const char kDayNames[7][4];
extern const char kMonthNames[12][4];

// localtime_r(sec), cached per thread; valid until this thread's next call.
const std::tm &local_time(std::time_t sec);

// "[27/Nov/2026:16:21:25 +0100]" (the CLF %t), cached per thread and second.
std::string_view clf_time(std::time_t sec);

// Forgets every thread's cache: for tests that change TZ (then tzset()).
void reset_time_cache();

}  // namespace mh::log::detail
