/* i440fx in the 2.4 to 9.0 shape. */
static void pc_i440fx_9_0_machine_options(MachineClass *m)
{
    m->alias = "pc";
    m->is_default = true;
}

DEFINE_I440FX_MACHINE(v9_0, "pc-i440fx-9.0", NULL,
                      pc_i440fx_9_0_machine_options);

static void pc_i440fx_8_2_machine_options(MachineClass *m)
{
    pc_i440fx_9_0_machine_options(m);
    m->alias = NULL;
    m->is_default = false;
}

DEFINE_I440FX_MACHINE(v8_2, "pc-i440fx-8.2", NULL,
                      pc_i440fx_8_2_machine_options);
