#include "request/error_page.h"

#include "connection/connection.h"
#include "http/request_head.h"
#include "http/status.h"
#include "request/response.h"
#include "server.h"
#include "server_identity.h"
#include "util/escape.h"

namespace mh {
namespace {

std::string explanation(const mh_request &r, int status)
{
    std::string method = escape_html(r.method);
    const char *loc = r.headers_out.get("Location");
    if (loc == nullptr) loc = r.err_headers_out.get("Location");
    std::string here = "<a href=\"" + escape_html(loc ? loc : "") + "\">here</a>.</p>\n";
    switch (status) {
    case 301: case 302: case 307: case 308: return "<p>The document has moved " + here;
    case 303: return "<p>The answer to your request is located " + here;
    case 401: return "<p>This server could not verify that you\nare authorized to access the document\n"
                     "requested.  Either you supplied the wrong\ncredentials (e.g., bad password), or your\n"
                     "browser doesn't understand how to supply\nthe credentials required.</p>\n";
    case 400: return "<p>Your browser sent a request that this server could not understand.<br />\n</p>\n";
    case 403: return "<p>You don't have permission to access this resource.</p>\n";
    case 404: return "<p>The requested URL was not found on this server.</p>\n";
    case 405: return "<p>The requested method " + method + " is not allowed for this URL.</p>\n";
    case 408: return "<p>Server timeout waiting for the HTTP request from the client.</p>\n";
    case 410: return "<p>The requested resource is no longer available on this server and there is no forwarding "
                     "address.\nPlease remove all references to this resource.</p>\n";
    case 411: return "<p>A request of the requested method " + method + " requires a valid Content-length.<br />\n</p>\n";
    case 412: return "<p>The precondition on the request for this URL evaluated to false.</p>\n";
    case 413: return "<p>The requested resource does not allow request data with " + method +
                     " requests, or the amount of data provided in\nthe request exceeds the capacity limit.\n</p>\n";
    case 414: return "<p>The requested URL's length exceeds the capacity\nlimit for this server.<br />\n</p>\n";
    case 416: return "<p>None of the range-specifier values in the Range\nrequest-header field overlap the current extent\nof the selected resource.</p>\n";
    case 415: return "<p>The supplied request data is not in a format\nacceptable for processing by this resource.</p>\n";
    case 417: return "<p>The expectation given in the Expect request-header\nfield could not be met by this server.</p>\n";
    case 429: return "<p>The user has sent too many requests\nin a given amount of time.</p>\n";
    case 431: return "<p>Your browser sent a request whose header fields exceed the limits of this server.</p>\n";
    case 500: return "<p>The server encountered an internal error or\nmisconfiguration and was unable to complete\nyour request.</p>\n";
    case 501: return "<p>" + method + " not supported for current URL.<br />\n</p>\n";
    case 502: return "<p>The proxy server received an invalid\nresponse from an upstream server.<br />\n</p>\n";
    case 503: return "<p>The server is temporarily unable to service your\nrequest due to maintenance downtime or capacity\nproblems. Please try again later.</p>\n";
    case 504: return "<p>The gateway did not receive a timely response\nfrom the upstream server or application.</p>\n";
    case 505: return "<p>The server does not support the HTTP protocol version used in the request.</p>\n";
    default: return "<p>The server could not complete your request.</p>\n";
    }
}

}  // namespace

std::string error_page(const mh_request &r, int status, int recursive_error)
{
    std::string title = std::to_string(status) + " " + http::reason_phrase(status);
    // Apache 2.4's page, signature (ServerSignature, Off by default) and all.
    std::string page = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n"
                       "<html><head>\n<title>" + title + "</title>\n</head><body>\n<h1>" + http::reason_phrase(status) +
                       "</h1>\n" + explanation(r, status);
    if (recursive_error)
        page += "<p>Additionally, a " + std::to_string(recursive_error) + " " + http::reason_phrase(recursive_error) +
                "\nerror was encountered while trying to use an ErrorDocument to handle the request.</p>\n";
    page += server_signature(r, "<hr>\n") + "</body></html>\n";
    return page;
}

}  // namespace mh
