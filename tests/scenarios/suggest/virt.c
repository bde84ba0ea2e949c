/* Suggest fixture: an arm virt board file in the 9.1 and later shape (no `;` after calls). */
#include "qemu/osdep.h"
#include "hw/arm/virt.h"

#define DEFINE_VIRT_MACHINE_IMPL(latest, ...) \
    static void VIRT_MACHINE_OPTIONS_NAME(__VA_ARGS__)(ObjectClass *oc, const void *data) \
    { \
        MachineClass *mc = MACHINE_CLASS(oc); \
        MACHINE_VER_SYM(options, virt, __VA_ARGS__)(mc); \
        if (latest) { \
            mc->alias = "virt"; \
        } \
    }

#define DEFINE_VIRT_MACHINE_AS_LATEST(major, minor) \
    DEFINE_VIRT_MACHINE_IMPL(true, major, minor)
#define DEFINE_VIRT_MACHINE(major, minor) \
    DEFINE_VIRT_MACHINE_IMPL(false, major, minor)

static void virt_machine_10_0_options(MachineClass *mc)
{
}
DEFINE_VIRT_MACHINE_AS_LATEST(10, 0)

static void virt_machine_9_2_options(MachineClass *mc)
{
    virt_machine_10_0_options(mc);
    compat_props_add(mc->compat_props, hw_compat_9_2, hw_compat_9_2_len);
}
DEFINE_VIRT_MACHINE(9, 2)
