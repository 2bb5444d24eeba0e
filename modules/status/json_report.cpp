#include "json_report.h"

#include <nlohmann/json.hpp>

#include "escape.h"

namespace mh_status {
namespace {

// Keys keep the order written here (the documented order).
using json = nlohmann::ordered_json;

constexpr char kLetters[] = "_SRWKDCLGI.?";  // '?': a state we do not know

json rate(bool defined, double value) { return defined ? json(value) : json(nullptr); }

json load(double v) { return v < 0 ? json(nullptr) : json(v); }

json server(const Snapshot &s)
{
    const mh_status_global &g = s.global;
    return {
        {"name", s.server_name},
        {"version", s.server_version},
        {"mpm", g.mpm_name ? g.mpm_name : ""},
        {"threaded", g.threaded != 0},
        {"async", g.async != 0},
        {"built", s.server_built},
        {"current_time", s.now_us / 1000000},
        {"start_time", g.start_time_us / 1000000},
        {"restart_time", g.restart_time_us / 1000000},
        {"uptime_seconds", s.uptime},
        {"config_generation", g.config_generation},
        {"mpm_generation", g.mpm_generation},
        {"load1", load(s.load[0])},
        {"load5", load(s.load[1])},
        {"load15", load(s.load[2])},
    };
}

json limits(const mh_status_global &g)
{
    return {
        {"server_limit", g.server_limit},
        {"thread_limit", g.thread_limit},
        {"max_processes", g.max_processes},
        {"threads_per_child", g.threads_per_child},
        {"max_request_workers", g.max_request_workers},
    };
}

json scoreboard(const Snapshot &s)
{
    json counts = json::object();
    for (const char *c = kLetters; *c; ++c) counts[state_name(*c)] = 0;
    for (char c : s.scoreboard) {
        json &n = counts[state_name(c)];
        n = n.get<int>() + 1;
    }
    return {{"map", s.scoreboard}, {"counts", counts}};
}

json totals(const Snapshot &s)
{
    if (!s.extended) return nullptr;
    const double tick = static_cast<double>(s.cpu.ticks_per_second);
    const double up = s.uptime, count = static_cast<double>(s.accesses);
    const double bytes = static_cast<double>(s.bytes);
    uint64_t cpu = s.cpu.user + s.cpu.system + s.cpu.children_user + s.cpu.children_system;
    return {
        {"accesses", s.accesses},
        {"bytes", s.bytes},
        {"kbytes", s.kbytes},
        {"duration_ms", s.duration_ms},
        {"requests_per_second", rate(s.uptime > 0, count / up)},
        {"bytes_per_second", rate(s.uptime > 0, bytes / up)},
        {"bytes_per_request", rate(s.accesses > 0, bytes / count)},
        {"duration_per_request_ms", rate(s.accesses > 0, static_cast<double>(s.duration_ms) / count)},
        {"cpu",
         {
             {"user_seconds", static_cast<double>(s.cpu.user) / tick},
             {"system_seconds", static_cast<double>(s.cpu.system) / tick},
             {"children_user_seconds", static_cast<double>(s.cpu.children_user) / tick},
             {"children_system_seconds", static_cast<double>(s.cpu.children_system) / tick},
             {"load_percent", rate(cpu > 0 && s.uptime > 0, static_cast<double>(cpu) / tick / up * 100.)},
         }},
    };
}

json processes(const Snapshot &s)
{
    json out = json::array();
    for (const ProcessRow &p : s.processes)
        out.push_back({{"slot", p.slot},
                       {"pid", p.p.pid},
                       {"generation", p.p.generation},
                       {"quiescing", p.p.quiescing != 0},
                       {"mpm", std::string(p.p.mpm_name)},
                       {"threads", p.p.threads},
                       {"connections", s.global.async ? json{{"total", p.p.conns_total},
                                                              {"writing", p.p.conns_writing},
                                                              {"keepalive", p.p.conns_keepalive},
                                                              {"closing", p.p.conns_closing}}
                                                        : json(nullptr)}});
    return out;
}

json slots(const Snapshot &s)
{
    if (!s.extended) return nullptr;
    json out = json::array();
    for (const WorkerRow &row : s.rows) {
        const mh_status_worker &w = row.w;
        json since = nullptr;
        if (w.last_used_us) since = std::max<int64_t>(0, (s.now_us - w.last_used_us) / 1000000);
        out.push_back({
            {"process", row.process},
            {"thread", row.thread},
            {"pid", row.pid && row.letter != '.' ? json(row.pid) : json(nullptr)},
            {"generation", row.generation},
            {"state", std::string(1, row.letter)},
            {"state_name", state_name(row.letter)},
            {"connection_accesses", w.conn_count},
            {"child_accesses", w.my_access_count},
            {"slot_accesses", w.access_count},
            {"connection_bytes", w.conn_bytes},
            {"child_bytes", w.my_bytes_served},
            {"slot_bytes", w.bytes_served},
            {"seconds_since_last_request", since},
            {"last_request_ms", w.request_time_us / 1000},
            {"duration_ms", w.duration_us / 1000},
            {"client", escape_logitem(w.client)},
            {"protocol", escape_logitem(w.protocol)},
            {"vhost", escape_logitem(w.vhost)},
            {"request", escape_logitem(w.request)},
        });
    }
    return out;
}

}  // namespace

std::string json_report(const Snapshot &s)
{
    json doc = {
        {"schema_version", kJsonSchemaVersion},
        {"server", server(s)},
        {"limits", limits(s.global)},
        {"saturation", {{"max_workers_episodes", s.global.max_workers_episodes}}},
        {"workers", {{"busy", s.busy}, {"graceful", s.graceful}, {"idle", s.idle}}},
        {"scoreboard", scoreboard(s)},
        {"extended_status", s.extended},
        {"totals", totals(s)},
        {"processes", processes(s)},
        {"slots", slots(s)},
    };
    // Config strings are not checked for UTF-8: replace what is not, never throw.
    return doc.dump(1, ' ', false, json::error_handler_t::replace) + '\n';
}

}  // namespace mh_status
