/* A host-device-assignment-shaped file (hw/vfio), written for mtcheck's tests. */
#include "hw/pci/pci.h"

static Property passthru_properties[] = {
    DEFINE_PROP_ON_OFF_AUTO("console", PassthruState, console, ON_OFF_AUTO_AUTO),
    DEFINE_PROP_UINT32("x-timeout-ms", PassthruState, timeout_ms, 1100),
    DEFINE_PROP_END_OF_LIST(),
};

static const VMStateDescription passthru_vmstate = {
    .name = "passthru",
    .unmigratable = 1,
};

static void passthru_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);

    dc->vmsd = &passthru_vmstate;
    device_class_set_props(dc, passthru_properties);
}
