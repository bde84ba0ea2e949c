/* model_diff's test: the same file after a stable fix (test text). */
GlobalProperty pc_compat_4_0_1[] = {
    { "new-dev", "prop", "off" },
};

GlobalProperty pc_compat_4_0[] = {
    { "added-dev", "prop", "on" },
    { "kept-dev", "flag", "on", .optional = true },
    { "kept-dev", "value", "on" },
    { "kept-dev", "same", "on" },
    { "twice-dev", "prop", "a" },
    PC_CPU_MODEL_IDS("4.0"),
};

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
