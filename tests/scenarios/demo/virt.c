/*
 * Demo fixture for mtcheck: an arm virt board file in the post-9.1 shape,
 * written for the demo. No trailing semicolons after the machine macros.
 */
#include "qemu/osdep.h"
#include "hw/arm/virt.h"

#define DEFINE_VIRT_MACHINE_IMPL(latest, ...) \
    static void VIRT_MACHINE_OPTIONS_NAME(__VA_ARGS__)(ObjectClass *oc, \
                                                       const void *data) \
    { \
        MachineClass *mc = MACHINE_CLASS(oc); \
        MACHINE_VER_SYM(options, virt, __VA_ARGS__)(mc); \
        mc->desc = "QEMU " MACHINE_VER_STR(__VA_ARGS__) " ARM Virtual Machine"; \
        if (latest) { \
            mc->alias = "virt"; \
        } \
    }

#define DEFINE_VIRT_MACHINE_AS_LATEST(major, minor) \
    DEFINE_VIRT_MACHINE_IMPL(true, major, minor)
#define DEFINE_VIRT_MACHINE(major, minor) \
    DEFINE_VIRT_MACHINE_IMPL(false, major, minor)

static void virt_machine_9_2_options(MachineClass *mc)
{
}
DEFINE_VIRT_MACHINE_AS_LATEST(9, 2)

static void virt_machine_9_1_options(MachineClass *mc)
{
    virt_machine_9_2_options(mc);
    compat_props_add(mc->compat_props, hw_compat_9_1, hw_compat_9_1_len);
}
DEFINE_VIRT_MACHINE(9, 1)

static void virt_machine_9_0_options(MachineClass *mc)
{
    virt_machine_9_1_options(mc);
    mc->smbios_memory_device_size = 16 * GiB;
    compat_props_add(mc->compat_props, hw_compat_9_0, hw_compat_9_0_len);
}
DEFINE_VIRT_MACHINE(9, 0)
