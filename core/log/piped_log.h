// Piped logs ("|cmd", "|$cmd", "||cmd" for CustomLog and ErrorLog), as
// Apache's piped-log maintenance: the master owns both ends of each pipe
// and the logger process; children only write (lines under PIPE_BUF are
// one write, so they stay whole). A logger that exits is started again on
// the same pipe, so writers never notice.
#pragma once

#include <string>

namespace mh::log::piped {

bool is_pipe(const std::string &target);  // starts with '|'

// The write end for a logger command (the target as configured, '|'
// included). The pipe is made now; the process is started by start_all(),
// once the master is the process that will reap it. -1 and errno on failure.
int writer_for(const std::string &target);

// Across a restart: begin() before the new configuration opens its logs;
// commit() ends the loggers it no longer names (their pipe closed, SIGTERM),
// rollback() ends only those it started (the old configuration goes on).
void begin();
void commit();
void rollback();

// Starts every logger not running (master, after daemonizing).
void start_all();
// In a forked child: closes its copies of the master's pipe ends (its logs
// write through their own), so that a logger's end is seen by writers.
void forget_in_child();
// SIGCHLD: reaps exited loggers and, unless `stopping`, starts them again
// (AH00106). One that lived less than a second is left for start_all() a
// second later: true then.
bool reap(bool stopping);

}  // namespace mh::log::piped
