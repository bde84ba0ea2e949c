/* Suggest fixture: a device whose property defaults guests see. */
#include "qemu/osdep.h"
#include "hw/qdev-properties.h"

static const Property widget_properties[] = {
    DEFINE_PROP_UINT32("depth", WidgetState, depth, 4),
    DEFINE_PROP_BOOL("burst", WidgetState, burst, false),
};

static const TypeInfo widget_info = {
    .name = TYPE_WIDGET,
    .parent = TYPE_DEVICE,
};
