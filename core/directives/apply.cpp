#include "directives/apply.h"

#include <strings.h>

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>

#include "logging.h"
#include "server.h"
#include "util/regex.h"
#include "vhost/vhost_config.h"

namespace mh {
namespace {

struct CommandRef {
    int module;
    const mh_command *command;
};

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char &c : out) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    return out;
}

// Apache's arity messages: "Listen takes one or two arguments, <usage>".
const char *arity_error(mh_args_how how, size_t n)
{
    switch (how) {
    case MH_RAW_ARGS: case MH_TAKE_ARGV: return nullptr;
    case MH_TAKE1: return n == 1 ? nullptr : "takes one argument";
    case MH_TAKE2: return n == 2 ? nullptr : "takes two arguments";
    case MH_TAKE12: return n == 1 || n == 2 ? nullptr : "takes one or two arguments";
    case MH_TAKE3: return n == 3 ? nullptr : "takes three arguments";
    case MH_TAKE23: return n == 2 || n == 3 ? nullptr : "takes two or three arguments";
    case MH_TAKE123: return n >= 1 && n <= 3 ? nullptr : "takes one, two or three arguments";
    case MH_TAKE13: return n == 1 || n == 3 ? nullptr : "takes one or three arguments";
    case MH_ITERATE: return n >= 1 ? nullptr : "requires at least one argument";
    case MH_ITERATE2: return n >= 2 ? nullptr : "requires at least two arguments";
    case MH_FLAG: return n >= 1 ? nullptr : "must be On or Off";
    case MH_NO_ARGS: return n == 0 ? nullptr : "takes no arguments";
    case MH_SECTION: return nullptr;
    }
    return nullptr;
}

class Applier {
public:
    explicit Applier(mh_server &s) : s_(s), cur_(&s)
    {
        // Core first, then modules in load order: the first definition wins.
        for (size_t m = 0; m < s.modules.size(); ++m) {
            const mh_command *c = s.modules[m].desc->commands;
            for (; c && c->name; ++c) table_.try_emplace(lower(c->name), CommandRef{int(m), c});
        }
    }

    void apply(const std::vector<config::Node> &nodes, Section *section)
    {
        for (const config::Node &n : nodes) {
            if (n.is_section && strcasecmp(n.name.c_str(), "VirtualHost") == 0) defer_vhost(n, section);
            else if (n.is_section) open_section(n, section);
            else run(n, section);
        }
    }

    // Each <VirtualHost>, once the main server is complete: it starts from
    // everything the main server sets, wherever in the file.
    void apply_vhosts()
    {
        for (const config::Node *n : vhost_nodes_) {
            std::unique_ptr<mh_server> v = vhost::start(s_);
            v->vhost_origin = n->origin;
            std::string err = vhost::parse_addresses(n->args, s_.core.server_port, v->vhost_addresses, [](const std::string &m) {
                log::server_error("core", MH_LOG_WARNING, 0, "%s", m.c_str());
            });
            if (!err.empty()) fail(*n, err);
            cur_ = v.get();
            own_ = vhost::Own{};
            own_.dir.assign(s_.modules.size(), nullptr);
            own_.server.assign(s_.modules.size(), false);
            apply(n->children, nullptr);
            vhost::finish(*v, own_);
            cur_ = &s_;
            s_.vhosts.push_back(std::move(v));
        }
    }

private:
    [[noreturn]] void fail(const config::Node &n, const std::string &msg)
    {
        throw config::Error(msg, n.origin);
    }

    void defer_vhost(const config::Node &n, Section *section)
    {
        if (section) fail(n, "<VirtualHost> cannot occur within " + section->name() + " section");
        if (cur_ != &s_) fail(n, "<VirtualHost> cannot occur within <VirtualHost> section");
        if (n.args.empty()) fail(n, "<VirtualHost> directive requires additional arguments");
        vhost_nodes_.push_back(&n);
    }

    // The core's sections: what kind, whether a regex by name (*Match).
    struct SectionType {
        Section::Kind kind;
        bool match;
    };
    static std::optional<SectionType> core_section(const std::string &name)
    {
        static const std::pair<const char *, SectionType> kTypes[] = {
            {"Directory", {Section::Kind::Directory, false}}, {"DirectoryMatch", {Section::Kind::Directory, true}},
            {"Files", {Section::Kind::Files, false}},         {"FilesMatch", {Section::Kind::Files, true}},
            {"Location", {Section::Kind::Location, false}},   {"LocationMatch", {Section::Kind::Location, true}},
        };
        for (const auto &[n, t] : kTypes)
            if (strcasecmp(name.c_str(), n) == 0) return t;
        return std::nullopt;
    }

