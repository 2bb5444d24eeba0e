// The request, as modules read it.
#include "api/api_parts.h"
#include "connection/connection.h"
#include "http/request_head.h"
#include "http/uri_path.h"
#include "request/pipeline.h"
#include "server.h"
#include "server_identity.h"
#include "util/escape.h"

namespace mh::api_parts {
namespace {

mh_pool *request_pool(const mh_request *r) { return const_cast<mh_pool *>(&r->pool); }
mh_server *request_server(const mh_request *r) { return r->server; }
const char *request_method(const mh_request *r) { return r->method; }
const char *request_line(const mh_request *r) { return r->request_line; }
const char *request_target(const mh_request *r) { return r->target; }
const char *request_path(const mh_request *r) { return r->path; }
const char *request_query(const mh_request *r) { return r->query; }
const char *request_protocol(const mh_request *r) { return r->protocol; }
const char *request_hostname(const mh_request *r) { return r->hostname; }

const char *header_in(const mh_request *r, const char *name)
{
    return name ? r->headers_in.get(name) : nullptr;
}

int headers_in_each(const mh_request *r, mh_header_fn fn, void *data)
{
    for (const auto &[name, value] : r->headers_in.entries)
        if (int rv = fn(data, name, value)) return rv;
    return 0;
}

const char *client_ip(const mh_request *r) { return r->conn ? r->conn->client_ip() : ""; }
const char *handler_name(const mh_request *r) { return r->handler; }
const char *filename(const mh_request *r) { return r->filename; }
void set_filename(mh_request *r, const char *f) { r->filename = r->pool.strdup(f); }

int set_request_path(mh_request *r, const char *path)
{
    if (path == nullptr || path[0] != '/') return -1;
    // Escaped first so that the one normaliser resolves the dot segments
    // without decoding what was already decoded ('%' stays '%').
    thread_local std::string normal;
    if (http::normalize_path(escape_path(path), normal).status) return -1;
    r->path = r->pool.strdup(normal);
    return 0;
}

void set_request_query(mh_request *r, const char *q) { r->query = q ? r->pool.strdup(q) : nullptr; }
const char *path_info(const mh_request *r) { return r->path_info; }
const char *vhost_request_server_name(const mh_request *r) { return request_server_name(*r); }
int vhost_request_server_port(const mh_request *r) { return request_server_port(*r); }

int accept_path_info(const mh_request *r)
{
    const auto &a = (r->dir ? r->dir->core : r->server->root_dir).accept_path_info;
    return a ? *a : MH_PATH_INFO_DEFAULT;
}
const char *document_root(const mh_request *r) { return r->server->core.document_root.c_str(); }

void set_context_info(mh_request *r, const char *prefix, const char *root)
{
    r->context_prefix = prefix ? r->pool.strdup(prefix) : nullptr;
    r->context_root = root ? r->pool.strdup(root) : nullptr;
}

const char *context_document_root(const mh_request *r) { return r->context_root ? r->context_root : document_root(r); }
const char *context_prefix(const mh_request *r) { return r->context_prefix ? r->context_prefix : ""; }

unsigned options(const mh_request *r)
{
    return r->dir ? r->dir->core.options() : r->server->root_dir.options();
}

const char *directory_index(const mh_request *r, int i)
{
    const auto &list = (r->dir ? r->dir->core : r->server->root_dir).directory_index;
    if (!list || i < 0 || size_t(i) >= list->size()) return nullptr;
    return (*list)[size_t(i)].c_str();
}

const char *mime_type(const mh_request *r, const char *name)
{
    if (name == nullptr) return nullptr;
    std::string_view f(name);
    if (r->dir && !r->dir->core.add_types.empty()) {
        // AddType in force wins over TypesConfig; the latest one first.
        size_t slash = f.rfind('/');
        std::string_view base = slash == std::string_view::npos ? f : f.substr(slash + 1);
        size_t dot = base.rfind('.');
        if (dot != std::string_view::npos && dot != 0) {
            std::string_view ext = base.substr(dot + 1);
            const auto &types = r->dir->core.add_types;
            for (auto it = types.rbegin(); it != types.rend(); ++it)
                if (http::iequals(it->first, ext)) return it->second.c_str();
        }
    }
    const std::string *t = r->server->main_server->core.mime.lookup(f);
    return t ? t->c_str() : nullptr;
}

int64_t body_length(const mh_request *r)
{
    if (r->head == nullptr) return 0;
    switch (r->head->framing) {
    case http::BodyFraming::None: return 0;
    case http::BodyFraming::Length: return static_cast<int64_t>(r->head->content_length);
    case http::BodyFraming::Chunked: return -1;
    }
    return 0;
}

long read_body(mh_request *r, void *buf, size_t n)
{
    return r->conn ? r->conn->read_body(*r, static_cast<char *>(buf), n) : -1;
}

const char *user(const mh_request *r) { return r->user; }
void set_user(mh_request *r, const char *u) { r->user = u ? r->pool.strdup(u) : nullptr; }

const char *auth_type(const mh_request *r)
{
    const auto &t = (r->dir ? r->dir->core : r->server->root_dir).auth_type;
    return t && !t->empty() ? t->c_str() : nullptr;
}

const char *auth_name(const mh_request *r)
{
    const auto &n = (r->dir ? r->dir->core : r->server->root_dir).auth_name;
    return n && !n->empty() ? n->c_str() : nullptr;
}

const char *local_ip(const mh_request *r) { return r->conn ? r->conn->local_ip() : ""; }
int local_port(const mh_request *r) { return r->conn ? r->conn->local_port() : 0; }
int client_port(const mh_request *r) { return r->conn ? r->conn->client_port() : 0; }
void set_handler(mh_request *r, const char *h) { r->handler = h ? r->pool.strdup(h) : nullptr; }
int internal_redirect(mh_request *r, const char *uri) { return pipeline::internal_redirect(*r, uri); }
int original_status(const mh_request *r) { return r->original_status ? r->original_status : r->status; }
const char *content_type(const mh_request *r) { return r->content_type; }
int64_t content_length(const mh_request *r) { return r->content_length; }
int request_may_block(const mh_request *r) { return r->conn == nullptr || r->conn->blocking(); }
const char *connection_var(const mh_request *r, const char *name)
{
    return r && r->conn && name ? r->conn->transport_var(name) : nullptr;
}

}  // namespace

void fill_request(mh_api &a)
{
    a.user = user;
    a.set_user = set_user;
    a.auth_type = auth_type;
    a.auth_name = auth_name;
    a.local_ip = local_ip;
    a.local_port = local_port;
    a.client_port = client_port;
    a.set_handler = set_handler;
    a.internal_redirect = internal_redirect;
    a.original_status = original_status;
    a.content_type = content_type;
    a.content_length = content_length;
    a.request_may_block = request_may_block;
    a.request_pool = request_pool;
    a.request_server = request_server;
    a.request_method = request_method;
    a.request_line = request_line;
    a.request_target = request_target;
    a.request_path = request_path;
    a.request_query = request_query;
    a.request_protocol = request_protocol;
    a.request_hostname = request_hostname;
    a.header_in = header_in;
    a.headers_in_each = headers_in_each;
    a.client_ip = client_ip;
    a.handler_name = handler_name;
    a.filename = filename;
    a.set_filename = set_filename;
    a.set_request_path = set_request_path;
    a.set_request_query = set_request_query;
    a.path_info = path_info;
    a.request_server_name = vhost_request_server_name;
    a.request_server_port = vhost_request_server_port;
    a.accept_path_info = accept_path_info;
    a.document_root = document_root;
    a.set_context_info = set_context_info;
    a.context_document_root = context_document_root;
    a.context_prefix = context_prefix;
    a.options = options;
    a.directory_index = directory_index;
    a.mime_type = mime_type;
    a.body_length = body_length;
    a.read_body = read_body;
    a.connection_var = connection_var;
}

}  // namespace mh::api_parts
