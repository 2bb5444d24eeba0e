// The core's directives, as a command table like any module's. Setters get
// the mh_server as server_config and the scope's CoreDirConfig as dir_config.
#include <strings.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <string>

#include "directives/apply.h"
#include "log/access_log.h"
#include "log/error_log.h"
#include "logging.h"
#include "server.h"
#include "vhost/host_match.h"

namespace mh {
namespace {

mh_server &server_of(const mh_cmd_parms *cmd) { return *static_cast<mh_server *>(cmd->server_config); }
CoreDirConfig &dir_of(void *d) { return *static_cast<CoreDirConfig *>(d); }

// Error strings must outlive the call: keep them in the config pool.
const char *error(const mh_cmd_parms *cmd, const std::string &msg) { return cmd->pool->strdup(msg); }

std::string absolute(const mh_cmd_parms *cmd, const char *path)
{
    std::string p = path;
    if (p.empty() || p.front() != '/') p = server_of(cmd).core.server_root + "/" + p;
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    return p;
}

bool parse_long(const char *s, long min, long max, long &out)
{
    if (*s == '\0') return false;
    errno = 0;
    char *end = nullptr;
    long v = strtol(s, &end, 10);
    if (errno || *end != '\0' || v < min || v > max) return false;
    out = v;
    return true;
}

// A setter for an integer field of the server config, with bounds.
template <auto Field, long Min, long Max>
const char *set_server_int(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    long v;
    if (!parse_long(argv[0], Min, Max, v))
        return error(cmd, std::string(cmd->directive) + " must be a whole number from " +
                              std::to_string(Min) + " to " + std::to_string(Max) + ", not '" + argv[0] + "'");
    server_of(cmd).core.*Field = static_cast<std::remove_reference_t<decltype(server_of(cmd).core.*Field)>>(v);
    return nullptr;
}

template <auto Field, long Min, long Max>
const char *set_limit(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    long v;
    if (!parse_long(argv[0], Min, Max, v))
        return error(cmd, std::string(cmd->directive) + " must be a whole number from " +
                              std::to_string(Min) + " to " + std::to_string(Max) + ", not '" + argv[0] + "'");
    server_of(cmd).core.limits.*Field = static_cast<std::remove_reference_t<decltype(server_of(cmd).core.limits.*Field)>>(v);
    return nullptr;
}

template <auto Field>
const char *set_server_path(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    server_of(cmd).core.*Field = absolute(cmd, argv[0]);
    return nullptr;
}

template <auto Field>
const char *set_server_string(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    server_of(cmd).core.*Field = argv[0];
    return nullptr;
}

// Read while the file was read (LoadModule, ServerRoot, Define): nothing left to do.
const char *already_done(const mh_cmd_parms *, void *, int, const char *const *) { return nullptr; }

const char *set_listen(const mh_cmd_parms *cmd, void *, int argc, const char *const *argv)
{
    std::string a = argv[0];
    ListenAddress addr;
    std::string port;
    if (!a.empty() && a.front() == '[') {
        size_t close = a.find(']');
        if (close == std::string::npos || close + 1 >= a.size() || a[close + 1] != ':')
            return error(cmd, "Invalid address or port in Listen " + a);
        addr.host = a.substr(1, close - 1);
        port = a.substr(close + 2);
    } else if (size_t colon = a.rfind(':'); colon != std::string::npos) {
        if (a.find(':') != colon) return error(cmd, "Invalid address or port in Listen " + a + " (IPv6 addresses go in brackets)");
        addr.host = a.substr(0, colon);
        port = a.substr(colon + 1);
        if (addr.host == "*" || addr.host == "0.0.0.0") addr.host = addr.host == "*" ? "" : addr.host;
    } else {
        port = a;
    }
    long p;
    if (!parse_long(port.c_str(), 1, 65535, p)) return error(cmd, "Port must be specified");
    addr.port = static_cast<int>(p);
    // The protocol names what the listener speaks: "https" is for a module
    // that wraps its connections in TLS (mod_ssl, with SSLEngine on).
    if (argc == 2 && strcasecmp(argv[1], "http") != 0 && strcasecmp(argv[1], "https") != 0)
        return error(cmd, std::string("Listen protocol '") + argv[1] + "' is not supported (only http and https)");
    addr.protocol = argc == 2 ? (strcasecmp(argv[1], "https") == 0 ? "https" : "http") : p == 443 ? "https" : "http";
    mh_server &s = server_of(cmd);
    for (const ListenAddress &l : s.core.listen)
        if (l == addr) return "Cannot define multiple Listeners on the same IP:port";
    addr.origin = std::make_shared<config::Origin>(config::Origin{cmd->file, cmd->line, nullptr});
    s.core.listen.push_back(addr);
    return nullptr;
}

const char *set_server_name(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    std::string n = argv[0];
    if (size_t scheme = n.find("://"); scheme != std::string::npos) n = n.substr(scheme + 3);
    mh_server &s = server_of(cmd);
    size_t colon = n.rfind(':');
    if (colon != std::string::npos && n.find(']', colon) == std::string::npos) {
        long p;
        if (!parse_long(n.c_str() + colon + 1, 1, 65535, p)) return error(cmd, "Invalid ServerName port: " + n);
        s.core.server_port = static_cast<int>(p);
        n.resize(colon);
    }
    s.core.server_name = n;
    return nullptr;
}

// Names a <VirtualHost> also answers to; * and ? match as in a shell.
const char *add_server_alias(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    mh_server &s = server_of(cmd);
    if (!s.is_virtual()) return "ServerAlias only used in <VirtualHost>";
    (vhost::has_wildcard(argv[0]) ? s.wild_aliases : s.server_aliases).emplace_back(argv[0]);
    return nullptr;
}

const char *set_use_canonical_name(const mh_cmd_parms *, void *d, int, const char *const *argv)
{
    if (strcasecmp(argv[0], "on") == 0) dir_of(d).use_canonical_name = CanonicalName::On;
    else if (strcasecmp(argv[0], "off") == 0) dir_of(d).use_canonical_name = CanonicalName::Off;
    else if (strcasecmp(argv[0], "dns") == 0) dir_of(d).use_canonical_name = CanonicalName::Dns;
    else return "parameter must be 'on', 'off', or 'dns'";
    return nullptr;
}

const char *set_directory_index(const mh_cmd_parms *, void *d, int argc, const char *const *argv)
{
    if (argc == 0) return "DirectoryIndex requires at least one argument, a list of file names";
    auto &list = dir_of(d).directory_index.emplace();
    for (int i = 0; i < argc; ++i)
        if (strcasecmp(argv[i], "disabled") != 0) list.push_back(argv[i]);
    return nullptr;
}

const char *set_error_log(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    std::string v = argv[0];
    // "|cmd", "||cmd" (no shell) and "syslog[:facility]" are kept as written.
    if (int facility = log::syslog_facility(v); facility != -2) {
        if (facility == -1) {
            std::string name = v.substr(7);
            return error(cmd, "AH10036: modhttpd: could not open syslog error log " + name.substr(0, name.find(':')) + ".");
        }
        server_of(cmd).core.error_log = v;
        return nullptr;
    }
    server_of(cmd).core.error_log = !v.empty() && v.front() == '|' ? v : absolute(cmd, argv[0]);
    return nullptr;
}

const char *set_log_level(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    std::string v = argv[0];
    mh_server &s = server_of(cmd);
    size_t colon = v.find(':');
    int level = log::parse_level(colon == std::string::npos ? v : v.substr(colon + 1));
    if (level < 0)
        return error(cmd, "LogLevel requires level keyword: one of emerg/alert/crit/error/warn/notice/info/debug/trace1/.../trace8");
    if (colon == std::string::npos) {
        s.core.log_level = level;
        return nullptr;
    }
    // A module's log name: "ssl", also written "mod_ssl.c" or "ssl_module".
    std::string name = v.substr(0, colon);
    if (name.size() > 7 && name.compare(name.size() - 7, 7, "_module") == 0) name.resize(name.size() - 7);
    else name = log::module_log_name(name.c_str());
    bool known = false;
    for (const char *builtin : {"core", "http", "so", "unixd", "log_config", "mpm"})
        known |= name == builtin;
    for (const ActiveModule &m : s.modules)
        known |= !m.is_static && log::module_log_name(m.loaded->source.c_str()) == name;
    if (!known) return error(cmd, "Cannot find module " + v.substr(0, colon));
    s.core.module_log_levels[name] = level;
    return nullptr;
}

const char *set_log_format(const mh_cmd_parms *cmd, void *, int argc, const char *const *argv)
{
    try {
        log::LogFormat check(argv[0]);
    } catch (const std::invalid_argument &e) {
        return error(cmd, e.what());
    }
    server_of(cmd).core.log_formats[argc == 2 ? argv[1] : ""] = argv[0];
    return nullptr;
}

const char *add_custom_log(const mh_cmd_parms *cmd, const char *path, std::string format)
{
    mh_server &s = server_of(cmd);
    if (auto nick = s.core.log_formats.find(format); nick != s.core.log_formats.end()) {
        format = nick->second;
    } else if (const char *builtin = log::builtin_format(format);
               builtin && format.find('%') == std::string::npos) {
        format = builtin;
    }
    try {
        log::LogFormat check(format);
    } catch (const std::invalid_argument &e) {
        return error(cmd, e.what());
    }
    s.core.custom_logs.push_back(
        {path[0] == '|' ? std::string(path) : absolute(cmd, path), format, std::make_shared<config::Origin>(config::Origin{cmd->file, cmd->line, nullptr})});
    return nullptr;
}

const char *set_custom_log(const mh_cmd_parms *cmd, void *, int argc, const char *const *argv)
{
    if (argc == 3) return "CustomLog conditions (env=, expr=) are not supported";
    return add_custom_log(cmd, argv[0], argv[1]);
}

const char *set_transfer_log(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    auto &formats = server_of(cmd).core.log_formats;
    auto it = formats.find("");
    return add_custom_log(cmd, argv[0], it != formats.end() ? it->second : "common");
}

const char *set_keep_alive_timeout(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    std::string v = argv[0];
    bool ms = v.size() > 2 && v.compare(v.size() - 2, 2, "ms") == 0;
    if (ms) v.resize(v.size() - 2);
    long n;
    if (!parse_long(v.c_str(), 0, 86400000, n)) return error(cmd, "KeepAliveTimeout must be seconds, or milliseconds with 'ms': " + std::string(argv[0]));
    server_of(cmd).core.keep_alive_timeout_ms = static_cast<int>(ms ? n : n * 1000);
    return nullptr;
}

const char *set_keep_alive(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    server_of(cmd).core.keep_alive = argv[0][1] == 'n';
    return nullptr;
}

const char *set_limit_request_body(const mh_cmd_parms *cmd, void *d, int, const char *const *argv)
{
    char *end = nullptr;
    errno = 0;
    unsigned long long v = strtoull(argv[0], &end, 10);
    if (errno || *end || argv[0][0] == '-' || argv[0][0] == '\0' || v > (1ULL << 62))
        return error(cmd, "LimitRequestBody requires a non-negative integer of at most 2^62, not '" + std::string(argv[0]) + "'");
    dir_of(d).limit_request_body = v;
    if (cmd->section == nullptr) server_of(cmd).core.limits.body = v;
    return nullptr;
}

const char *set_handler(const mh_cmd_parms *, void *d, int, const char *const *argv)
{
    dir_of(d).handler = strcasecmp(argv[0], "none") == 0 ? "" : argv[0];
    return nullptr;
}

const char *add_type(const mh_cmd_parms *, void *d, int, const char *const *argv)
{
    std::string ext = argv[1];
    if (!ext.empty() && ext.front() == '.') ext.erase(0, 1);
    for (char &c : ext) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    dir_of(d).add_types.emplace_back(ext, argv[0]);
    return nullptr;
}

unsigned option_bit(const char *name, bool &known)
{
    known = true;
    if (strcasecmp(name, "Indexes") == 0) return MH_OPT_INDEXES;
    if (strcasecmp(name, "FollowSymLinks") == 0) return MH_OPT_FOLLOW_SYMLINKS;
    if (strcasecmp(name, "SymLinksIfOwnerMatch") == 0) return MH_OPT_SYMLINKS_IF_OWNER_MATCH;
    if (strcasecmp(name, "ExecCGI") == 0) return MH_OPT_EXECCGI;
    // Apache's All: everything but MultiViews (Indexes, FollowSymLinks, ExecCGI, ...).
    if (strcasecmp(name, "All") == 0) return MH_OPT_INDEXES | MH_OPT_FOLLOW_SYMLINKS | MH_OPT_EXECCGI;
    // Accepted so that Apache configs read, but nothing here acts on them.
    if (strcasecmp(name, "MultiViews") == 0 || strcasecmp(name, "Includes") == 0 ||
        strcasecmp(name, "IncludesNOEXEC") == 0)
        return 0;
    known = false;
    return 0;
}

const char *set_options(const mh_cmd_parms *cmd, void *d, int, const char *const *argv)
{
    CoreDirConfig &c = dir_of(d);
    std::vector<std::string> words = config::split_words(argv[0]);
    if (words.empty()) return "Options requires at least one argument";
    bool relative = false, absolute_set = false;
    unsigned on = 0, off = 0;
    for (const std::string &w : words) {
        char sign = w.front();
        bool signed_word = sign == '+' || sign == '-';
        (signed_word ? relative : absolute_set) = true;
        if (relative && absolute_set)
            return "Either all Options must start with + or -, or no Option may.";
        std::string name = signed_word ? w.substr(1) : w;
        if (strcasecmp(name.c_str(), "None") == 0 && !signed_word) continue;
        bool known;
        unsigned bit = option_bit(name.c_str(), known);
        if (!known) return error(cmd, "Illegal option " + name);
        (sign == '-' ? off : on) |= bit;
    }
    if (absolute_set) {
        c.options_absolute = true;
        c.options_on = on;
        c.options_off = 0;
    } else {
        c.options_on = (c.options_on | on) & ~off;
        c.options_off |= off;
    }
    return nullptr;
}

const char *set_allow_override(const mh_cmd_parms *, void *, int, const char *const *argv)
{
    if (strcasecmp(argv[0], "None") != 0)
        return "AllowOverride: modhttpd does not read .htaccess files; use AllowOverride None";
    return nullptr;
}

// RequestReadTimeout header=20-40,MinRate=500 body=20,MinRate=500
const char *set_request_read_timeout(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    std::string v = argv[0];
    size_t eq = v.find('=');
    if (eq == std::string::npos) return error(cmd, "RequestReadTimeout: expected header=... or body=..., not " + v);
    std::string stage = v.substr(0, eq);
    CoreServerConfig &core = server_of(cmd).core;
    ReadTimeout *t = strcasecmp(stage.c_str(), "header") == 0 ? &core.header_timeout
                     : strcasecmp(stage.c_str(), "body") == 0 ? &core.body_timeout : nullptr;
    if (!t) return error(cmd, "RequestReadTimeout: unknown stage '" + stage + "' (header or body)");
    ReadTimeout parsed{0, 0, 0};
    std::string rest = v.substr(eq + 1);
    size_t comma = rest.find(',');
    std::string times = rest.substr(0, comma);
    size_t dash = times.find('-');
    long a, b = 0;
    if (!parse_long(times.substr(0, dash).c_str(), 0, 86400, a) ||
        (dash != std::string::npos && !parse_long(times.substr(dash + 1).c_str(), a, 86400, b)))
        return error(cmd, "RequestReadTimeout: bad timeout '" + times + "'");
    parsed.seconds = static_cast<int>(a);
    parsed.max_seconds = static_cast<int>(b);
    if (comma != std::string::npos) {
        std::string opt = rest.substr(comma + 1);
        long rate;
        if (strncasecmp(opt.c_str(), "MinRate=", 8) != 0 || !parse_long(opt.c_str() + 8, 1, 1 << 30, rate))
            return error(cmd, "RequestReadTimeout: bad option '" + opt + "' (MinRate=bytes per second)");
        parsed.min_rate = static_cast<int>(rate);
    }
    *t = parsed;
    return nullptr;
}

const char *set_server_tokens(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    static constexpr std::pair<const char *, ServerTokens> kForms[] = {
        {"Prod", ServerTokens::Prod},   {"ProductOnly", ServerTokens::Prod}, {"Major", ServerTokens::Major},
        {"Minor", ServerTokens::Minor}, {"Min", ServerTokens::Minimal},      {"Minimal", ServerTokens::Minimal},
        {"OS", ServerTokens::OS},       {"Full", ServerTokens::Full},
    };
    for (const auto &[name, tokens] : kForms)
        if (strcasecmp(argv[0], name) == 0) return server_of(cmd).core.server_tokens = tokens, nullptr;
    return "ServerTokens takes 1 argument: 'Prod(uctOnly)', 'Major', 'Minor', 'Min(imal)', 'OS', or 'Full'";
}

const char *set_server_signature(const mh_cmd_parms *, void *d, int, const char *const *argv)
{
    if (strcasecmp(argv[0], "On") == 0) dir_of(d).server_signature = ServerSignature::On;
    else if (strcasecmp(argv[0], "Off") == 0) dir_of(d).server_signature = ServerSignature::Off;
    else if (strcasecmp(argv[0], "EMail") == 0) dir_of(d).server_signature = ServerSignature::EMail;
    else return "ServerSignature: use one of: off | on | email";
    return nullptr;
}

// SetOutputFilter DEFLATE;OTHER ("none" clears an inherited list).
const char *set_output_filter(const mh_cmd_parms *, void *d, int, const char *const *argv)
{
    auto &list = dir_of(d).output_filters.emplace();
    if (strcasecmp(argv[0], "none") == 0) return nullptr;
    std::string_view v = argv[0];
    while (!v.empty()) {
        size_t semi = v.find(';');
        std::string_view name = v.substr(0, semi);
        if (!name.empty()) list.emplace_back(name);
        if (semi == std::string_view::npos) break;
        v.remove_prefix(semi + 1);
    }
    return nullptr;
}

const char *set_auth_type(const mh_cmd_parms *, void *d, int, const char *const *argv)
{
    dir_of(d).auth_type = strcasecmp(argv[0], "None") == 0 ? "" : argv[0];
    return nullptr;
}

const char *set_auth_name(const mh_cmd_parms *, void *d, int, const char *const *argv)
{
    dir_of(d).auth_name = argv[0];
    return nullptr;
}

const char *set_accept_path_info(const mh_cmd_parms *, void *d, int, const char *const *argv)
{
    if (strcasecmp(argv[0], "on") == 0) dir_of(d).accept_path_info = MH_PATH_INFO_ACCEPT;
    else if (strcasecmp(argv[0], "off") == 0) dir_of(d).accept_path_info = MH_PATH_INFO_REJECT;
    else if (strcasecmp(argv[0], "default") == 0) dir_of(d).accept_path_info = MH_PATH_INFO_DEFAULT;
    else return "AcceptPathInfo must be set to on, off or default";
    return nullptr;
}

const char *ignore_with_value(const mh_cmd_parms *, void *, int, const char *const *) { return nullptr; }

const char *set_trace_enable(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    TraceEnable &t = server_of(cmd).core.trace_enable;
    if (strcasecmp(argv[0], "on") == 0) t = TraceEnable::On;
    else if (strcasecmp(argv[0], "off") == 0) t = TraceEnable::Off;
    else if (strcasecmp(argv[0], "extended") == 0) t = TraceEnable::Extended;
    else return "TraceEnable must be one of 'on', 'off', or 'extended'";
    return nullptr;
}

// AddDefaultCharset On (iso-8859-1, Apache's default name) | Off | a charset.
const char *set_add_default_charset(const mh_cmd_parms *, void *d, int, const char *const *argv)
{
    auto &c = dir_of(d).add_default_charset;
    if (strcasecmp(argv[0], "Off") == 0) c = "";
    else if (strcasecmp(argv[0], "On") == 0) c = "iso-8859-1";
    else c = argv[0];
    return nullptr;
}

// Only Off: no name is ever looked up here (logs and Require host use addresses).
const char *set_hostname_lookups(const mh_cmd_parms *, void *, int, const char *const *argv)
{
    if (strcasecmp(argv[0], "Off") == 0) return nullptr;
    if (strcasecmp(argv[0], "On") == 0 || strcasecmp(argv[0], "Double") == 0)
        return "HostnameLookups On and Double are not supported: client addresses are logged as numbers; use "
               "HostnameLookups Off";
    return "parameter must be 'on', 'off', or 'double'";
}

const char *set_default_runtime_dir(const mh_cmd_parms *cmd, void *, int, const char *const *argv)
{
    std::string dir = absolute(cmd, argv[0]);
    struct stat st;
    if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return error(cmd, "DefaultRuntimeDir must be a valid directory, absolute or relative to ServerRoot");
    server_of(cmd).core.default_runtime_dir = dir;
    return nullptr;
}

// Mutex mechanism [default|mutex-name] ... [OmitPID]: nothing here takes a
// cross-process lock (each MPM's listeners need none), so any is accepted.
const char *set_mutex(const mh_cmd_parms *, void *, int, const char *const *argv)
{
    if (config::split_words(argv[0]).empty()) return "Mutex requires at least a mechanism argument";
    return nullptr;
}

using CF = CoreServerConfig;
using LM = http::Limits;
constexpr unsigned S = MH_WHERE_SERVER;
constexpr unsigned G = MH_WHERE_SERVER | MH_WHERE_NOT_IN_VHOST;  // process-wide: not in <VirtualHost>
constexpr unsigned A = MH_WHERE_ANY;

}  // namespace

const mh_command core_commands[] = {
    {"ServerRoot", already_done, 0, G, MH_TAKE1, "a directory"},
    {"LoadModule", already_done, 0, G, MH_TAKE2, "a module name and the name of a shared object file to load it from"},
    {"Define", already_done, 0, S, MH_TAKE12, "a name and an optional value"},
    {"UnDefine", already_done, 0, S, MH_TAKE1, "a name"},
    {"Listen", set_listen, 0, G, MH_TAKE12, "a port number or a numeric IP address and a port number, and an optional protocol"},
    {"ListenBacklog", set_server_int<&CF::listen_backlog, 1, 65535>, 0, G, MH_TAKE1, "maximum length of the queue of pending connections, as used by listen(2)"},
    {"ServerName", set_server_name, 0, S, MH_TAKE1, "the hostname and port of the server"},
    {"ServerAlias", add_server_alias, 0, S, MH_ITERATE, "a name or names alternatively used to access the server"},
    {"UseCanonicalName", set_use_canonical_name, 0, A, MH_TAKE1, "How to work out the ServerName : Port when constructing URLs"},
    {"ServerAdmin", set_server_string<&CF::server_admin>, 0, S, MH_TAKE1, "The email address of the server administrator"},
    {"ServerTokens", set_server_tokens, 0, G, MH_TAKE1, "'Full', 'OS', 'Minor', 'Minimal', 'Major', 'Prod'"},
    {"ServerSignature", set_server_signature, 0, A, MH_TAKE1, "En-/disable server signature (on|off|email)"},
    {"HostnameLookups", set_hostname_lookups, 0, A, MH_TAKE1, "\"on\" to enable, \"off\" to disable reverse DNS lookups, or \"double\" to enable double-reverse DNS lookups"},
    {"TraceEnable", set_trace_enable, 0, S, MH_TAKE1, "'on' (default), 'off' or 'extended' to trace request body content"},
    {"AddDefaultCharset", set_add_default_charset, 0, A, MH_TAKE1, "The name of the default charset to add to any Content-Type without one or 'Off' to disable"},
    {"DefaultRuntimeDir", set_default_runtime_dir, 0, G, MH_TAKE1, "Common directory for run-time files (shared memory, locks, etc.)"},
    {"Mutex", set_mutex, 0, G, MH_RAW_ARGS, "mutex (or \"default\") and mechanism"},
    {"AccessFileName", ignore_with_value, 0, S, MH_ITERATE, "Name(s) of per-directory config files (never read here)"},
    {"EnableSendfile", ignore_with_value, 0, A, MH_FLAG, "Controls whether sendfile may be used to transmit files"},
    {"EnableMMAP", ignore_with_value, 0, A, MH_FLAG, "Controls whether memory-mapping may be used to read files"},
    {"DocumentRoot", set_server_path<&CF::document_root>, 0, S, MH_TAKE1, "the root directory of the document tree"},
    {"DirectoryIndex", set_directory_index, 0, A, MH_TAKE_ARGV, "a list of file names"},
    {"ErrorLog", set_error_log, 0, S, MH_TAKE1, "the filename of the error log"},
    {"LogLevel", set_log_level, 0, S, MH_ITERATE, "a level, or module:level"},
    {"LogFormat", set_log_format, 0, S, MH_TAKE12, "a log format string (see docs) and an optional format name"},
    {"CustomLog", set_custom_log, 0, S, MH_TAKE23, "a file name, a custom log format string or format name"},
    {"TransferLog", set_transfer_log, 0, S, MH_TAKE1, "the filename of the access log"},
    {"PidFile", set_server_path<&CF::pid_file>, 0, G, MH_TAKE1, "a file for the master's process id"},
    {"User", set_server_string<&CF::user>, 0, G, MH_TAKE1, "effective user id for this server"},
    {"Group", set_server_string<&CF::group>, 0, G, MH_TAKE1, "effective group id for this server"},
    {"Timeout", set_server_int<&CF::timeout, 1, 86400>, 0, S, MH_TAKE1, "timeout duration (sec)"},
    {"KeepAlive", set_keep_alive, 0, S, MH_FLAG, "enable or disable persistent connections"},
    {"MaxKeepAliveRequests", set_server_int<&CF::max_keep_alive_requests, 0, 1 << 30>, 0, S, MH_TAKE1, "maximum number of requests a persistent connection may serve (0 = unlimited)"},
    {"KeepAliveTimeout", set_keep_alive_timeout, 0, S, MH_TAKE1, "keep-alive timeout duration (sec, or ms with 'ms')"},
    {"LimitRequestLine", set_limit<&LM::request_line, 1, 1 << 24>, 0, G, MH_TAKE1, "limit on maximum size of an HTTP request line"},
    {"LimitRequestFieldSize", set_limit<&LM::field_size, 1, 1 << 24>, 0, G, MH_TAKE1, "limit on maximum size of an HTTP request header field"},
    {"LimitRequestFields", set_limit<&LM::fields, 1, 100000>, 0, G, MH_TAKE1, "limit on max number of header fields in a request message"},
    {"LimitRequestBody", set_limit_request_body, 0, A, MH_TAKE1, "limit (0 = unlimited) on max size of a request body"},
    {"RequestReadTimeout", set_request_read_timeout, 0, G, MH_ITERATE, "header=seconds[-max][,MinRate=bytes/s] body=..."},
    {"SetOutputFilter", set_output_filter, 0, A, MH_TAKE1, "filters to be run, separated by ;"},
    {"AuthType", set_auth_type, 0, MH_WHERE_DIR, MH_TAKE1, "an HTTP authorization type (e.g., \"Basic\")"},
    {"AuthName", set_auth_name, 0, MH_WHERE_DIR, MH_TAKE1, "the authentication realm (e.g. \"Members Only\")"},
    {"SetHandler", set_handler, 0, A, MH_TAKE1, "a handler name that overrides any other configured handler"},
    {"AddType", add_type, 0, A, MH_ITERATE2, "a mime type followed by one or more file extensions"},
    {"TypesConfig", set_server_path<&CF::types_config>, 0, G, MH_TAKE1, "the MIME types config file"},
    {"Options", set_options, 0, A, MH_RAW_ARGS, "Set a number of attributes for a given directory"},
    {"AcceptPathInfo", set_accept_path_info, 0, A, MH_TAKE1, "Set to on or off for PATH_INFO to be accepted by handlers, or default for the per-handler preference"},
    {"AllowOverride", set_allow_override, 0, A, MH_RAW_ARGS, "None: .htaccess files are not read"},
    {"GracefulShutdownTimeout", set_server_int<&CF::graceful_shutdown_timeout, 0, 86400 * 365>, 0, G, MH_TAKE1, "maximum time in seconds to wait for children when stopping gracefully (0 = forever)"},
    MH_COMMAND_END,
};

const mh_module core_module = {
    MH_MODULE_MAGIC, MH_ABI_MAJOR, MH_ABI_MINOR, static_cast<uint32_t>(sizeof(mh_module)), "core.c",
    MH_MODULE_NO_FLAGS, core_commands, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
};

}  // namespace mh
