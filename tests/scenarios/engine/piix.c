/* Engine test fixture: an i440fx machine file in the 9.1+ shape, written for these tests. */
#include "qemu/osdep.h"
#include "hw/boards.h"

#define DEFINE_I440FX_MACHINE(major, minor) \
    DEFINE_PC_VER_MACHINE(pc_i440fx, "pc-i440fx", pc_init, false, NULL, major, minor);

#define DEFINE_I440FX_MACHINE_AS_LATEST(major, minor) \
    DEFINE_PC_VER_MACHINE(pc_i440fx, "pc-i440fx", pc_init, false, "pc", major, minor);

#define DEFINE_I440FX_MACHINE_BUGFIX(major, minor, micro) \
    DEFINE_PC_VER_MACHINE(pc_i440fx, "pc-i440fx", pc_init, false, NULL, major, minor, micro);

static void pc_i440fx_machine_12_0_options(MachineClass *m)
{
    m->desc = "Test PC (i440FX)";
}

DEFINE_I440FX_MACHINE_AS_LATEST(12, 0);

static void pc_i440fx_machine_11_2_options(MachineClass *m)
{
    pc_i440fx_machine_12_0_options(m);
    compat_props_add(m->compat_props, hw_compat_11_2, hw_compat_11_2_len);
}

DEFINE_I440FX_MACHINE(11, 2);
