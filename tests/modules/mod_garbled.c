/* Exports the expected symbol, but it is not a modhttpd module descriptor
 * (an Apache 2.4 "AP24" cookie where our magic should be). */
#include <stdint.h>

__attribute__((visibility("default"))) const uint32_t garbled_module[16] = {0x41503234u, 20120211u};
