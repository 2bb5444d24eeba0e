/*
 * Apache's ap_getword_conf, for the words of a Require line. Shared source:
 * mod_authz_core, mod_authz_host and mod_authz_user each compile their own
 * hidden copy (modules link nothing from each other).
 */
#ifndef MH_CONF_WORD_H
#define MH_CONF_WORD_H

#include <modhttpd/modhttpd.h>

/* [any] The next word of *line, in `p`: blanks skipped, "..." or '...'
 * unquoted (\" and \\ escaped inside), "" at the end; *line moves past it
 * and the blanks after it. */
char *conf_getword(const mh_api *api, mh_pool *p, const char **line);

/* [master] Apache reads the words of "Require user|host|forward-dns" as an
 * ap_expr string, where %{VAR} is replaced per request. There is no
 * ap_expr here: a line that uses one is refused (NULL when it has none),
 * rather than compared as written, which would silently never match. */
const char *conf_refuse_expr(const mh_api *api, mh_pool *p, const char *args);

#endif
