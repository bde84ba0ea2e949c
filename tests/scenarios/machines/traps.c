/*
 * Traps for the tokenizer: nothing in this comment is a machine,
 * DEFINE_Q35_MACHINE(1, 0);
 */
#include "qemu/osdep.h"

#define DEFINE_Q35_MACHINE(major, minor) \
    DEFINE_PC_VER_MACHINE(pc_q35, "pc-q35", pc_q35_init, false, NULL, major, minor);

// DEFINE_Q35_MACHINE(1, 1);

static const char *help = "use DEFINE_Q35_MACHINE(1, 2); to add one";
static const char quote = '"';

#if 0
DEFINE_Q35_MACHINE(1, 3);
static const char *broken = "don't mind the apostrophe;
#endif

#if 1
DEFINE_Q35_MACHINE(7, 1);
#else
DEFINE_Q35_MACHINE(1, 4);
#endif

#ifdef CONFIG_LEGACY_PC
DEFINE_Q35_MACHINE(7, 0);
#else
DEFINE_Q35_MACHINE(6, 2);
#endif

#if 0
#ifdef CONFIG_NESTED
DEFINE_Q35_MACHINE(1, 5);
#endif
#elif defined(CONFIG_OTHER)
DEFINE_Q35_MACHINE(6, 1);
#endif

DEFINE_Q35_MACHINE(
    7,
    2
);

DEFINE_Q35_MACHINE(8, \
                   0);

static void pc_q35_machine_8_1_options(MachineClass *m)
{
    m->alias = "q35"; /* DEFINE_Q35_MACHINE(1, 6); */
}

DEFINE_Q35_MACHINE(8, 1)
DEFINE_Q35_MACHINE_BUGFIX(7, 2, 1);
