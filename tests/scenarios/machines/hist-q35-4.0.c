/* A q35 file as a 4.0 release might have it (test text). */
static void pc_q35_4_0_machine_options(MachineClass *m)
{
    pc_q35_machine_options(m);
    m->alias = "q35";
}

DEFINE_Q35_MACHINE(v4_0, "pc-q35-4.0", NULL,
                   pc_q35_4_0_machine_options);

static void pc_q35_3_1_machine_options(MachineClass *m)
{
    pc_q35_4_0_machine_options(m);
    m->alias = NULL;
    compat_props_add(m->compat_props, hw_compat_3_1, hw_compat_3_1_len);
}

DEFINE_Q35_MACHINE(v3_1, "pc-q35-3.1", NULL,
                   pc_q35_3_1_machine_options);
