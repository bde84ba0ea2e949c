/* A scenario fixture, not QEMU's text. */
static void pc_q35_machine_options(MachineClass *m)
{
    m->default_display = "std"; /* fix me */
}
