/* q35 in the 2.4 to 9.0 shape: the name is a string argument. */
#define DEFINE_Q35_MACHINE(suffix, name, compatfn, optionfn) \
    DEFINE_PC_MACHINE(suffix, name, pc_init_##suffix, optionfn)

static void pc_q35_4_0_1_machine_options(MachineClass *m)
{
    pc_q35_machine_options(m);
    m->alias = "q35";
}

DEFINE_Q35_MACHINE(v4_0_1, "pc-q35-4.0.1", NULL,
                   pc_q35_4_0_1_machine_options);

static void pc_q35_4_0_machine_options(MachineClass *m)
{
    pc_q35_4_0_1_machine_options(m);
    m->alias = NULL;
    compat_props_add(m->compat_props, hw_compat_4_0, hw_compat_4_0_len);
}

DEFINE_Q35_MACHINE(v4_0, "pc-q35-4.0", NULL,
                   pc_q35_4_0_machine_options);

DEFINE_PC_MACHINE(isapc, "isapc", pc_init_isa, isapc_machine_options);
