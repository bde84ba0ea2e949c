/* Suggest fixture: the x86 compat arrays, newest first. */
#include "qemu/osdep.h"
#include "hw/i386/pc.h"

GlobalProperty pc_compat_9_2[] = {
    { "PIIX4_PM", "x-not-migrated-yet", "true" },
};
const size_t pc_compat_9_2_len = G_N_ELEMENTS(pc_compat_9_2);
