/*
 * Engine test fixture: a q35 machine file in the 9.1+ shape, written for
 * these tests. Each older machine runs the next newer machine's options and
 * then applies the compat properties of its own release.
 */
#include "qemu/osdep.h"
#include "hw/boards.h"
#include "hw/i386/pc.h"

#define DEFINE_Q35_MACHINE(major, minor) \
    DEFINE_PC_VER_MACHINE(pc_q35, "pc-q35", pc_q35_init, false, NULL, major, minor);

#define DEFINE_Q35_MACHINE_AS_LATEST(major, minor) \
    DEFINE_PC_VER_MACHINE(pc_q35, "pc-q35", pc_q35_init, false, "q35", major, minor);

#define DEFINE_Q35_MACHINE_BUGFIX(major, minor, micro) \
    DEFINE_PC_VER_MACHINE(pc_q35, "pc-q35", pc_q35_init, false, NULL, major, minor, micro);

static void pc_q35_init(MachineState *machine)
{
    /* the board would be built here */
}

static void pc_q35_machine_options(MachineClass *m)
{
    PCMachineClass *pcmc = PC_MACHINE_CLASS(m);

    pcmc->pci_root_uid = 0;
    m->desc = "Test PC (Q35)";
    m->max_cpus = 1024;
}

static void pc_q35_machine_12_0_options(MachineClass *m)
{
    pc_q35_machine_options(m);
}

DEFINE_Q35_MACHINE_AS_LATEST(12, 0);

static void pc_q35_machine_11_2_options(MachineClass *m)
{
    pc_q35_machine_12_0_options(m);
    compat_props_add(m->compat_props, hw_compat_11_2, hw_compat_11_2_len);
}

DEFINE_Q35_MACHINE(11, 2);

static void pc_q35_machine_8_0_options(MachineClass *m)
{
    pc_q35_machine_11_2_options(m);
}

DEFINE_Q35_MACHINE(8, 0);
