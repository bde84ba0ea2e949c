/* Compat arrays in the 2.x shape of hw/core/machine.c, written for mtcheck's tests. */
#include "hw/boards.h"

GlobalProperty hw_compat_2_5[] = {
    { "gizmo", "queues", "2" },
};
const size_t hw_compat_2_5_len = G_N_ELEMENTS(hw_compat_2_5);

GlobalProperty hw_compat_2_4[] = {
    { "virtio-pci", "migrate-extra", "off" },
};
const size_t hw_compat_2_4_len = G_N_ELEMENTS(hw_compat_2_4);
