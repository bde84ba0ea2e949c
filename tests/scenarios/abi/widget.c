/* A device with properties and migration state, written for mtcheck's tests. */
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"

typedef struct WidgetState {
    uint32_t depth;
    uint32_t queues;
    bool legacy_io;
    uint64_t host_features;
    uint8_t level;
} WidgetState;

static bool widget_level_needed(void *opaque)
{
    WidgetState *s = opaque;

    return s->level != 0;
}

static const VMStateDescription vmstate_widget_level = {
    .name = "widget/level",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = widget_level_needed,
    .fields = (VMStateField[]) {
        VMSTATE_UINT8(level, WidgetState),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_widget = {
    .name = "widget",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32(depth, WidgetState),
        VMSTATE_UINT32(queues, WidgetState),
        VMSTATE_BOOL(legacy_io, WidgetState),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription*[]) {
        &vmstate_widget_level,
        NULL
    }
};

static Property widget_properties[] = {
    DEFINE_PROP_UINT32("depth", WidgetState, depth, 16),
    DEFINE_PROP_UINT32("queues", WidgetState, queues,
                       4),
    DEFINE_PROP_BOOL("legacy-io", WidgetState, legacy_io, false),
    DEFINE_PROP_BIT64("packed", WidgetState, host_features, 34, true),
    /* DEFINE_PROP_BOOL("turbo", WidgetState, turbo, true), */
    DEFINE_PROP_END_OF_LIST(),
};

static void widget_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->vmsd = &vmstate_widget;
    dc->props = widget_properties;
}