    void open_section(const config::Node &n, Section *outer)
    {
        std::optional<SectionType> type = core_section(n.name);
        if (!type) {
            auto it = table_.find(lower("<" + n.name));
            if (it == table_.end() || it->second.command->args_how != MH_SECTION)
                fail(n, "Invalid command '<" + n.name +
                            "', perhaps misspelled or defined by a module not included in the server "
                            "configuration");
            return module_section(n, it->second, outer);
        }
        // Apache's nesting: <Files> may stand in a <Directory>; nothing else nests.
        bool files_in_directory = type->kind == Section::Kind::Files && outer && outer->kind == Section::Kind::Directory;
        if (outer && !files_in_directory) {
            if (outer->kind == Section::Kind::Files)
                fail(n, "<" + n.name + " not allowed in <Files> context");
            fail(n, "<" + n.name + "> cannot occur within " + outer->name() + " section");
        }
        if (n.args.empty()) fail(n, "<" + n.name + "> directive requires additional arguments");
        bool regex = type->match || (n.args.size() == 2 && n.args[0] == "~");
        if (n.args.size() > (regex && !type->match ? 2u : 1u))
            fail(n, "Multiple <" + n.name + "> arguments not (yet) supported.");
        Section sec;
        sec.kind = type->kind;
        sec.origin = n.origin;
        sec.id = static_cast<int>(cur_->sections.size());
        sec.parent = files_in_directory ? outer->id : -1;
        sec.path = n.args.back();
        if (regex) {
            std::string err;
            sec.regex = regex::compile(sec.path, 0, err);
            if (sec.regex == nullptr) fail(n, "Regex could not be compiled");
            s_.pool.cleanup([](void *re) { regex::free(static_cast<mh_regex *>(re)); }, sec.regex);
        } else if (sec.kind == Section::Kind::Directory) {
            if (sec.path.front() != '/') sec.path = s_.core.server_root + "/" + sec.path;
            sec.wildcard = sec.path.find_first_of("*?[") != std::string::npos;
            while (sec.path.size() > 1 && sec.path.back() == '/') sec.path.pop_back();
        } else if (sec.kind == Section::Kind::Location && (sec.path.empty() || (sec.path.front() != '/' && sec.path != "*"))) {
            fail(n, "<Location> takes a URL path starting with '/'");
        }
        sec.module_configs.assign(s_.modules.size(), nullptr);
        cur_->sections.push_back(std::move(sec));
        // The deque keeps the section where it is while nested ones are added.
        apply(n.children, &cur_->sections.back());
    }

    // A module's container: opened, its body applied in the same scope, closed.
    void module_section(const config::Node &n, const CommandRef &ref, Section *section)
    {
        check_where(n, ref, section, "<" + n.name + ">");
        mh_cmd_parms parms = parms_for(n, ref, section);
        void *dir = dir_config_of(ref.module, section);
        std::vector<const char *> argv;
        for (const std::string &a : n.args) argv.push_back(s_.pool.strdup(a));
        argv.push_back(nullptr);
        if (const char *err = ref.command->set(&parms, dir, int(argv.size() - 1), argv.data())) fail(n, err);
        apply(n.children, section);
        if (const char *err = ref.command->set(&parms, dir, -1, nullptr)) fail(n, err);
    }

    void check_where(const config::Node &n, const CommandRef &ref, Section *section, const std::string &name)
    {
        const mh_command &c = *ref.command;
        if (section && !(c.where & MH_WHERE_DIR))
            fail(n, name + " not allowed in <" + section->name().substr(1) + " context");
        if (!section && !(c.where & MH_WHERE_SERVER)) fail(n, name + " not allowed here");
        // Process-wide settings, and every MPM directive, belong to the main server.
        if (cur_ != &s_ && ((c.where & MH_WHERE_NOT_IN_VHOST) || s_.modules[ref.module].desc->mpm))
            fail(n, name + " cannot occur within <VirtualHost> section");
    }

