// The HTML page of /server-status: Apache's page (same facts, same wording,
// same scoreboard key and per-worker columns) as an HTML5 document with a
// little CSS, plus modhttpd's saturation figures.
#pragma once

#include <string>

#include "snapshot.h"

namespace mh_status {

// `no_table`: ?notable, the per-worker details as a list instead of a table.
std::string html_report(const Snapshot &s, bool no_table);

}  // namespace mh_status
