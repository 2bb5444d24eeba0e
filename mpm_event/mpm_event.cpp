// The module descriptor and the MPM entry: the only exported symbol.
//
//   LoadModule mpm_event_module modules/mod_mpm_event.so
#include "event.h"

namespace event {
namespace {

// Apache's event numbers: its start-up texts carry them too.
const Numbers kNumbers = {
    {"AH00497", "AH00498"}, {"AH00499", "AH00500"}, "AH00501", {"AH00502", "AH00503"}, {"AH00504", "AH00505"},
    "AH00506", {"AH00507", "AH00508"}, {"AH00509", "AH00510"}, {"AH00511", "AH00512"}, {"AH00513", "AH00514"},
    {"AH00515", "AH00516"}, {"AH00517", "AH00518"}, {"AH00519", "AH00520"},
};

const Profile kProfile = {&mpm_event_module, child_main, &kNumbers, true, true};

void register_hooks(const mh_api *a, const mh_module *) { init(a, &kProfile); }

const mh_mpm kMpm = {
    sizeof(mh_mpm),
    "event",
    1,  // threaded: the core refuses modules flagged MH_MODULE_NOT_THREAD_SAFE
    check_config,
    start,
    stop,
    nullptr,  // -X: the core serves in one process itself
    1,        // async: connections wait on the loop, not in a worker
};

}  // namespace
}  // namespace event

MH_DECLARE_MODULE(mpm_event_module) = {
    MH_MODULE_HEADER,
    MH_MODULE_NO_FLAGS,
    event::commands(true),
    nullptr,
    nullptr,
    event::create_server_config,
    event::register_hooks,
    &event::kMpm,
};
