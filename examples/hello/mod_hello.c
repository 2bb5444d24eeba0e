/*
 * mod_hello: the smallest useful modhttpd module.
 *
 * It answers every request whose handler is "hello" with a line of text:
 *
 *     LoadModule hello_module modules/mod_hello.so
 *     <Location "/hello">
 *         SetHandler hello
 *     </Location>
 *
 *     $ curl http://127.0.0.1:8080/hello/there
 *     Hello from mod_hello: GET /hello/there
 */
#include <modhttpd/modhttpd.h>
#include <string.h>

/* The server's services. Set once in register_hooks and only read after:
 * safe to share between worker threads. */
static const mh_api *api;

/* [worker] Called for every request, possibly on many threads at once. */
static int hello_handler(mh_request *r)
{
    const char *handler = api->handler_name(r);
    if (handler == NULL || strcmp(handler, "hello") != 0)
        return MH_DECLINED; /* not ours: let the next module try */

    /* Allocated in the request's pool: freed with the request. */
    const char *body = api->psprintf(api->request_pool(r), "Hello from mod_hello: %s %s\n",
                                     api->request_method(r), api->request_path(r));
    size_t length = strlen(body);
    api->set_content_type(r, "text/plain; charset=utf-8");
    api->set_content_length(r, (int64_t)length);
    api->write(r, body, length); /* the core sends no body for HEAD */
    return MH_OK;
}

/* [master] Called once per configuration read, right after LoadModule. */
static void register_hooks(const mh_api *a, const mh_module *self)
{
    api = a;
    a->hook_handler(self, hello_handler, MH_HOOK_MIDDLE);
}

/* The one symbol the module exports; its name is LoadModule's first word. */
MH_DECLARE_MODULE(hello_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NO_FLAGS,
    NULL,             /* directives */
    NULL, NULL, NULL, /* create_dir_config, merge_dir_config, create_server_config */
    register_hooks,
    NULL              /* not an MPM */
};
