/* Engine test fixture: a device with properties whose defaults guests see. */
#include "qemu/osdep.h"
#include "hw/qdev-properties.h"

static const Property widget_properties[] = {
    DEFINE_PROP_UINT32("depth", WidgetState, depth, 4),
    DEFINE_PROP_BOOL("burst", WidgetState, burst, false),
};

static void widget_reset(DeviceState *dev)
{
    WidgetState *s = WIDGET(dev);

    s->count = 0;
}
