/*
 * Demo fixture for mtcheck: x86-only compat properties, one array per
 * release, in the shape of QEMU's hw/i386/pc.c.
 */
#include "qemu/osdep.h"
#include "hw/i386/pc.h"

GlobalProperty pc_compat_9_1[] = {
    { "ICH9-LPC", "x-demo-smi-swsmi-timer", "off" },
};
const size_t pc_compat_9_1_len = G_N_ELEMENTS(pc_compat_9_1);

GlobalProperty pc_compat_9_0[] = {
    { TYPE_X86_CPU, "x-demo-amd-topoext-features-only", "false" },
    { "isa-debugcon", "x-demo-ioport-width", "1" },
};
const size_t pc_compat_9_0_len = G_N_ELEMENTS(pc_compat_9_0);

GlobalProperty pc_compat_8_2[] = {};
const size_t pc_compat_8_2_len = G_N_ELEMENTS(pc_compat_8_2);

GlobalProperty pc_compat_7_0[] = {
    { "Opteron_G3" "-" TYPE_X86_CPU, "x-demo-rdtscp", "off" },
};
const size_t pc_compat_7_0_len = G_N_ELEMENTS(pc_compat_7_0);
