// The module descriptor and the MPM entry: the only exported symbol. The
// master side is mpm_common/threaded; this MPM brings its child.
#include "worker.h"

namespace worker {
namespace {

// Apache's worker: no AH number on the start-up texts.
const Numbers kNumbers = {
    {"", "AH00299"}, {"", "AH00301"}, "AH00304", {"", "AH00306"}, {"", "AH00308"}, "AH00309",
    {"", "AH00311"}, {"", "AH00313"}, {"", "AH00315"}, {"", "AH00317"}, {"", "AH00319"},
    {"", "AH00321"}, {"", "AH00323"},
};

const Profile kProfile = {&mpm_worker_module, child_main, &kNumbers, false, false};

void register_hooks(const mh_api *a, const mh_module *) { init(a, &kProfile); }

const mh_mpm kMpm = {
    sizeof(mh_mpm),
    "worker",
    1,  // threaded: the core refuses modules flagged MH_MODULE_NOT_THREAD_SAFE
    check_config,
    start,
    stop,
    nullptr,  // -X: the core serves in one process itself
    0,        // not async: a connection holds its thread throughout
};

}  // namespace
}  // namespace worker

MH_DECLARE_MODULE(mpm_worker_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NO_FLAGS,
    worker::commands(false),
    nullptr,
    nullptr,
    worker::create_server_config,
    worker::register_hooks,
    &worker::kMpm,
};
