#include "master/runtime.h"

#include <uv.h>

namespace mh::runtime {
namespace {
mh_server *g_current = nullptr;
int g_generation = 0;
bool g_console = true;
std::function<void(const mh_module *)> g_on_stopped;
}  // namespace

mh_server *current() { return g_current; }
void set_current(mh_server *s) { g_current = s; }
uv_loop_s *loop() { return uv_default_loop(); }
int generation() { return g_generation; }
void set_generation(int g) { g_generation = g; }
bool warnings_to_console() { return g_console; }
void set_warnings_to_console(bool console) { g_console = console; }
void set_on_mpm_stopped(std::function<void(const mh_module *)> fn) { g_on_stopped = std::move(fn); }
void mpm_stopped(const mh_module *mpm)
{
    if (g_on_stopped) g_on_stopped(mpm);
}

}  // namespace mh::runtime
