/* Descriptors for configuration unit tests: two do-nothing MPMs (one
 * threaded) and a handler module that says it is not thread-safe. */
#include <modhttpd/modhttpd.h>

static int start(mh_server *s, int kind) { (void)s; (void)kind; return 0; }
static void stop(mh_server *s, int how) { (void)s; (void)how; }

static const mh_mpm forked = {sizeof(mh_mpm), "testfork", 0, NULL, start, stop, NULL, 0};
static const mh_mpm threaded = {sizeof(mh_mpm), "testthread", 1, NULL, start, stop, NULL, 0};

MH_DECLARE_MODULE(testfork_mpm_module) = {MH_MODULE_HEADER, 0, NULL, NULL, NULL, NULL, NULL, &forked};
MH_DECLARE_MODULE(testthread_mpm_module) = {MH_MODULE_HEADER, 0, NULL, NULL, NULL, NULL, NULL, &threaded};
MH_DECLARE_MODULE(unsafe_test_module) = {MH_MODULE_HEADER, MH_MODULE_NOT_THREAD_SAFE, NULL, NULL, NULL, NULL, NULL, NULL};
