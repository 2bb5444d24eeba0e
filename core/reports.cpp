#include "reports.h"

#include <grp.h>
#include <http_parser.h>
#include <pwd.h>
#include <unistd.h>
#include <uv.h>

#include <boost/version.hpp>
#include <cstdio>
#include <cstdlib>

#include "build_paths.h"
#include "builtin_modules.h"
#include "server.h"
#include "server_identity.h"
#include "vhost/vhost_table.h"

namespace mh::reports {
namespace {

// The directives the reader carries out itself (config/directives.cpp), and
// the sections the applier opens: not in any command table, listed by -L
// with the core's.
struct ReaderDirective {
    const char *name, *usage;
    unsigned where;
};
constexpr ReaderDirective kReaderDirectives[] = {
    {"<Directory", "Container for directives affecting resources located in the specified directories",
     MH_WHERE_SERVER},
    {"<Location", "Container for directives affecting resources accessed through the specified URL paths",
     MH_WHERE_SERVER},
    {"<DirectoryMatch", "Container for directives affecting resources located in the specified directories",
     MH_WHERE_SERVER},
    {"<LocationMatch", "Container for directives affecting resources accessed through the specified URL paths",
     MH_WHERE_SERVER},
    {"<VirtualHost", "Container to map directives to a particular virtual host, takes one or more host addresses",
     MH_WHERE_SERVER},
    {"<Files", "Container for directives affecting files matching specified patterns", MH_WHERE_ANY},
    {"<FilesMatch", "Container for directives affecting files matching specified patterns", MH_WHERE_ANY},
    {"<IfModule", "Container for directives based on existence of specified modules", MH_WHERE_ANY},
    {"<IfDefine", "Container for directives based on existence of command line defines", MH_WHERE_ANY},
    {"Include", "Name(s) of the config file(s) to be included; fails if the wildcard does not match at least one file",
     MH_WHERE_ANY},
    {"IncludeOptional", "Name or pattern of the config file(s) to be included; ignored if the file does not exist or the pattern does not match any files",
     MH_WHERE_ANY},
};

const char *where_text(unsigned where)
{
    where &= MH_WHERE_ANY;  // MH_WHERE_NOT_IN_VHOST: still "outside <Directory>..." to Apache's -L
    if (where == MH_WHERE_SERVER) return "Allowed in *.conf only outside <Directory>, <Files>, <Location>, or <If>";
    if (where == MH_WHERE_DIR) return "Allowed in *.conf only inside <Directory>, <Files>, <Location>, or <If>";
    return "Allowed in *.conf anywhere";
}

void directive(const char *name, const char *source, const char *usage, unsigned where)
{
    printf("%s (%s)\n\t%s\n\t%s\n", name, source, usage ? usage : "", where_text(where));
}

// User/Group as children will run: what is configured, or (unset) whoever
// started the server, which children then stay.
void identity(const char *what, const std::string &configured, bool user)
{
    std::string name = configured;
    long id = -1;
    if (name.empty()) {
        id = user ? long(geteuid()) : long(getegid());
        if (user) {
            if (const passwd *p = getpwuid(uid_t(id))) name = p->pw_name;
        } else if (const group *g = getgrgid(gid_t(id))) {
            name = g->gr_name;
        }
    } else if (name[0] == '#') {
        id = strtol(name.c_str() + 1, nullptr, 10);
    } else if (user) {
        if (const passwd *p = getpwnam(name.c_str())) id = long(p->pw_uid);
    } else if (const group *g = getgrnam(name.c_str())) {
        id = long(g->gr_gid);
    }
    printf("%s: name=\"%s\" id=%ld%s\n", what, name.c_str(), id, configured.empty() ? " (not set: unchanged)" : "");
}

}  // namespace

void modules(const mh_server &s)
{
    printf("Loaded Modules:\n");
    for (const ActiveModule &m : s.modules) {
        if (m.is_static)
            for (const BuiltinModule *b = builtin_modules(); b->symbol; ++b) printf(" %s (static)\n", b->symbol);
        else printf(" %s (shared)%s\n", m.loaded->symbol.c_str(), m.desc->mpm ? " [MPM]" : "");
    }
}

void vhosts(const mh_server &s)
{
    printf("VirtualHost configuration:\n");
    if (s.vhost_table) fputs(s.vhost_table->describe().c_str(), stdout);
}

void run_config(const mh_server &s)
{
    const CoreServerConfig &c = s.core;
    printf("ServerRoot: \"%s\"\n", c.server_root.c_str());
    printf("Main DocumentRoot: \"%s\"\n", c.document_root.c_str());
    printf("Main ErrorLog: \"%s\"\n", c.error_log.c_str());
    // Apache's mutex line: no lock is taken here, but the runtime directory stands.
    std::string runtime = c.default_runtime_dir.empty() ? c.server_root + "/logs" : c.default_runtime_dir;
    printf("Mutex default: dir=\"%s/\" mechanism=default \n", runtime.c_str());
    printf("PidFile: \"%s\"\n", c.pid_file.c_str());
    for (const std::string &d : s.defines) printf("Define: %s\n", d.c_str());
    for (const auto &[name, value] : s.variables) printf("Define: %s=%s\n", name.c_str(), value.c_str());
    identity("User", c.user, true);
    identity("Group", c.group, false);
}

void directives(const mh_server &s)
{
    for (const ReaderDirective &d : kReaderDirectives) directive(d.name, "core.c", d.usage, d.where);
    for (const ActiveModule &m : s.modules) {
        std::string source = m.is_static ? "core.c" : m.loaded->source;
        for (const mh_command *c = m.desc->commands; c && c->name; ++c)
            directive(c->name, source.c_str(), c->usage, c->where);
    }
}

void version() { printf("Server version: %s\nServer built:   %s\n", server_version(), server_built()); }

void settings(const mh_server *s)
{
    version();
    printf("Module ABI:     %d.%d\n", MH_ABI_MAJOR, MH_ABI_MINOR);
    printf("Server loaded:  libuv %s, http-parser %lu.%lu.%lu, Boost %d.%d (Boost.DLL)\n", uv_version_string(),
           (http_parser_version() >> 16) & 255, (http_parser_version() >> 8) & 255, http_parser_version() & 255,
           BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000);
    printf("Architecture:   %zu-bit\n", sizeof(void *) * 8);
    if (s && s->mpm) {
        const mh_mpm &mpm = *s->mpm->desc->mpm;
        printf("Server MPM:     %s\n", mpm.name);
        printf("  threaded:     %s\n", mpm.threaded ? "yes (fixed thread count)" : "no");
        printf("    forked:     yes (variable process count)\n");
    } else {
        printf("Server MPM:     (none loaded: the configuration could not be read)\n");
    }
    printf("Server compiled with....\n");
    printf(" -D SERVER_ROOT=\"%s\"\n", build_paths::server_root);
    printf(" -D SERVER_CONFIG_FILE=\"%s\"\n", build_paths::config_file);
    printf(" -D DEFAULT_PIDLOG=\"logs/modhttpd.pid\"\n");
    printf(" -D DEFAULT_ERRORLOG=\"logs/error_log\"\n");
    printf(" -D TYPES_CONFIG_FILE=\"etc/mime.types\"\n");
    printf(" -D MODULES_DIR=\"%s\"\n", build_paths::modules_dir);
}

}  // namespace mh::reports
