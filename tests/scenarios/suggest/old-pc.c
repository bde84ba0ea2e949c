/* Suggest fixture: the x86 compat arrays of a 5.x-era tree, newest first. */
#include "qemu/osdep.h"
#include "hw/i386/pc.h"

GlobalProperty pc_compat_4_2[] = {
    { "mch", "smbase-smram", "off" },
};
const size_t pc_compat_4_2_len = G_N_ELEMENTS(pc_compat_4_2);
