// What the running server is now: its configuration, generation and the
// master's event loop. Master and children each have their own copy (fork).
#pragma once

#include <functional>

struct mh_module;
struct mh_server;
struct uv_loop_s;

namespace mh::runtime {

mh_server *current();
void set_current(mh_server *s);
struct uv_loop_s *loop();
int generation();
void set_generation(int g);

// Startup and -t print configuration warnings on the console; a restart
// writes them to the error log.
bool warnings_to_console();
void set_warnings_to_console(bool console);

// Called when an MPM has no child left after a stop.
void set_on_mpm_stopped(std::function<void(const mh_module *)> fn);
void mpm_stopped(const mh_module *mpm);

}  // namespace mh::runtime
