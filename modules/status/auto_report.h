// ?auto: the machine-readable page, byte for byte in the layout of Apache
// 2.4.71 (non-async MPM): same keys, same order, same conditions, same number
// formats. Monitoring tools parse it; nothing of our own goes here.
#pragma once

#include <string>

#include "snapshot.h"

namespace mh_status {

std::string auto_report(const Snapshot &s);

}  // namespace mh_status
