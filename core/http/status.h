// Status codes: their reason phrases.
#pragma once

namespace mh::http {

// "Not Found" for 404; a generic phrase for codes without one.
const char *reason_phrase(int status);

}  // namespace mh::http
