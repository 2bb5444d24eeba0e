// %t and %{format}t: local time with a numeric offset, Apache's special forms.
#include <doctest/doctest.h>

#include "facts.h"
#include "support.h"

using mh::log::RequestFacts;
using mh::test::Headers;
using mh::test::render;
using mh::test::sample_facts;
using mh::test::TzGuard;

TEST_CASE("%t in UTC and in other zones") {
    Headers h;
    RequestFacts f = sample_facts(h);  // 2026-11-27 16:21:25.123456 UTC
    {
        TzGuard tz("UTC");
        CHECK(render("%t", f) == "[27/Nov/2026:16:21:25 +0000]");
        CHECK(render("%{begin}t", f) == "[27/Nov/2026:16:21:25 +0000]");
        CHECK(render("%{end}t", f) == "[27/Nov/2026:16:21:26 +0000]");  // + 1.234567 s
    }
    {
        TzGuard tz("EST5");
        CHECK(render("%t", f) == "[27/Nov/2026:11:21:25 -0500]");
    }
    {
        TzGuard tz("IST-5:30");
        CHECK(render("%t", f) == "[27/Nov/2026:21:51:25 +0530]");
    }
    {
        TzGuard tz("NZST-13");  // past midnight: the next day
        CHECK(render("%t", f) == "[28/Nov/2026:05:21:25 +1300]");
    }
    {
        TzGuard tz("NST3:30");
        CHECK(render("%t", f) == "[27/Nov/2026:12:51:25 -0330]");
    }
    f.start_us = 1772690462000001;  // 2026-03-05 06:01:02: day zero-padded
    TzGuard tz("UTC");
    CHECK(render("%t", f) == "[05/Mar/2026:06:01:02 +0000]");
}

TEST_CASE("%t follows the clock from second to second") {
    TzGuard tz("UTC");
    Headers h;
    RequestFacts f = sample_facts(h);
    CHECK(render("%t", f) == "[27/Nov/2026:16:21:25 +0000]");
    f.start_us += 1000000;
    CHECK(render("%t", f) == "[27/Nov/2026:16:21:26 +0000]");
    f.start_us -= 2000000;
    CHECK(render("%t", f) == "[27/Nov/2026:16:21:24 +0000]");
}

TEST_CASE("%{format}t: strftime, begin:/end:, and the numeric forms") {
    TzGuard tz("UTC");
    Headers h;
    RequestFacts f = sample_facts(h);
    CHECK(render("%{%Y-%m-%d %H:%M:%S}t", f) == "2026-11-27 16:21:25");
    CHECK(render("%{%d/%b/%Y:%H:%M:%S %z}t", f) == "27/Nov/2026:16:21:25 +0000");
    CHECK(render("%{begin:%H:%M:%S}t %{end:%H:%M:%S}t", f) == "16:21:25 16:21:26");
    CHECK(render("%{sec}t", f) == "1795796485");
    CHECK(render("%{msec}t", f) == "1795796485123");
    CHECK(render("%{usec}t", f) == "1795796485123456");
    CHECK(render("%{msec_frac}t", f) == "123");
    CHECK(render("%{usec_frac}t", f) == "123456");
    CHECK(render("%{end:sec}t %{end:usec}t", f) == "1795796486 1795796486358023");
    CHECK(render("%{end:msec_frac}t %{end:usec_frac}t", f) == "358 358023");
    CHECK(render("%{begin:msec}t", f) == "1795796485123");
    f.start_us = 1795796485000042;
    CHECK(render("%{msec_frac}t.%{usec_frac}t", f) == "000.000042");
    // Apache's usual "combined with milliseconds" format.
    CHECK(render("[%{%d/%b/%Y:%H:%M:%S}t.%{msec_frac}t %{%z}t]", f) ==
          "[27/Nov/2026:16:21:25.000 +0000]");
    {
        TzGuard est("EST5");
        CHECK(render("%{%H:%M %z}t", f) == "11:21 -0500");
    }
}
