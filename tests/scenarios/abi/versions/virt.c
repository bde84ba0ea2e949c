/*
 * ABI test fixture: an m68k virt machine file in the 6.x shape, written for
 * these tests. Each older machine runs the next newer machine's options and
 * then applies the compat properties of its own release.
 */
#include "hw/boards.h"

#define DEFINE_VIRT_MACHINE(major, minor, latest) \
    static void virt_##major##_##minor##_class_init(ObjectClass *oc, void *data) \
    { \
        MachineClass *mc = MACHINE_CLASS(oc); \
        virt_machine_##major##_##minor##_options(mc); \
        mc->desc = "QEMU " # major "." # minor " M68K Virtual Machine"; \
        if (latest) { \
            mc->alias = "virt"; \
        } \
    } \
    type_init(virt_##major##_##minor##_init);

static void virt_machine_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->max_cpus = 1;
}

static void virt_machine_6_1_options(MachineClass *mc)
{
}
DEFINE_VIRT_MACHINE(6, 1, true)

static void virt_machine_6_0_options(MachineClass *mc)
{
    virt_machine_6_1_options(mc);
}
DEFINE_VIRT_MACHINE(6, 0, false)
