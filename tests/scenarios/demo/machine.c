/*
 * Demo fixture for mtcheck: compat properties shared by every machine
 * family, one array per release, in the shape of QEMU's hw/core/machine.c.
 */
#include "qemu/osdep.h"
#include "hw/boards.h"

GlobalProperty hw_compat_9_2[] = {
    { "virtio-balloon-device", "x-demo-stats-v2", "off" },
    { "pcie-root-port", "x-demo-aer-unc-mask", "off" },
};
const size_t hw_compat_9_2_len = G_N_ELEMENTS(hw_compat_9_2);

GlobalProperty hw_compat_9_1[] = {
    { TYPE_PCI_DEVICE, "x-demo-pcie-ext-tag", "false" },
};
const size_t hw_compat_9_1_len = G_N_ELEMENTS(hw_compat_9_1);

GlobalProperty hw_compat_9_0[] = {
    { "virtio-net-device", "x-demo-rss-hash", "off" },
    { "scsi-disk-base", "x-demo-migrate-emulated-error", "off", .optional = true },
};
const size_t hw_compat_9_0_len = G_N_ELEMENTS(hw_compat_9_0);

GlobalProperty hw_compat_8_2[] = {
    { "migration", "x-demo-zero-page-detection", "legacy" },
};
const size_t hw_compat_8_2_len = G_N_ELEMENTS(hw_compat_8_2);

GlobalProperty hw_compat_7_0[] = {
    { "arm-gicv3-common", "x-demo-force-8-bit-prio", "on" },
};
const size_t hw_compat_7_0_len = G_N_ELEMENTS(hw_compat_7_0);

GlobalProperty hw_compat_4_0[] = {
    { "VGA", "x-demo-edid", "false" },
    { "virtio-gpu-device", "x-demo-edid", "false" },
};
const size_t hw_compat_4_0_len = G_N_ELEMENTS(hw_compat_4_0);
