/* Hypercalls of a paravirtual platform of the tests' own. */
static target_ulong h_gizmo_poll(PowerPCCPU *cpu, SpaprMachineState *spapr,
                                 target_ulong opcode, target_ulong *args)
{
    return H_SUCCESS;
}

static void gizmo_hcall_register_types(void)
{
    spapr_register_hypercall(H_GIZMO_POLL, h_gizmo_poll);
#if 0
    spapr_register_hypercall(H_GIZMO_EXPERIMENT, h_gizmo_experiment);
#endif
}
