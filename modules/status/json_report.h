// ?json: the snapshot as a JSON document, schema in docs/status.md
// (schema_version 1). Fields are only ever added; a change of meaning or a
// removal bumps schema_version.
#pragma once

#include <string>

#include "snapshot.h"

namespace mh_status {

constexpr int kJsonSchemaVersion = 1;

std::string json_report(const Snapshot &s);

}  // namespace mh_status
