#include "html_report.h"

#include "apr_format.h"
#include "escape.h"

namespace mh_status {
namespace {

constexpr size_t kScoreboardLine = 64;  // letters per line of the map, as Apache

constexpr const char *kStyle = R"css(
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #1d1d1f; background: #fafafa; }
h1 { font-size: 1.4em; margin: 0 0 .6em; }
h2 { font-size: 1.1em; margin-top: 1.6em; }
dl.facts { margin: .3em 0; }
dl.facts dt { margin: .15em 0; }
hr { border: 0; border-top: 1px solid #ccc; margin: .8em 0; }
pre#scoreboard { font-size: 1.05em; line-height: 1.3; background: #fff; border: 1px solid #ddd;
                 padding: .5em .8em; display: inline-block; }
.s-ready { color: #888; } .s-open { color: #bbb; }
.s-write { color: #c0392b; font-weight: bold; } .s-read { color: #d35400; font-weight: bold; }
.s-keepalive { color: #2471a3; } .s-closing { color: #7d3c98; } .s-logging { color: #117a65; }
.s-graceful { color: #b7950b; } .s-starting, .s-dns, .s-idle_cleanup { color: #555; }
p.key code, p.key b { font-family: monospace; }
table { border-collapse: collapse; font-size: .9em; background: #fff; }
th, td { border: 1px solid #ddd; padding: .2em .5em; text-align: left; vertical-align: top; }
th { background: #eee; }
tbody tr:nth-child(even) { background: #f6f6f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.req { font-family: monospace; white-space: nowrap; }
table.legend th { width: 4em; }
)css";

bool is_busy_letter(char c)
{
    return c == 'R' || c == 'W' || c == 'K' || c == 'L' || c == 'D' || c == 'C' || c == 'S';
}

std::string worker_srv(const WorkerRow &row, bool threaded)
{
    std::string s = std::to_string(row.process);
    if (threaded) s += '.' + std::to_string(row.thread);
    return s + '-' + std::to_string(row.generation);
}

void facts(std::string &out, const Snapshot &s)
{
    const mh_status_global &g = s.global;
    out += "<dl class=\"facts\">\n<dt>Server Version: " + escape_html(s.server_version) + "</dt>\n";
    out += "<dt>Server MPM: " + escape_html(g.mpm_name ? g.mpm_name : "") + "</dt>\n";
    out += "<dt>Server Built: " + escape_html(s.server_built) + "</dt>\n</dl>\n<hr>\n<dl class=\"facts\">\n";
    out += "<dt>Current Time: " + apache_time(s.now_us / 1000000) + "</dt>\n";
    out += "<dt>Restart Time: " + apache_time(g.restart_time_us / 1000000) + "</dt>\n";
    out += "<dt>Parent Server Config. Generation: " + std::to_string(g.config_generation) + "</dt>\n";
    out += "<dt>Parent Server MPM Generation: " + std::to_string(g.mpm_generation) + "</dt>\n";
    out += "<dt>Server uptime: " + uptime_text(s.uptime) + "</dt>\n";
    out += "<dt>Server load: " + apr_f(s.load[0], 2) + ' ' + apr_f(s.load[1], 2) + ' ' +
           apr_f(s.load[2], 2) + "</dt>\n";
    if (s.extended) {
        const float tick = static_cast<float>(s.cpu.ticks_per_second);
        const float up = static_cast<float>(s.uptime);
        const float count = static_cast<float>(s.accesses);
        const float kb = static_cast<float>(s.kbytes);
        out += "<dt>Total accesses: " + std::to_string(s.accesses) + " - Total Traffic: " +
               kbyte_text(s.kbytes) + " - Total Duration: " + std::to_string(s.duration_ms) + "</dt>\n";
        uint64_t cpu = s.cpu.user + s.cpu.system + s.cpu.children_user + s.cpu.children_system;
        out += "<dt>CPU Usage: u" + apr_g(static_cast<float>(s.cpu.user) / tick) + " s" +
               apr_g(static_cast<float>(s.cpu.system) / tick) + " cu" +
               apr_g(static_cast<float>(s.cpu.children_user) / tick) + " cs" +
               apr_g(static_cast<float>(s.cpu.children_system) / tick);
        if (cpu && s.uptime > 0)
            out += " - " + apr_g(double(static_cast<float>(cpu) / tick / up) * 100., 3) + "% CPU load";
        out += "</dt>\n<dt>";
        if (s.uptime > 0) {
            out += apr_g(count / up, 3) + " requests/sec - " +
                   byte_text(static_cast<uint64_t>(1024 * kb / up)) + "/second";
        }
        if (s.accesses > 0) {
            if (s.uptime > 0) out += " - ";
            out += byte_text(static_cast<uint64_t>(1024 * kb / count)) + "/request - " +
                   apr_g(static_cast<float>(s.duration_ms) / count) + " ms/request";
        }
        out += "</dt>\n";
    }
    out += "<dt id=\"workers-summary\">" + std::to_string(s.busy) + " requests currently being processed, " +
           std::to_string(s.graceful) + " workers gracefully restarting, " + std::to_string(s.idle) +
           " idle workers</dt>\n";
    out += "<dt id=\"saturation\">MaxRequestWorkers " + std::to_string(g.max_request_workers) +
           " (ServerLimit " + std::to_string(g.server_limit) + ", ThreadLimit " +
           std::to_string(g.thread_limit) + "), reached " + std::to_string(g.max_workers_episodes) +
           (g.max_workers_episodes == 1 ? " time" : " times") + " since start</dt>\n</dl>\n";
}

void scoreboard_map(std::string &out, const Snapshot &s)
{
    out += "<pre id=\"scoreboard\">";
    const std::string &sb = s.scoreboard;
    size_t i = 0;
    while (i < sb.size()) {
        // One span per run of equal letters, never across a line break.
        size_t line_end = (i / kScoreboardLine + 1) * kScoreboardLine;
        size_t j = i + 1;
        while (j < sb.size() && j < line_end && sb[j] == sb[i]) ++j;
        out += "<span class=\"s-";
        out += state_name(sb[i]);
        out += "\">";
        out.append(sb, i, j - i);
        out += "</span>";
        if (j == line_end && j < sb.size()) out += '\n';
        i = j;
    }
    out += "</pre>\n";
    out += R"(<p class="key">Scoreboard Key:<br>
"<b><code>_</code></b>" Waiting for Connection,
"<b><code>S</code></b>" Starting up,
"<b><code>R</code></b>" Reading Request,<br>
"<b><code>W</code></b>" Sending Reply,
"<b><code>K</code></b>" Keepalive (read),
"<b><code>D</code></b>" DNS Lookup,<br>
"<b><code>C</code></b>" Closing connection,
"<b><code>L</code></b>" Logging,
"<b><code>G</code></b>" Gracefully finishing,<br>
"<b><code>I</code></b>" Idle cleanup of worker,
"<b><code>.</code></b>" Open slot with no current process<br>
</p>
)";
}

void pid_key(std::string &out, const Snapshot &s)
{
    out += "<p>PID Key:</p>\n<pre id=\"pid-key\">\n";
    int k = 0;
    for (const auto &[pid, letter] : s.pid_key) {
        out += "   " + std::to_string(pid) + " in state: " + letter + ' ';
        out += ++k % 3 == 0 ? "\n" : ",";
    }
    out += "\n</pre>\n";
}

// Apache event's table: per process, its connections and threads.
void async_table(std::string &out, const Snapshot &s)
{
    out += "<table id=\"async\" rules=\"all\" cellpadding=\"1%\">\n"
           "<tr><th rowspan=\"2\">Slot</th><th rowspan=\"2\">PID</th><th rowspan=\"2\">Stopping</th>"
           "<th colspan=\"2\">Connections</th>\n<th colspan=\"3\">Threads</th><th colspan=\"4\">Async connections</th></tr>\n"
           "<tr><th>total</th><th>accepting</th><th>busy</th><th>graceful</th><th>idle</th><th>wait-io</th>"
           "<th>writing</th><th>keep-alive</th><th>closing</th></tr>\n";
    int threads = s.global.threads_per_child;
    auto cell = [&](const std::string &v) { out += "<td>" + v + "</td>"; };
    int sum[4] = {0, 0, 0, 0};
    for (const ProcessRow &p : s.processes) {
        int busy = 0, graceful = 0, idle = 0;
        for (const WorkerRow &row : s.rows)
            if (row.process == p.slot && row.thread < threads) {
                busy += row.letter != '_' && row.letter != '.' && row.letter != 'G' && row.letter != 'S';
                graceful += row.letter == 'G';
            }
        idle = threads - busy - graceful;
        sum[0] += busy, sum[1] += graceful, sum[2] += idle;
        out += "<tr>";
        cell(std::to_string(p.slot));
        cell(std::to_string(p.p.pid));
        cell(p.p.quiescing ? "yes" : "no");
        cell(std::to_string(p.p.conns_total));
        cell(p.p.quiescing ? "no" : "yes");
        cell(std::to_string(busy));
        cell(std::to_string(graceful));
        cell(std::to_string(idle < 0 ? 0 : idle));
        cell("0");
        cell(std::to_string(p.p.conns_writing));
        cell(std::to_string(p.p.conns_keepalive));
        cell(std::to_string(p.p.conns_closing));
        out += "</tr>\n";
    }
    out += "<tr><td>Sum</td><td>" + std::to_string(s.processes.size()) + "</td><td>" + std::to_string(s.stopping) +
           "</td><td>" + std::to_string(s.conns_total) + "</td><td>&nbsp;</td><td>" + std::to_string(sum[0]) +
           "</td><td>" + std::to_string(sum[1]) + "</td><td>" + std::to_string(sum[2]) + "</td><td>0</td><td>" +
           std::to_string(s.conns_writing) + "</td><td>" + std::to_string(s.conns_keepalive) + "</td><td>" +
           std::to_string(s.conns_closing) + "</td></tr>\n</table>\n";
}

void worker_table(std::string &out, const Snapshot &s)
{
    bool threaded = s.global.threaded;
    out += "<h2>Server Details</h2>\n<table id=\"workers\">\n<thead><tr><th>Srv</th><th>PID</th><th>Acc</th>"
           "<th>M</th><th>SS</th><th>Req</th><th>Dur</th><th>Conn</th><th>Child</th><th>Slot</th>"
           "<th>Client</th><th>Protocol</th><th>VHost</th><th>Request</th></tr></thead>\n<tbody>\n";
    for (const WorkerRow &row : s.rows) {
        const mh_status_worker &w = row.w;
        int64_t ss = w.last_used_us ? (s.now_us - w.last_used_us) / 1000000 : 0;
        bool dead = row.letter == '.';
        out += "<tr><td>" + worker_srv(row, threaded) + "</td><td class=\"num\">" +
               (dead || !row.pid ? std::string("-") : std::to_string(row.pid)) + "</td><td class=\"num\">" +
               std::to_string(w.conn_count) + '/' + std::to_string(w.my_access_count) + '/' +
               std::to_string(w.access_count) + "</td><td class=\"s-" + state_name(row.letter) + "\">";
        if (is_busy_letter(row.letter)) out += std::string("<b>") + row.letter + "</b>";
        else out += row.letter;
        out += "</td><td class=\"num\">" + std::to_string(ss < 0 ? 0 : ss) + "</td><td class=\"num\">" +
               std::to_string(w.request_time_us / 1000) + "</td><td class=\"num\">" +
               std::to_string(w.duration_us / 1000) + "</td><td class=\"num\">" +
               apr_f(static_cast<float>(w.conn_bytes) / 1024, 1) + "</td><td class=\"num\">" +
               apr_f(static_cast<float>(w.my_bytes_served) / 1048576, 2) + "</td><td class=\"num\">" +
               apr_f(static_cast<float>(w.bytes_served) / 1048576, 2) + "</td><td>" +
               escape_html(escape_logitem(w.client)) + "</td><td>" + escape_html(escape_logitem(w.protocol)) +
               "</td><td>" + escape_html(escape_logitem(w.vhost)) + "</td><td class=\"req\">" +
               escape_html(escape_logitem(w.request)) + "</td></tr>\n";
    }
    out += "</tbody>\n</table>\n";
    out += R"(<hr>
<table class="legend">
<tr><th>Srv</th><td>Child Server number)";
    out += threaded ? ".thread" : "";
    out += R"( - generation</td></tr>
<tr><th>PID</th><td>OS process ID</td></tr>
<tr><th>Acc</th><td>Number of accesses this connection / this child / this slot</td></tr>
<tr><th>M</th><td>Mode of operation</td></tr>
<tr><th>SS</th><td>Seconds since beginning of most recent request</td></tr>
<tr><th>Req</th><td>Milliseconds required to process most recent request</td></tr>
<tr><th>Dur</th><td>Sum of milliseconds required to process all requests</td></tr>
<tr><th>Conn</th><td>Kilobytes transferred this connection</td></tr>
<tr><th>Child</th><td>Megabytes transferred this child</td></tr>
<tr><th>Slot</th><td>Total megabytes transferred this slot</td></tr>
</table>
)";
}

void worker_list(std::string &out, const Snapshot &s)
{
    bool threaded = s.global.threaded;
    out += "<hr>\n<h2>Server Details</h2>\n<div id=\"workers-list\">\n";
    for (const WorkerRow &row : s.rows) {
        const mh_status_worker &w = row.w;
        int64_t ss = w.last_used_us ? (s.now_us - w.last_used_us) / 1000000 : 0;
        out += "<p><b>Server " + worker_srv(row, threaded) + "</b> (" +
               (row.letter == '.' || !row.pid ? std::string("-") : std::to_string(row.pid)) + "): " +
               std::to_string(w.conn_count) + '|' + std::to_string(w.my_access_count) + '|' +
               std::to_string(w.access_count) + " [" + state_name(row.letter) + "] " +
               std::to_string(ss < 0 ? 0 : ss) + ' ' + std::to_string(w.request_time_us / 1000) + ' ' +
               std::to_string(w.duration_us / 1000) + " (" + byte_text(w.conn_bytes) + '|' +
               byte_text(w.my_bytes_served) + '|' + byte_text(w.bytes_served) + ")<br>\n <i>" +
               escape_html(escape_logitem(w.client)) + " {" + escape_html(escape_logitem(w.request)) +
               "}</i> <i>(" + escape_html(escape_logitem(w.protocol)) + ")</i> <b>[" +
               escape_html(escape_logitem(w.vhost)) + "]</b></p>\n";
    }
    out += "</div>\n";
}

}  // namespace

std::string html_report(const Snapshot &s, bool no_table)
{
    std::string out;
    out.reserve(8192 + s.scoreboard.size() * 2 + s.rows.size() * 400);
    out += "<!DOCTYPE html>\n<html lang=\"en\"><head>\n<meta charset=\"ISO-8859-1\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<title>modhttpd Status</title>\n<style>";
    out += kStyle;
    out += "</style>\n</head><body>\n<h1>modhttpd Server Status for " + escape_html(s.server_name) + "</h1>\n";
    facts(out, s);
    if (s.global.async) async_table(out, s);
    scoreboard_map(out, s);
    if (!s.extended) pid_key(out, s);
    else if (no_table) worker_list(out, s);
    else worker_table(out, s);
    out += "</body></html>\n";
    return out;
}

}  // namespace mh_status
