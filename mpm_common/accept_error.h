// accept() errors that concern one connection (or another process's luck),
// not the process that called it: every MPM passes over them and waits for
// the next connection. The others (EMFILE, ENFILE, ENOBUFS, ENOMEM...) say
// the process is short of something.
#pragma once

#include <cerrno>

inline bool passing_accept_error(int err)
{
    switch (err) {
    case EAGAIN: case EINTR: case ECONNABORTED: case EPROTO: case EPERM:
    case ENETDOWN: case ENOPROTOOPT: case EHOSTDOWN: case ENONET:
    case EHOSTUNREACH: case EOPNOTSUPP: case ENETUNREACH:
        return true;
    default:
        return false;
    }
}
