/* The QEMUMachine era: structs registered by hand. */
static QEMUMachine pc_i440fx_machine_v2_0 = {
    PC_I440FX_2_0_MACHINE_OPTIONS,
    .name = "pc-i440fx-2.0",
    .alias = "pc",
    .init = pc_init_pci,
    .is_default = 1,
};

static QEMUMachine pc_machine_v1_3 = {
    .name = "pc-1.3",
    .init = pc_init_pci_1_3,
    .compat_props = (GlobalProperty[]) {
        PC_COMPAT_1_3,
        { /* end of list */ }
    },
};

static QEMUMachine isapc_machine = {
    .name = "isapc",
    .init = pc_init_isa,
};

static void pc_machine_init(void)
{
    qemu_register_machine(&pc_i440fx_machine_v2_0);
    qemu_register_machine(&pc_machine_v1_3);
    qemu_register_machine(&isapc_machine);
}
