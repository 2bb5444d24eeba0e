// Pools, configuration lookups and the error log, for modules.
#include <cstdarg>
#include <cstdio>

#include "api/api_parts.h"
#include "connection/connection.h"
#include "logging.h"
#include "request/request.h"
#include "server.h"
#include "server_identity.h"
#include "vhost/host_match.h"
#include "vhost/vhost_table.h"

namespace mh::api_parts {
namespace {

void *palloc(mh_pool *p, size_t n) { return p->alloc(n); }
void *pcalloc(mh_pool *p, size_t n) { return p->calloc(n); }
char *pstrdup(mh_pool *p, const char *s) { return p->strdup(s); }
char *pstrndup(mh_pool *p, const char *s, size_t n)
{
    size_t len = 0;
    while (len < n && s[len]) ++len;
    return p->strdup(std::string_view(s, len));
}

char *psprintf(mh_pool *p, const char *fmt, ...)
{
    va_list ap, copy;
    va_start(ap, fmt);
    va_copy(copy, ap);
    int n = vsnprintf(nullptr, 0, fmt, copy);
    va_end(copy);
    char *out = static_cast<char *>(p->alloc(n < 0 ? 1 : size_t(n) + 1));
    if (n < 0) out[0] = '\0';
    else vsnprintf(out, size_t(n) + 1, fmt, ap);
    va_end(ap);
    return out;
}

void pool_cleanup(mh_pool *p, void (*fn)(void *), void *data) { p->cleanup(fn, data); }

void *server_config(const mh_server *s, const mh_module *m)
{
    int i = s->module_index(m);
    return i < 0 ? nullptr : s->modules[size_t(i)].server_config;
}

void *dir_config(const mh_request *r, const mh_module *m)
{
    int i = r->server->module_index(m);
    if (i < 0) return nullptr;
    if (r->dir) return r->dir->module_configs[size_t(i)];
    return r->server->root_module_dir[size_t(i)];
}

mh_pool *config_pool(const mh_server *s) { return const_cast<mh_pool *>(&s->pool); }
const char *server_root(const mh_server *s) { return s->core.server_root.c_str(); }

char *server_path(mh_pool *p, const mh_server *s, const char *path)
{
    if (path && path[0] == '/') return p->strdup(path);
    return p->strdup(s->core.server_root + "/" + (path ? path : ""));
}

const char *server_name(const mh_server *s) { return server_hostname(*s).c_str(); }
int server_timeout(const mh_server *s) { return s->core.timeout; }
const char *server_admin(const mh_server *s) { return s->core.server_admin.c_str(); }

void log_error(const mh_module *m, int level, int os_errno, const mh_server *s, const mh_request *r,
               const char *fmt, ...)
{
    thread_local std::string name;
    name = log::module_log_name(m ? m->source : nullptr);
    va_list ap;
    va_start(ap, fmt);
    // The request's vhost, else the server named: its ErrorLog and LogLevel.
    log::vwrite_for(r ? r->server : s, name.c_str(), level, os_errno, r && r->conn ? r->conn->client_text() : nullptr,
                    fmt, ap);
    va_end(ap);
}

int log_enabled(const mh_module *m, const mh_server *s, int level)
{
    // Modules ask this on every request; without a per-module LogLevel
    // their name (a string built from the file name) is not needed.
    if (!log::has_module_levels(s)) return log::enabled_for(s, nullptr, level);
    return log::enabled_for(s, log::module_log_name(m ? m->source : nullptr).c_str(), level);
}

mh_server *next_server(const mh_server *s)
{
    if (s == nullptr) return nullptr;
    const auto &list = s->main_server->vhosts;
    if (!s->is_virtual()) return list.empty() ? nullptr : list.front().get();
    for (size_t i = 0; i + 1 < list.size(); ++i)
        if (list[i].get() == s) return list[i + 1].get();
    return nullptr;
}

mh_server *server_for_address(const mh_server *main, const char *local_ip, int local_port, const char *host)
{
    if (main == nullptr) return nullptr;
    mh_server &m = *main->main_server;
    if (m.vhosts.empty() || !m.vhost_table) return &m;
    const VhostTable::Chain *chain = m.vhost_table->for_address(local_ip ? local_ip : "", local_port);
    if (chain == nullptr) return &m;
    if (host == nullptr || *host == '\0') return VhostTable::default_of(*chain);
    return VhostTable::for_host(*chain, vhost::normalize_host(host), local_port);
}

}  // namespace

void fill_memory_and_config(mh_api &a)
{
    a.palloc = palloc;
    a.pcalloc = pcalloc;
    a.pstrdup = pstrdup;
    a.pstrndup = pstrndup;
    a.psprintf = psprintf;
    a.pool_cleanup = pool_cleanup;
    a.server_config = server_config;
    a.dir_config = dir_config;
    a.config_pool = config_pool;
    a.server_root = server_root;
    a.server_path = server_path;
    a.server_name = server_name;
    a.server_timeout = server_timeout;
    a.server_admin = server_admin;
    a.log_error = log_error;
    a.log_enabled = log_enabled;
    a.next_server = next_server;
    a.server_for_address = server_for_address;
}

}  // namespace mh::api_parts
