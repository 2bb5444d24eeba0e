// The life of one request, in Apache's order: the path decoded and
// normalised, post_read_request, quick_handler, translate_name, the
// <Directory>/<Location> walk, header_parser, the access and auth phases,
// type_checker, fixups, insert_filter, the handler, the response (or the
// error response), then logging.
//
// It is resumable: on an event loop it runs while each hook may (its module
// is MH_MODULE_NONBLOCKING), and stops before the first one that may block;
// a worker thread then resumes it at that very hook.
#pragma once

#include "request/request.h"

namespace mh::pipeline {

enum class Progress { Finished, NeedsWorker };

// Takes the request whose head the connection's parser just produced.
void begin(mh_request &r);
// Runs it on; `on_loop`: stop (NeedsWorker) before any hook that may block.
Progress resume(mh_request &r, bool on_loop);

// Answers a request that never got as far as the pipeline (it could not be
// parsed, or timed out) with `status`; resume() then logs it.
void reject(mh_request &r, int status, const char *reason);

// Serves `uri` in place of the request's own (ErrorDocument, a
// DirectoryIndex that is a URL): mapping to handler again, blocking.
// 0, a status, or MH_WOULD_BLOCK when called on an event loop.
int internal_redirect(mh_request &r, const char *uri);

}  // namespace mh::pipeline
