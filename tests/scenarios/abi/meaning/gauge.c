/* A virtio-device-shaped file with an opt-in feature bit, written for mtcheck's tests. */
#include "hw/virtio/virtio.h"

static void gauge_realize(DeviceState *dev, Error **errp)
{
    GaugeState *s = GAUGE(dev);

    if (virtio_has_feature(s->host_features, VIRTIO_GAUGE_F_HINT)) {
        if (s->worker) {
            s->hint_bh = gauge_bh_new(s->worker);
        } else {
            s->host_features &= ~(1 << VIRTIO_GAUGE_F_HINT);
        }
    }
}

static Property gauge_properties[] = {
    DEFINE_PROP_BIT("hint", GaugeState, host_features, VIRTIO_GAUGE_F_HINT, false),
    DEFINE_PROP_END_OF_LIST(),
};
