// The core's own settings: server-wide ones and per-directory ones, with
// Apache 2.4's defaults.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config_tree.h"
#include "http/request_parser.h"
#include "mime_types.h"
#include "modhttpd/api.h"

namespace mh {

struct ListenAddress {
    std::string host;              // "" = every address; IPv6 without brackets
    int port = 0;
    std::string protocol = "http"; // Listen's third word, lower case; 443 alone: "https" (Apache)
    config::OriginPtr origin;
    std::string text() const;      // "127.0.0.1:8080", "[::1]:80", "*:80"
    bool operator==(const ListenAddress &o) const { return host == o.host && port == o.port; }
};

struct CustomLog {
    std::string path;              // absolute
    std::string format;            // the format text (a nickname resolved)
    config::OriginPtr origin;
};

// RequestReadTimeout header=20-40,MinRate=500 body=20,MinRate=500 (Apache's
// mod_reqtimeout defaults): a first deadline, extended by MinRate bytes/s up
// to a maximum. 0 seconds turns the stage's limit off.
struct ReadTimeout {
    int seconds = 20;
    int max_seconds = 0;           // 0: no extension
    int min_rate = 0;              // bytes per second that extend the deadline
};

// ServerTokens: how much of the version the Server header tells.
enum class ServerTokens { Prod, Major, Minor, Minimal, OS, Full };

// ServerSignature: the line under error pages and listings.
enum class ServerSignature { Off, On, EMail };

// UseCanonicalName: how the server names itself in SERVER_NAME, SERVER_PORT
// and self-referential URLs: the client's Host (Off), ServerName (On), or
// the address the client connected to (DNS; no reverse lookup is done).
enum class CanonicalName { Off, On, Dns };

// TraceEnable: TRACE echoed (On: without a body; Extended: with one of up
// to 64 KiB) or refused with 405 (Off).
enum class TraceEnable { On, Off, Extended };

struct CoreServerConfig {
    std::string server_root;
    std::string server_name;       // ServerName host part; "" until set
    int server_port = 0;           // ServerName port part, 0 = the listener's
    std::string document_root;     // default ServerRoot/htdocs
    std::string error_log;         // default ServerRoot/logs/error_log
    int log_level = MH_LOG_WARNING;
    std::map<std::string, int> module_log_levels;  // LogLevel mod:level
    std::vector<ListenAddress> listen;
    int listen_backlog = 511;
    std::map<std::string, std::string> log_formats;  // nickname -> format
    std::vector<CustomLog> custom_logs;
    std::string pid_file;          // default ServerRoot/logs/modhttpd.pid
    std::string user, group;       // empty: stay as started
    int timeout = 60;
    bool keep_alive = true;
    int max_keep_alive_requests = 100;
    int keep_alive_timeout_ms = 5000;
    http::Limits limits;
    std::string types_config;      // default ServerRoot/etc/mime.types
    MimeTypes mime;
    int graceful_shutdown_timeout = 0;
    ReadTimeout header_timeout{20, 40, 500};
    ReadTimeout body_timeout{20, 0, 500};
    ServerTokens server_tokens = ServerTokens::Full;
    std::string server_admin;          // ServerAdmin: for ServerSignature EMail
    TraceEnable trace_enable = TraceEnable::On;
    std::string default_runtime_dir;   // DefaultRuntimeDir: checked, not used (nothing here needs one)
    config::OriginPtr server_name_origin;
};

// One scope's core settings; unset fields inherit from the enclosing scope.
struct CoreDirConfig {
    std::optional<std::string> handler;           // SetHandler; "" = none
    unsigned options_on = 0, options_off = 0;     // Options (+X / -X / X)
    bool options_absolute = false;                // "Options X Y" replaced the inherited set
    std::optional<std::vector<std::string>> directory_index;
    std::vector<std::pair<std::string, std::string>> add_types;  // extension, type
    std::optional<uint64_t> limit_request_body;
    std::optional<ServerSignature> server_signature;  // Off when never set (Apache)
    std::optional<std::vector<std::string>> output_filters;  // SetOutputFilter A;B
    std::optional<std::string> auth_type, auth_name;          // AuthType, AuthName
    std::optional<std::string> add_default_charset;           // AddDefaultCharset; "" = Off
    std::optional<int> accept_path_info;          // AcceptPathInfo: MH_PATH_INFO_*
    std::optional<CanonicalName> use_canonical_name;  // Off when never set (Apache)

    // Settings in force for a request: `base` with this scope on top.
    static CoreDirConfig merge(const CoreDirConfig &base, const CoreDirConfig &add);
    unsigned options() const { return options_on; }
};

}  // namespace mh
