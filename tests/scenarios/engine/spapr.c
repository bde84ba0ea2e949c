/* Engine test fixture: pseries machines in the 9.1 shape, written for these tests. */
#include "qemu/osdep.h"
#include "hw/ppc/spapr.h"

static void spapr_machine_12_0_class_options(MachineClass *mc)
{
    /* defaults */
}

DEFINE_SPAPR_MACHINE_AS_LATEST(12, 0);

static void spapr_machine_2_12_sxxm_class_options(MachineClass *mc)
{
    /* mitigations on */
}

DEFINE_SPAPR_MACHINE_TAGGED(2, 12, sxxm);
