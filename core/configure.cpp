#include "configure.h"

#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "builtin_modules.h"
#include "directives/apply.h"
#include "log/access_log.h"
#include "log/error_log.h"
#include "logging.h"
#include "vhost/vhost_table.h"

namespace mh {
namespace {

mh_server *g_configuring = nullptr;
bool g_restarting = false;

std::string where(const config::OriginPtr &o)
{
    return o ? "line " + std::to_string(o->line) + " of " + o->file : "the command line";
}

void activate(mh_server &s, LoadedModule &lm, const config::OriginPtr &origin)
{
    for (const ActiveModule &m : s.modules)
        if (m.loaded && m.loaded->symbol == lm.symbol)
            throw config::Error("module " + lm.symbol + " is already loaded, at " + where(m.origin));
    ActiveModule am;
    am.loaded = &lm;
    am.desc = &lm.desc;
    am.address = lm.address;
    am.origin = origin;
    // register_hooks first, as Apache: it hands the module the api, which
    // create_*_config need to allocate from the pool.
    if (am.desc->register_hooks) am.desc->register_hooks(api(), lm.address);
    if (am.desc->create_server_config) am.server_config = am.desc->create_server_config(&s.pool);
    if (am.desc->create_dir_config) am.dir_defaults = am.desc->create_dir_config(&s.pool, nullptr);
    s.modules.push_back(am);
    s.root_module_dir.push_back(am.dir_defaults);
}

bool is_loaded(const mh_server &s, const std::string &name)
{
    for (const ActiveModule &m : s.modules) {
        if (m.is_static) {
            if (builtin_module(name)) return true;
        } else if (m.loaded->symbol == name || m.loaded->source == name) {
            return true;
        }
    }
    return false;
}

void set_defaults(mh_server &s)
{
    CoreServerConfig &c = s.core;
    const std::string &root = c.server_root;
    c.document_root = root + "/htdocs";
    c.error_log = root + "/logs/error_log";
    c.pid_file = root + "/logs/modhttpd.pid";
    c.types_config = root + "/etc/mime.types";
    c.log_formats["common"] = log::builtin_format("common");
    c.log_formats["combined"] = log::builtin_format("combined");
    s.root_dir.directory_index = std::vector<std::string>{"index.html"};
    s.root_dir.options_on = MH_OPT_FOLLOW_SYMLINKS;  // Apache 2.4's default
}

// The checks that need the whole configuration.
void check_whole(mh_server &s, bool check_document_root)
{
    s.mpms.clear();
    for (const ActiveModule &m : s.modules)
        if (m.desc->mpm) s.mpms.push_back(&m);
    if (s.mpms.empty())
        throw config::Error("Configuration error: No MPM loaded. Load one, e.g.: "
                            "LoadModule mpm_prefork_module modules/mod_mpm_prefork.so");
    if (s.mpms.size() > 1) {
        std::string msg = "Configuration error: More than one MPM loaded:";
        for (const ActiveModule *m : s.mpms) msg += " " + m->loaded->symbol + " (" + where(m->origin) + ")";
        throw config::Error(msg + ". Keep exactly one MPM LoadModule line.");
    }
    s.mpm = s.mpms.front();
    const mh_mpm &mpm = *s.mpm->desc->mpm;
    if (mpm.threaded)
        for (const ActiveModule &m : s.modules)
            if (m.desc->flags & MH_MODULE_NOT_THREAD_SAFE)
                throw config::Error("Module " + m.loaded->symbol + " (" + m.loaded->source +
                                        ") is not thread-safe and cannot run under the threaded MPM '" +
                                        mpm.name + "'. Load mpm_prefork instead: LoadModule "
                                        "mpm_prefork_module modules/mod_mpm_prefork.so",
                                    m.origin);
    if (s.core.listen.empty())
        throw config::Error("Configuration error: no Listen directive, so there is nothing to "
                            "serve on. Add one, e.g.: Listen 80");
    std::string err;
    if (!s.core.mime.load(s.core.types_config, err))
        throw config::Error("mime types config file " + err);  // err starts with the path
    struct stat st;
    if (check_document_root && (stat(s.core.document_root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)))
        api()->mpm->config_warning(&s, "DocumentRoot [%s] does not exist", s.core.document_root.c_str());
    for (const std::unique_ptr<mh_server> &v : s.vhosts)
        if (check_document_root && v->core.document_root != s.core.document_root &&
            (stat(v->core.document_root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)))
            api()->mpm->config_warning(v.get(), "DocumentRoot [%s] does not exist", v->core.document_root.c_str());
    if (mpm.check_config && mpm.check_config(&s) != 0)
        throw config::Error("Configuration error: the " + std::string(mpm.name) + " MPM refused its settings");
}

}  // namespace

mh_server *configuring() { return g_configuring; }
bool restarting() { return g_restarting; }

std::unique_ptr<mh_server> configure(const ConfigureOptions &opts, int generation)
{
    auto s = std::make_unique<mh_server>();
    s->generation = generation;
    s->core.server_root = opts.server_root;
    g_configuring = s.get();
    g_restarting = opts.restarting;
    struct Reset {
        ~Reset() { g_configuring = nullptr; }
    } reset;

    ActiveModule core;
    core.desc = &core_module;
    core.address = &core_module;
    core.is_static = true;
    s->modules.push_back(core);
    s->root_module_dir.push_back(nullptr);

    config::ReaderContext ctx;
    ctx.server_root = opts.server_root;
    ctx.defines = opts.defines;
    ctx.load_module = [&](const std::string &symbol, const std::string &path, const config::OriginPtr &origin) {
        if (builtin_module(symbol)) {  // Apache's words for a module compiled in
            ctx.warn("module " + symbol + " is built-in and can't be loaded");
            return;
        }
        activate(*s, load_module(symbol, path), origin);
    };
    ctx.module_loaded = [&](const std::string &name) { return is_loaded(*s, name); };
    // On stderr while starting (no error log is open yet), as Apache; in the
    // error log on a restart.
    ctx.warn = [](const std::string &message) { log::server_error("core", MH_LOG_WARNING, 0, "%s", message.c_str()); };

    std::string file = opts.config_file;
    if (file.empty() || file.front() != '/') file = opts.server_root + "/" + file;
    s->config_file = file;
    std::vector<config::Node> nodes = config::read_config(file, ctx, opts.pre, opts.post);

    s->core.server_root = ctx.server_root;
    s->defines = ctx.defines;
    s->variables = ctx.variables;
    set_defaults(*s);
    apply_config(*s, nodes);
    s->vhost_table = std::make_unique<VhostTable>(*s);
    check_whole(*s, opts.check_document_root);
    return s;
}

}  // namespace mh
