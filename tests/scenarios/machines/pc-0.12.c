/* The 0.x era: hw/pc.c holds the board code and the i440fx machines. */
static void pc_init_pci(ram_addr_t ram_size, const char *boot_device)
{
    pc_init1(ram_size, boot_device, 1);
}

static QEMUMachine pc_machine = {
    .name = "pc-0.12",
    .alias = "pc",
    .desc = "Standard PC",
    .init = pc_init_pci,
    .max_cpus = 255,
    .is_default = 1,
};

static QEMUMachine pc_machine_v0_11 = {
    .name = "pc-0.11",
    .desc = "Standard PC, qemu 0.11",
    .init = pc_init_pci,
    .compat_props = (CompatProperty[]) {
        {
            .driver   = "virtio-blk-pci",
            .property = "vectors",
            .value    = "0",
        },
        { /* end of list */ }
    },
};

/* Before 0.11 the default machine had no version in its name. */
static QEMUMachine pc_plain = {
    .name = "pc",
    .init = pc_init_pci,
};

static QEMUMachine pc_q35_machine_v1_4 = {
    .name = "pc-q35-1.4",
    .init = pc_init_pci,
    .compat_props = (GlobalProperty[]) {
        PC_Q35_COMPAT_1_4,
        { /* end of list */ }
    },
};

/* Not a machine struct: a list in it is not a machine's compat list. */
static TypeInfo pc_dimm_info = {
    .name = "pc-dimm-0.12",
    .compat_props = (GlobalProperty[]) {
        { "pc-dimm", "addr", "0" },
    },
};

static QEMUMachine isapc_machine = {
    .name = "isapc",
    .desc = "ISA-only PC",
    .init = pc_init_isa,
};

static void pc_machine_init(void)
{
    qemu_register_machine(&pc_machine);
    qemu_register_machine(&pc_machine_v0_11);
    qemu_register_machine(&isapc_machine);
}
