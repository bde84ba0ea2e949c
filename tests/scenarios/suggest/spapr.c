/* Suggest fixture: pseries machines in the 9.1 and later shape, written for these tests. */
#include "qemu/osdep.h"
#include "hw/ppc/spapr.h"

#define DEFINE_SPAPR_MACHINE_IMPL(latest, ...) \
    static void MACHINE_VER_SYM(class_init, spapr, __VA_ARGS__)(ObjectClass *oc, \
                                                                const void *data) \
    { \
        MachineClass *mc = MACHINE_CLASS(oc); \
        MACHINE_VER_SYM(class_options, spapr, __VA_ARGS__)(mc); \
        if (latest) { \
            mc->alias = "pseries"; \
        } \
    }

#define DEFINE_SPAPR_MACHINE_AS_LATEST(major, minor) \
    DEFINE_SPAPR_MACHINE_IMPL(true, major, minor)
#define DEFINE_SPAPR_MACHINE(major, minor) \
    DEFINE_SPAPR_MACHINE_IMPL(false, major, minor)

static void spapr_machine_10_0_class_options(MachineClass *mc)
{
    /* defaults */
}

DEFINE_SPAPR_MACHINE_AS_LATEST(10, 0);

static void spapr_machine_9_2_class_options(MachineClass *mc)
{
    SpaprMachineClass *smc = SPAPR_MACHINE_CLASS(mc);

    spapr_machine_10_0_class_options(mc);
    compat_props_add(mc->compat_props, hw_compat_9_2, hw_compat_9_2_len);
    smc->pre_10_0_layout = true;
}

DEFINE_SPAPR_MACHINE(9, 2);
