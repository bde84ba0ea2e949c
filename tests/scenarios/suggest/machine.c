/* Suggest fixture: the shared compat arrays, newest first. */
#include "qemu/osdep.h"
#include "hw/boards.h"

GlobalProperty hw_compat_9_2[] = {
    { "virtio-mem", "x-early-migration", "false" },
    { "migration", "x-zero-page-detection", "legacy" },
};
const size_t hw_compat_9_2_len = G_N_ELEMENTS(hw_compat_9_2);
