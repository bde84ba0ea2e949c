/* Engine test fixture: compat properties for every family, one array per release. */
#include "qemu/osdep.h"
#include "hw/boards.h"

GlobalProperty hw_compat_11_2[] = {
    { "test-balloon", "x-stats", "off" },
};
const size_t hw_compat_11_2_len = G_N_ELEMENTS(hw_compat_11_2);
