/* Demo fixture for mtcheck: a device file with a plain (non-ABI) bug. */
#include "qemu/osdep.h"
#include "hw/virtio/virtio-net.h"

static void virtio_net_unplug_cleanup(VirtIONet *n)
{
    g_free(n->vlans);
}

static const Property virtio_net_properties[] = {
    DEFINE_PROP_UINT16("x-txburst", VirtIONet, net_conf.txburst, 256),
};
