/* Suggest fixture: the shared compat arrays of a 5.x-era tree, newest first. */
#include "qemu/osdep.h"
#include "hw/boards.h"

GlobalProperty hw_compat_4_2[] = {
    { "virtio-blk-device", "queue-size", "128" },
    { "virtio-scsi-device", "virtqueue_size", "128" },
};
const size_t hw_compat_4_2_len = G_N_ELEMENTS(hw_compat_4_2);
