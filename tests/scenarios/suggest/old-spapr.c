/* Suggest fixture: pseries machines in the 2.6 to 9.0 shape (suffix, version string, latest). */
#include "qemu/osdep.h"
#include "hw/ppc/spapr.h"

#define DEFINE_SPAPR_MACHINE(suffix, verstr, latest) \
    static void spapr_machine_##suffix##_class_init(ObjectClass *oc, void *data) \
    { \
        MachineClass *mc = MACHINE_CLASS(oc); \
        spapr_machine_##suffix##_class_options(mc); \
        if (latest) { \
            mc->alias = "pseries"; \
            mc->is_default = 1; \
        } \
    }

static void spapr_machine_5_0_class_options(MachineClass *mc)
{
    /* the defaults of the latest machine */
}

DEFINE_SPAPR_MACHINE(5_0, "5.0", true);

static void spapr_machine_4_2_class_options(MachineClass *mc)
{
    spapr_machine_5_0_class_options(mc);
    compat_props_add(mc->compat_props, hw_compat_4_2, hw_compat_4_2_len);
}

DEFINE_SPAPR_MACHINE(4_2, "4.2", false);
