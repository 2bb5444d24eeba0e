/*
 * mod_env: SetEnv, UnsetEnv and PassEnv, as Apache 2.4's mod_env. The
 * variables go into the request's subprocess_env in a fixups hook, where
 * CGI scripts and CustomLog's %{VAR}e see them.
 *
 * Each section keeps its lines in order; a nested section's come after the
 * enclosing one's, so the nearer section wins for a name, and an UnsetEnv
 * there removes what an outer SetEnv or PassEnv gave (Apache's merge).
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include <modhttpd/modhttpd.h>

MH_EXPORT extern const mh_module env_module;
static const mh_api *api;

typedef struct env_var {
    const char *name;
    const char *value; /* NULL: UnsetEnv */
} env_var;

typedef struct env_conf {
    env_var *vars;
    int n, cap;
} env_conf;

/* [master] */
static void add_var(mh_pool *p, env_conf *c, const char *name, const char *value)
{
    if (c->n == c->cap) {
        int cap = c->cap ? c->cap * 2 : 4;
        env_var *grown = api->palloc(p, sizeof *grown * (size_t)cap);
        if (c->n) memcpy(grown, c->vars, sizeof *grown * (size_t)c->n);
        c->vars = grown;
        c->cap = cap;
    }
    c->vars[c->n].name = name;
    c->vars[c->n].value = value;
    ++c->n;
}

static int abi_ok(void) { return MH_API_HAS(api, table_unset); }
static const char *const old_server = "mod_env needs a server with module ABI 1.2 or later";

/* SetEnv VAR [value]: the value is "" when left out. */
static const char *set_env(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    if (!abi_ok()) return old_server;
    const char *eq = strchr(argv[0], '=');
    if (eq) /* Apache warns and keeps the name as written */
        api->log_error(&env_module, MH_LOG_WARNING, 0, cmd->server, NULL,
                       "AH10032: Spurious usage of '=' in an environment variable name. '%s %.*s %s' expected "
                       "instead?",
                       cmd->directive, (int)(eq - argv[0]), argv[0], eq + 1);
    add_var(cmd->pool, dir, argv[0], argc > 1 ? argv[1] : "");
    return NULL;
}

static const char *unset_env(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    if (!abi_ok()) return old_server;
    add_var(cmd->pool, dir, argv[0], NULL);
    return NULL;
}

/* PassEnv VAR: the value the server had in its environment at startup. */
static const char *pass_env(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)argc;
    if (!abi_ok()) return old_server;
    const char *value = getenv(argv[0]);
    if (value == NULL) {
        api->log_error(&env_module, MH_LOG_WARNING, 0, cmd->server, NULL,
                       "AH01506: PassEnv variable %s was undefined", argv[0]);
        return NULL;
    }
    add_var(cmd->pool, dir, argv[0], api->pstrdup(cmd->pool, value));
    return NULL;
}

static const mh_command env_commands[] = {
    {"SetEnv", set_env, 0, MH_WHERE_ANY, MH_TAKE12,
     "an environment variable name and optional value to pass to CGI."},
    {"UnsetEnv", unset_env, 0, MH_WHERE_ANY, MH_ITERATE, "a list of variables to remove from the CGI environment."},
    {"PassEnv", pass_env, 0, MH_WHERE_ANY, MH_ITERATE, "a list of environment variables to pass to CGI."},
    MH_COMMAND_END,
};

/* [master] */
static void *create_config(mh_pool *p, const char *section)
{
    (void)section;
    return api->pcalloc(p, sizeof(env_conf));
}

/* [master] or [worker]: only allocates. Outer lines first. */
static void *merge_config(mh_pool *p, const void *base, const void *add)
{
    const env_conf *b = base, *a = add;
    if (a->n == 0) return (void *)b;
    if (b->n == 0) return (void *)a;
    env_conf *c = api->pcalloc(p, sizeof *c);
    c->cap = b->n + a->n;
    c->vars = api->palloc(p, sizeof *c->vars * (size_t)c->cap);
    memcpy(c->vars, b->vars, sizeof *c->vars * (size_t)b->n);
    memcpy(c->vars + b->n, a->vars, sizeof *c->vars * (size_t)a->n);
    c->n = c->cap;
    return c;
}

/* [worker] */
static int fixups(mh_request *r)
{
    const env_conf *c = api->dir_config(r, &env_module);
    if (c == NULL || c->n == 0) return MH_DECLINED;
    mh_table *env = api->subprocess_env(r);
    for (int i = 0; i < c->n; ++i) {
        if (c->vars[i].value) api->table_set(env, c->vars[i].name, c->vars[i].value);
        else api->table_unset(env, c->vars[i].name);
    }
    return MH_DECLINED;
}

static void register_hooks(const mh_api *a, const mh_module *self)
{
    api = a;
    if (!abi_ok()) return; /* the directives say why */
    a->hook_fixups(self, fixups, MH_HOOK_MIDDLE);
}

MH_DECLARE_MODULE(env_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NONBLOCKING,
    env_commands,
    create_config,
    merge_config,
    NULL,
    register_hooks,
    NULL,
};
