/* model_diff's test: a q35 file with its compat arrays, before (test text). */
GlobalProperty pc_compat_4_0[] = {
    { "kept-dev", "same", "on" },
    { "kept-dev", "value", "off" },
    { "kept-dev", "flag", "on" },
    { "gone-dev", "prop", "1" },
    { "twice-dev", "prop", "a" },
    { "twice-dev", "prop", "a" },
    PC_CPU_MODEL_IDS("4.0"),
};

GlobalProperty pc_compat_3_1[] = {
    { "old-dev", "prop", "on" },
};

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
}

DEFINE_Q35_MACHINE(v3_1, "pc-q35-3.1", NULL,
                   pc_q35_3_1_machine_options);

static void pc_q35_3_0_machine_options(MachineClass *m)
{
    pc_q35_3_1_machine_options(m);
}

DEFINE_Q35_MACHINE(v3_0, "pc-q35-3.0", NULL,
                   pc_q35_3_0_machine_options);