    mh_cmd_parms parms_for(const config::Node &n, const CommandRef &ref, Section *section)
    {
        mh_cmd_parms parms{};
        parms.struct_size = sizeof parms;
        parms.directive = s_.pool.strdup(n.name);
        parms.file = n.origin ? s_.pool.strdup(n.origin->file) : "";
        parms.line = n.origin ? n.origin->line : 0;
        parms.data = ref.command->data;
        parms.pool = &s_.pool;
        parms.server = cur_;
        parms.server_config = ref.module == 0 ? static_cast<void *>(cur_) : server_config_of(ref.module);
        parms.section = section ? s_.pool.strdup(section->path) : nullptr;
        return parms;
    }

    // In a vhost, a module's first directive gives it a server config of
    // its own (Apache's ap_set_config_vectors), merged at the vhost's end.
    void *server_config_of(int m)
    {
        if (cur_ != &s_ && !own_.server[m]) {
            own_.server[m] = true;
            if (auto create = s_.modules[m].desc->create_server_config)
                cur_->modules[m].server_config = create(&s_.pool);
        }
        return cur_->modules[m].server_config;
    }

    void *dir_config_of(int m, Section *section)
    {
        if (m == 0) return section ? &section->core : &cur_->root_dir;
        const mh_module *desc = s_.modules[m].desc;
        if (section == nullptr && cur_ != &s_) {
            // A vhost's own top-level config, merged over the main server's at its end.
            if (own_.dir[m] == nullptr && desc->create_dir_config) own_.dir[m] = desc->create_dir_config(&s_.pool, nullptr);
            return own_.dir[m] ? own_.dir[m] : cur_->root_module_dir[m];
        }
        if (section == nullptr) return s_.root_module_dir[m];
        void *&slot = section->module_configs[m];
        // Created lazily, as Apache does: a section without this module's
        // directives inherits the enclosing config untouched.
        if (slot == nullptr && desc->create_dir_config)
            slot = desc->create_dir_config(&s_.pool, s_.pool.strdup(section->path));
        return slot;
    }

    void run(const config::Node &n, Section *section)
    {
        auto it = table_.find(lower(n.name));
        if (it == table_.end())
            fail(n, "Invalid command '" + n.name +
                        "', perhaps misspelled or defined by a module not included in the server "
                        "configuration");
        const CommandRef ref = it->second;
        const mh_command &c = *ref.command;
        if (c.args_how == MH_SECTION) fail(n, n.name + " is a section: <" + n.name.substr(1) + " ...>");
        check_where(n, ref, section, n.name);

        std::vector<const char *> argv;
        std::vector<std::string> flag_value;
        if (c.args_how == MH_RAW_ARGS) {
            argv.push_back(s_.pool.strdup(n.raw_args));
        } else {
            if (const char *err = arity_error(c.args_how, n.args.size()))
                fail(n, n.name + " " + err + (c.usage && c.args_how != MH_FLAG ? std::string(", ") + c.usage : ""));
            for (const std::string &a : n.args) argv.push_back(s_.pool.strdup(a));
            if (c.args_how == MH_FLAG) {
                // Apache ignores words after the first (verified: "KeepAlive On Off" passes).
                if (strcasecmp(argv[0], "on") == 0) argv = {"On"};
                else if (strcasecmp(argv[0], "off") == 0) argv = {"Off"};
                else fail(n, n.name + " must be On or Off");
            }
        }

        mh_cmd_parms parms = parms_for(n, ref, section);
        void *dir = dir_config_of(ref.module, section);

        auto call = [&](int argc, const char *const *args) {
            if (const char *err = c.set(&parms, dir, argc, args)) fail(n, err);
        };
        if (c.args_how == MH_ITERATE) {
            for (const char *a : argv) call(1, &a);
        } else if (c.args_how == MH_ITERATE2) {
            for (size_t i = 1; i < argv.size(); ++i) {
                const char *pair[2] = {argv[0], argv[i]};
                call(2, pair);
            }
        } else {
            argv.push_back(nullptr);
            call(static_cast<int>(argv.size() - 1), argv.data());
        }
    }

    mh_server &s_;     // the main server: the pool, the modules
    mh_server *cur_;   // where directives go: the main server or a vhost
    vhost::Own own_;   // what the vhost being applied created itself
    std::vector<const config::Node *> vhost_nodes_;
    std::unordered_map<std::string, CommandRef> table_;
};

}  // namespace

void apply_config(mh_server &s, const std::vector<config::Node> &nodes)
{
    Applier a(s);
    a.apply(nodes, nullptr);
    sort_sections(s.sections);
    a.apply_vhosts();
}

}  // namespace mh
