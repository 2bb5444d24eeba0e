#include "auto_report.h"

#include "apr_format.h"

namespace mh_status {
namespace {

void line(std::string &out, const char *key, const std::string &value)
{
    out += key;
    out += ": ";
    out += value;
    out += '\n';
}

std::string num(uint64_t v) { return std::to_string(v); }

}  // namespace

std::string auto_report(const Snapshot &s)
{
    const mh_status_global &g = s.global;
    std::string out;
    out.reserve(1024 + s.scoreboard.size());
    out += s.server_name;
    out += '\n';
    line(out, "ServerVersion", s.server_version);
    line(out, "ServerMPM", g.mpm_name ? g.mpm_name : "");
    line(out, "Server Built", s.server_built);
    line(out, "CurrentTime", apache_time(s.now_us / 1000000));
    line(out, "RestartTime", apache_time(g.restart_time_us / 1000000));
    line(out, "ParentServerConfigGeneration", std::to_string(g.config_generation));
    line(out, "ParentServerMPMGeneration", std::to_string(g.mpm_generation));
    line(out, "ServerUptimeSeconds", num(s.uptime));
    out += "ServerUptime:" + uptime_text(s.uptime) + '\n';
    line(out, "Load1", apr_f(s.load[0], 2));
    line(out, "Load5", apr_f(s.load[1], 2));
    line(out, "Load15", apr_f(s.load[2], 2));

    if (s.extended) {
        // Apache computes these in single precision; so do we, for the same digits.
        const float tick = static_cast<float>(s.cpu.ticks_per_second);
        const float up = static_cast<float>(s.uptime);
        const float count = static_cast<float>(s.accesses);
        const float kb = static_cast<float>(s.kbytes);
        line(out, "Total Accesses", num(s.accesses));
        line(out, "Total kBytes", num(s.kbytes));
        line(out, "Total Duration", num(s.duration_ms));
        line(out, "CPUUser", apr_g(static_cast<float>(s.cpu.user) / tick));
        line(out, "CPUSystem", apr_g(static_cast<float>(s.cpu.system) / tick));
        line(out, "CPUChildrenUser", apr_g(static_cast<float>(s.cpu.children_user) / tick));
        line(out, "CPUChildrenSystem", apr_g(static_cast<float>(s.cpu.children_system) / tick));
        uint64_t cpu = s.cpu.user + s.cpu.system + s.cpu.children_user + s.cpu.children_system;
        if (cpu) {
            float per_second = static_cast<float>(cpu) / tick / up;  // inf at uptime 0, as Apache
            line(out, "CPULoad", apr_g(double(per_second) * 100.));
        }
        line(out, "Uptime", num(s.uptime));
        if (s.uptime > 0) {
            line(out, "ReqPerSec", apr_g(count / up));
            line(out, "BytesPerSec", apr_g(1024 * kb / up));
        }
        if (s.accesses > 0) {
            line(out, "BytesPerReq", apr_g(1024 * kb / count));
            line(out, "DurationPerReq", apr_g(static_cast<float>(s.duration_ms) / count));
        }
    }
    line(out, "BusyWorkers", std::to_string(s.busy));
    line(out, "GracefulWorkers", std::to_string(s.graceful));
    line(out, "IdleWorkers", std::to_string(s.idle));
    if (g.async) {
        // Apache event's keys, in its order (2.4.71: ConnsAsyncWaitIO too,
        // always 0 here: nothing waits on I/O for a module).
        line(out, "Processes", std::to_string(s.processes.size()));
        line(out, "Stopping", std::to_string(s.stopping));
        line(out, "ConnsTotal", std::to_string(s.conns_total));
        line(out, "ConnsAsyncWaitIO", "0");
        line(out, "ConnsAsyncWriting", std::to_string(s.conns_writing));
        line(out, "ConnsAsyncKeepAlive", std::to_string(s.conns_keepalive));
        line(out, "ConnsAsyncClosing", std::to_string(s.conns_closing));
    }
    line(out, "Scoreboard", s.scoreboard);
    return out;
}

}  // namespace mh_status
