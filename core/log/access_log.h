// LogFormat / CustomLog: Apache's format language compiled once, rendered per
// request into one line, written with one write(2) to an O_APPEND file so that
// lines from many processes and threads never interleave.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mh::log {

// What a log line may show about one request. Views stay valid while the
// line is rendered.
struct RequestFacts {
    std::string_view client_ip;        // %a %h
    int client_port = 0;               // %{remote}p
    std::string_view local_ip;         // %A
    int local_port = 0;                // %p %{local}p
    std::string_view remote_user;      // %u ("-" when empty)
    int64_t start_us = 0;              // %t %{format}t: request start, µs since epoch
    int64_t duration_us = 0;           // %D (µs) %T (s) %{ms}T
    std::string_view request_line;     // %r
    std::string_view method;           // %m
    std::string_view path;             // %U (decoded path)
    std::string_view query;            // %q ("?" + query, or empty)
    std::string_view protocol;         // %H
    std::string_view server_name;      // %V: the name the request used (UseCanonicalName)
    std::string_view vhost;            // %v: the vhost's ServerName
    std::string_view filename;         // %f
    std::string_view handler;          // %R
    int original_status = 0;           // %s
    int final_status = 0;              // %>s
    uint64_t body_bytes = 0;           // %b ("-" when 0) %B
    uint64_t bytes_in = 0;             // %I
    uint64_t bytes_out = 0;            // %O (headers included)
    unsigned keepalive_count = 0;      // %k (requests before this one on the connection)
    char connection_status = '-';      // %X: 'X' aborted, '+' kept alive, '-' closed
    long pid = 0;                      // %P
    unsigned long tid = 0;             // %{tid}P
    // %{Name}i / %{Name}o / %{Name}e / %{Name}n: NULL from these means "-".
    const char *(*header_in)(const void *ctx, std::string_view name) = nullptr;
    const char *(*header_out)(const void *ctx, std::string_view name) = nullptr;
    const char *(*env)(const void *ctx, std::string_view name) = nullptr;   // %{Name}e
    const char *(*note)(const void *ctx, std::string_view name) = nullptr;  // %{Name}n
    // %{Name}x: mod_ssl's variables (SSL_PROTOCOL...), from the connection's transport.
    const char *(*conn_var)(const void *ctx, std::string_view name) = nullptr;
    const void *header_ctx = nullptr;
};

// A compiled LogFormat string.
class LogFormat {
public:
    // Throws std::invalid_argument with Apache's message for an unknown
    // specifier: "Unrecognized LogFormat directive %Z".
    explicit LogFormat(std::string_view format);
    // Appends one line (without the trailing '\n') to `out`. Values from the
    // client are escaped as Apache does (\xhh, \" and \\).
    void render(const RequestFacts &facts, std::string &out) const;

    struct Item;  // implementation detail
private:
    std::vector<std::shared_ptr<const Item>> items_;
};

// The formats Apache ships: common, combined, vhost_combined, referer, agent.
const char *builtin_format(std::string_view nickname);  // nullptr if none

// One CustomLog destination: a file opened O_APPEND (mode 0640). When a write
// fails (disk full), the line is dropped, the error is reported once to the
// ErrorLog, and writing resumes (and that is reported) once it works again.
class AccessLogFile {
public:
    // Returns nullptr and sets errno when the file cannot be opened.
    static std::unique_ptr<AccessLogFile> open(const std::string &path);
    // A piped log ("|cmd"): the write end of the master's pipe to the logger.
    static std::unique_ptr<AccessLogFile> open_pipe(const std::string &target);
    ~AccessLogFile();
    void write_line(std::string &line);  // appends '\n' and writes once
    const std::string &path() const { return path_; }
    int fd() const { return fd_; }

private:
    AccessLogFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
    void take_back(const char *fragment, std::size_t len);
    std::string path_;
    int fd_;
    // Shared by a process's threads: set while writes fail, with the count
    // of lines dropped meanwhile.
    std::atomic<bool> failing_{false};
    std::atomic<uint64_t> dropped_{0};
    // A line cut short could not be taken back: the next one starts with '\n'.
    std::atomic<bool> torn_{false};
};

}  // namespace mh::log
