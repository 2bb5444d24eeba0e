/*
 * A stand-in MPM for test_kit.py's "single" mode: `modhttpd -X` with an MPM
 * that has no run_single_process serves from the master process itself
 * (core/master/single_process.cpp), so the kit's modules can be exercised
 * without mpm_prefork or mpm_worker. start() refuses: it is never called
 * under -X.
 */
#include <modhttpd/modhttpd.h>

static int start(mh_server *s, int kind)
{
    (void)s;
    (void)kind;
    return -1;
}

static void stop(mh_server *s, int how)
{
    (void)s;
    (void)how;
}

static const mh_mpm single_mpm = {sizeof(mh_mpm), "single", 0, NULL, start, stop, NULL, 0};

MH_DECLARE_MODULE(mpm_single_module) = {
    MH_MODULE_HEADER, MH_MODULE_NO_FLAGS, NULL, NULL, NULL, NULL, NULL, &single_mpm
};
