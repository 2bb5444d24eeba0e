/*
 * modhttpd module ABI: everything a module author includes.
 *
 *   #include <modhttpd/modhttpd.h>
 *
 * Pure C (C99 and later, or any C++): no server symbol is linked; the server
 * hands its services to the module as a table (see api.h).
 */
#ifndef MODHTTPD_MODHTTPD_H
#define MODHTTPD_MODHTTPD_H

#include "modhttpd/version.h"
#include "modhttpd/module.h"
#include "modhttpd/api.h"
#include "modhttpd/mpm.h"
#include "modhttpd/auth.h"

#endif
