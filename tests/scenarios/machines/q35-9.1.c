/* q35 in the 9.1 shape: versions as numbers, the options function marks the latest. */
#define DEFINE_Q35_MACHINE_BUGFIX(major, minor, micro) \
    DEFINE_PC_VER_MACHINE(pc_q35, "pc-q35", pc_q35_init, false, NULL, major, minor, micro);

static void pc_q35_machine_9_1_options(MachineClass *m)
{
    m->alias = "q35";
}

DEFINE_Q35_MACHINE(9, 1);

static void pc_q35_machine_9_0_options(MachineClass *m)
{
    pc_q35_machine_9_1_options(m);
    m->alias = NULL;
}

DEFINE_Q35_MACHINE(9, 0);
DEFINE_Q35_MACHINE_BUGFIX(4, 0, 1);
DEFINE_Q35_MACHINE(4, 0);
