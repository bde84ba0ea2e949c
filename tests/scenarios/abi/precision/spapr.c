/*
 * A pseries machine file in the shape of hw/ppc/spapr.c in the 2.11 era,
 * written for mtcheck's tests: a base class_init, the latest machine 2.12
 * and two older ones whose options chain to the next newer one.
 */
#include "hw/ppc/spapr.h"

static void spapr_machine_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);
    sPAPRMachineClass *smc = SPAPR_MACHINE_CLASS(oc);

    mc->max_cpus = 1024;
    smc->dr_lmb_enabled = true;
    smc->default_caps = spapr_caps(SPAPR_CAP_VSX);
}

static void spapr_machine_2_12_class_options(MachineClass *mc)
{
    /* the latest machine takes the base's values */
}

DEFINE_SPAPR_MACHINE(2_12, "2.12", true);

static void spapr_machine_2_11_class_options(MachineClass *mc)
{
    sPAPRMachineClass *smc = SPAPR_MACHINE_CLASS(mc);

    spapr_machine_2_12_class_options(mc);
    smc->default_caps = spapr_caps(SPAPR_CAP_HTM | SPAPR_CAP_VSX);
    SET_MACHINE_COMPAT(mc, SPAPR_COMPAT_2_11);
}

DEFINE_SPAPR_MACHINE(2_11, "2.11", false);

static void spapr_machine_2_10_class_options(MachineClass *mc)
{
    sPAPRMachineClass *smc = SPAPR_MACHINE_CLASS(mc);

    spapr_machine_2_11_class_options(mc);
    smc->pre_2_10_has_unused_icps = true;
    SET_MACHINE_COMPAT(mc, SPAPR_COMPAT_2_10);
}

DEFINE_SPAPR_MACHINE(2_10, "2.10", false);
