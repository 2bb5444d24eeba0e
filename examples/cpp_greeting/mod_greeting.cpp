// mod_greeting: a modhttpd module in C++ with its own directives and a
// per-directory configuration merged inner-over-outer.
//
//     LoadModule greeting_module modules/mod_greeting.so
//     GreetingText "Hello"                 # server-wide default
//     <Location "/greet">
//         SetHandler greeting
//         GreetingNames Alice Bob          # ITERATE: one or more names
//     </Location>
//     <Location "/greet/loud">
//         GreetingUppercase On             # FLAG
//         GreetingRepeat 2                 # TAKE1, checked by our own setter
//     </Location>
//
//     $ curl http://127.0.0.1:8080/greet/loud
//     HELLO, ALICE!
//     HELLO, BOB!
//     HELLO, ALICE!
//     HELLO, BOB!
//
// The rules a C++ module follows (docs/modules.md, "Modules in C++"):
//  - everything the server calls is a plain function with C-compatible
//    types; no exception may leave one (the server is not C++-aware);
//  - the descriptor is declared with MH_DECLARE_MODULE, which gives it C
//    linkage and default visibility;
//  - configuration lives in the pool it was created in: C++ objects placed
//    there get their destructor run by a pool cleanup.
#include <modhttpd/modhttpd.h>

#include <cctype>
#include <cstring>
#include <new>
#include <string>
#include <vector>

// Declared here because the handler needs its own descriptor's address to
// find its configuration; defined at the end of the file.
MH_DECLARE_MODULE(greeting_module);

namespace {

const mh_api *api;

// One section's settings. Standard layout (plain members and pointers only),
// so offsetof() works for the ready-made setters.
struct GreetingConfig {
    const char *text;                 // GreetingText; NULL = not set here
    int uppercase;                    // GreetingUppercase; -1 = not set here
    int repeat;                       // GreetingRepeat; 0 = not set here
    std::vector<std::string> *names;  // GreetingNames; NULL = not set here
};

// Constructs a T in `pool` and has the pool run its destructor when freed.
template <typename T>
T *pool_new(mh_pool *pool)
{
    void *memory = api->palloc(pool, sizeof(T));
    T *object = new (memory) T();
    api->pool_cleanup(pool, [](void *p) { static_cast<T *>(p)->~T(); }, object);
    return object;
}

// [master] A fresh, empty configuration: every field "not set here".
void *create_dir_config(mh_pool *pool, const char * /*section*/)
{
    auto *c = static_cast<GreetingConfig *>(api->pcalloc(pool, sizeof(GreetingConfig)));
    c->uppercase = -1;
    return c;
}

// [master or child, serialized by the server] `add` is the inner section,
// `base` what is in force around it. Only read them: both may be merged
// again with other sections.
void *merge_dir_config(mh_pool *pool, const void *base_v, const void *add_v)
{
    const auto *base = static_cast<const GreetingConfig *>(base_v);
    const auto *add = static_cast<const GreetingConfig *>(add_v);
    auto *m = static_cast<GreetingConfig *>(api->palloc(pool, sizeof(GreetingConfig)));
    m->text = add->text ? add->text : base->text;
    m->uppercase = add->uppercase != -1 ? add->uppercase : base->uppercase;
    m->repeat = add->repeat ? add->repeat : base->repeat;
    m->names = add->names ? add->names : base->names;  // an inner list replaces the outer one
    return m;
}

// [master] GreetingUppercase On|Off. The core has checked the word and
// passes "On" or "Off". Written by hand rather than with mh_set_flag_slot to
// keep "not set" (-1) apart from "Off" (0) for the merge.
const char *set_uppercase(const mh_cmd_parms *, void *dir, int, const char *const *argv)
{
    static_cast<GreetingConfig *>(dir)->uppercase = std::strcmp(argv[0], "On") == 0;
    return nullptr;
}

// [master] GreetingRepeat n: our own check, our own message. The core adds
// "Syntax error on line N of FILE:" in front of it.
const char *set_repeat(const mh_cmd_parms *cmd, void *dir, int, const char *const *argv)
{
    const char *s = argv[0];
    int n = 0;
    for (const char *p = s; *p && n <= 10; ++p)
        n = std::isdigit(static_cast<unsigned char>(*p)) ? n * 10 + (*p - '0') : 99;
    if (*s == '\0' || n < 1 || n > 10)
        return api->psprintf(cmd->pool, "%s must be a number from 1 to 10, not '%s'", cmd->directive, s);
    static_cast<GreetingConfig *>(dir)->repeat = n;
    return nullptr;
}

// [master] GreetingNames a b c: ITERATE calls us once per name. Several
// lines in one section add up.
const char *add_name(const mh_cmd_parms *cmd, void *dir, int, const char *const *argv)
{
    auto *c = static_cast<GreetingConfig *>(dir);
    try {
        if (c->names == nullptr) c->names = pool_new<std::vector<std::string>>(cmd->pool);
        c->names->emplace_back(argv[0]);
    } catch (const std::bad_alloc &) {
        return "GreetingNames: out of memory";
    }
    return nullptr;
}

const mh_command commands[] = {
    {"GreetingText", mh_set_string_slot, offsetof(GreetingConfig, text), MH_WHERE_ANY, MH_TAKE1,
     "the greeting, e.g. \"Hello\""},
    {"GreetingUppercase", set_uppercase, 0, MH_WHERE_ANY, MH_FLAG, "On to shout"},
    {"GreetingRepeat", set_repeat, 0, MH_WHERE_ANY, MH_TAKE1, "how many times to greet, 1 to 10"},
    {"GreetingNames", add_name, 0, MH_WHERE_ANY, MH_ITERATE, "one or more names to greet"},
    MH_COMMAND_END,
};

// [worker] Many threads may run this at once: it only reads the
// configuration and allocates from the request's pool.
int greeting_handler(mh_request *r) noexcept
{
    const char *handler = api->handler_name(r);
    if (handler == nullptr || std::strcmp(handler, "greeting") != 0) return MH_DECLINED;

    const auto *c = static_cast<const GreetingConfig *>(api->dir_config(r, &greeting_module));
    try {
        std::string text = c->text ? c->text : "Hello";
        std::string body;
        static const std::vector<std::string> world{"world"};
        const std::vector<std::string> &names = c->names ? *c->names : world;
        for (int i = 0; i < (c->repeat ? c->repeat : 1); ++i)
            for (const std::string &name : names) body += text + ", " + name + "!\n";
        if (c->uppercase == 1)
            for (char &ch : body) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));

        api->set_content_type(r, "text/plain; charset=utf-8");
        api->set_content_length(r, static_cast<int64_t>(body.size()));
        api->write(r, body.data(), body.size());
    } catch (const std::bad_alloc &) {
        return 500;  // nothing written yet: the core sends its error page
    }
    return MH_OK;
}

// [master] Once per configuration read.
void register_hooks(const mh_api *a, const mh_module *self)
{
    api = a;
    a->hook_handler(self, greeting_handler, MH_HOOK_MIDDLE);
}

}  // namespace

MH_DECLARE_MODULE(greeting_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NO_FLAGS,
    commands,
    create_dir_config,
    merge_dir_config,
    nullptr,  // create_server_config
    register_hooks,
    nullptr,  // not an MPM
};
