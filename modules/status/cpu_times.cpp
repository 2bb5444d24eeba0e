#include "cpu_times.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace mh_status {
namespace {

struct Stat {
    std::string comm;
    uint64_t utime = 0, stime = 0, cutime = 0, cstime = 0;
};

// /proc/<pid>/stat: "pid (comm) state ppid ..."; utime is field 14.
bool read_stat(int pid, Stat &out)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    char buf[1024];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return false;
    buf[n] = '\0';
    char *open_paren = strchr(buf, '(');
    char *close_paren = strrchr(buf, ')');
    if (!open_paren || !close_paren || close_paren < open_paren) return false;
    out.comm.assign(open_paren + 1, close_paren);
    // After ") ": field 3 (state) onwards; utime..cstime are fields 14..17.
    char *p = close_paren + 1;
    uint64_t field[18] = {};
    for (int i = 3; i <= 17; ++i) {
        while (*p == ' ') ++p;
        if (*p == '\0') return false;
        char *end = nullptr;
        field[i] = strtoull(p, &end, 10);
        if (end == p) {  // the state letter
            while (*p && *p != ' ') ++p;
        } else {
            p = end;
        }
    }
    out.utime = field[14];
    out.stime = field[15];
    out.cutime = field[16];
    out.cstime = field[17];
    return true;
}

}  // namespace

CpuTimes read_cpu_times(const std::vector<int> &pids)
{
    CpuTimes t;
    long tck = sysconf(_SC_CLK_TCK);
    if (tck > 0) t.ticks_per_second = tck;

    std::vector<int> all(pids);
    all.push_back(getpid());
    Stat self, parent;
    int ppid = getppid();
    if (read_stat(getpid(), self) && ppid > 1 && read_stat(ppid, parent) && parent.comm == self.comm)
        all.push_back(ppid);
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());

    for (int pid : all) {
        Stat s;
        if (pid <= 0 || !read_stat(pid, s)) continue;
        t.user += s.utime;
        t.system += s.stime;
        t.children_user += s.cutime;
        t.children_system += s.cstime;
    }
    return t;
}

}  // namespace mh_status
