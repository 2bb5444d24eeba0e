// Detaching from the terminal, as httpd does unless -D FOREGROUND.
#pragma once

namespace mh {

// Forks; the parent exits 0, the child leaves the session and sends
// stdin/stdout to /dev/null and stderr to the error log (fd `error_log`).
void daemonize(int error_log);

}  // namespace mh
