// TRACE, as Apache's ap_send_http_trace (TraceEnable): answered by the core
// once the URL is mapped, before the <Directory> walk and any access check,
// with the request echoed back as message/http.
#pragma once

#include "request/request.h"

namespace mh::trace {

bool is_trace(const mh_request &r);
// Whether answering needs to read a body (TraceEnable extended): the
// caller moves to a worker thread first when it may not block.
bool reads_body(const mh_request &r);
// MH_DONE when the echo went out, or the status to answer instead: 405
// under TraceEnable Off, 413 for a body it may not echo.
int answer(mh_request &r);

}  // namespace mh::trace
