/* A pseries machine class in the shape of hw/ppc/spapr.c, written for mtcheck's tests. */
#include "hw/ppc/spapr.h"

static void spapr_machine_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);
    SpaprMachineClass *smc = SPAPR_MACHINE_CLASS(oc);

    mc->block_default_type = IF_SCSI;
    smc->dr_lmb_enabled = true;
    smc->default_caps.caps[SPAPR_CAP_HTM] = SPAPR_CAP_ON;
}
