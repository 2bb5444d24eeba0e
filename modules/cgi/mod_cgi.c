/*
 * mod_cgi: CGI/1.1 scripts (RFC 3875), as Apache 2.4's mod_cgi and
 * mod_cgid run them.
 *
 * The handler "cgi-script" (SetHandler, ScriptAlias, AddHandler) runs the
 * file the request maps to, with the request's meta-variables, its body on
 * stdin; it answers with what the script writes on stdout (CGI headers,
 * then the body) and logs its stderr. Outside a ScriptAlias the directory
 * needs Options ExecCGI. Under prefork the child forks scripts itself;
 * under the threaded MPMs a helper process forks them (cgi_helper.c).
 * The handler blocks (on the script): it runs on worker threads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cgi.h"

const mh_api *cgi_api;

const char *cgi_script_name(const mh_request *r)
{
    const char *f = cgi_api->filename(r);
    const char *slash = f ? strrchr(f, '/') : NULL;
    return slash ? slash + 1 : f ? f : "";
}

/* ScriptAlias leaves this note: its directories need no ExecCGI. */
static int is_script_aliased(mh_request *r)
{
    const char *t = cgi_api->table_get(cgi_api->notes(r), "alias-forced-type");
    return t && strcasecmp(t, "cgi-script") == 0;
}

/* Apache's log_scripterror: "AHxxxxx: why: /the/script". */
static int refuse(mh_request *r, int status, int os_errno, const char *why)
{
    cgi_api->log_error(&cgi_module, MH_LOG_ERR, os_errno, NULL, r, "%s: %s", why, cgi_api->filename(r));
    return status;
}

/* [worker] */
static int cgi_handler(mh_request *r)
{
    const char *h = cgi_api->handler_name(r);
    if (h == NULL || strcasecmp(h, "cgi-script") != 0) return MH_DECLINED;
    const char *f = cgi_api->filename(r);
    if (f == NULL) return MH_DECLINED;
    if (!(cgi_api->options(r) & MH_OPT_EXECCGI) && !is_script_aliased(r))
        return refuse(r, 403, 0, "AH02809: Options ExecCGI is off in this directory");
    struct stat st;
    if (stat(f, &st) != 0) return refuse(r, 404, errno, "AH02811: script not found or unable to stat");
    if (S_ISDIR(st.st_mode)) return refuse(r, 403, 0, "AH02812: attempt to invoke directory as script");
    if (cgi_api->path_info(r)[0] && cgi_api->accept_path_info(r) == MH_PATH_INFO_REJECT)
        return refuse(r, 404, 0, "AH02813: AcceptPathInfo off disallows user's path");

    mh_pool *p = cgi_api->request_pool(r);
    const char *slash = strrchr(f, '/');
    cgi_exec e;
    e.path = f;
    e.dir = slash == f ? "/" : cgi_api->pstrndup(p, f, (size_t)(slash - f));
    e.argv = cgi_api->palloc(p, 2 * sizeof *e.argv);
    e.argv[0] = cgi_api->pstrdup(p, slash + 1);
    e.argv[1] = NULL;
    e.envp = cgi_environment(r);

    cgi_proc proc;
    int rv = cgi_proc_start(r, &e, &proc);
    return rv != 0 ? rv : cgi_run(r, &proc);
}

/* [child] Before the child's threads start: the helper is forked from a
 * process with one thread and little memory. */
static void cgi_child_init(mh_server *s)
{
    mh_status_global g;
    memset(&g, 0, sizeof g);
    g.struct_size = sizeof g;
    if (cgi_api->status_global(&g) == 0 && g.threaded) cgi_helper_start(s);
}

/* [master] */
static void register_hooks(const mh_api *api, const mh_module *self)
{
    cgi_api = api;
    /* The core's CGI services came with 1.3: an older server cannot run
     * scripts with this build. */
    if (!MH_API_HAS(api, scan_script_header)) {
        api->log_error(self, MH_LOG_ERR, 0, NULL, NULL, "mod_cgi needs a server with ABI 1.3 or later");
        return;
    }
    api->hook_child_init(self, cgi_child_init, MH_HOOK_REALLY_FIRST);
    api->hook_handler(self, cgi_handler, MH_HOOK_MIDDLE);
}

MH_DECLARE_MODULE(cgi_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NO_FLAGS, /* blocks on its scripts: worker threads only */
    NULL,               /* no directives of its own: Options ExecCGI, AcceptPathInfo and Timeout are the core's */
    NULL, NULL, NULL,
    register_hooks,
    NULL, /* not an MPM */
};
