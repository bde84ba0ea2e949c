/* arm virt 2.7 to 9.0: calls without a trailing semicolon. */
#define DEFINE_VIRT_MACHINE_AS_LATEST(major, minor) \
    DEFINE_VIRT_MACHINE_LATEST(major, minor, true)
#define DEFINE_VIRT_MACHINE(major, minor) \
    DEFINE_VIRT_MACHINE_LATEST(major, minor, false)

static void virt_machine_2_12_options(MachineClass *mc)
{
}
DEFINE_VIRT_MACHINE_AS_LATEST(2, 12)

static void virt_machine_2_11_options(MachineClass *mc)
{
    virt_machine_2_12_options(mc);
}
DEFINE_VIRT_MACHINE(2, 11)
static void virt_machine_2_10_options(MachineClass *mc) { }
DEFINE_VIRT_MACHINE(2, 10)
