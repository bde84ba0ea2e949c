/* A compat-array file shaped like QEMU's hw/core/machine.c, written for mtcheck's tests. */
#include "hw/boards.h"

GlobalProperty hw_compat_4_0[] = {
    { "VGA", "edid", "false" },
    { "virtio-gpu-device", "edid", "false" },
    { TYPE_PCI_DEVICE, "x-pcie-ext-tag", "false", .optional = true },
};
const size_t hw_compat_4_0_len = G_N_ELEMENTS(hw_compat_4_0);

GlobalProperty hw_compat_3_1[] = {
    { "pcie-root-port", "x-speed", "2_5" },
};
const size_t hw_compat_3_1_len = G_N_ELEMENTS(hw_compat_3_1);
