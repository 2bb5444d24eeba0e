// Telling systemd what the master does, for a unit of Type=notify (as
// Apache's mod_systemd): ready, reloading, stopping, and a status line that
// `systemctl status` shows. Every call does nothing when NOTIFY_SOCKET is
// unset (not started by systemd, or by a unit of another Type).
#pragma once

namespace mh::systemd_notify {

// The listeners are bound and the first children run, or a reload ended
// (whether it took or the previous configuration goes on): READY=1, MAINPID
// (the master, also when it detached from the process systemd started) and
// STATUS naming the generation and the MPM (its name: "event" for mpm_event).
void ready(int generation, const char *mpm, const char *what);

// A restart (graceful or not) begins: RELOADING=1 with MONOTONIC_USEC.
void reloading(bool graceful);

// A stop (now or graceful) begins: STOPPING=1.
void stopping(bool graceful);

}  // namespace mh::systemd_notify
