/* pseries 2.5: TypeInfo with MACHINE_TYPE_NAME, latest in class_init. */
static void spapr_machine_2_5_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->alias = "pseries";
}

static const TypeInfo spapr_machine_2_5_info = {
    .name          = MACHINE_TYPE_NAME("pseries-2.5"),
    .parent        = TYPE_SPAPR_MACHINE,
    .class_init    = spapr_machine_2_5_class_init,
};

static const TypeInfo spapr_machine_2_4_info = {
    .name          = TYPE_SPAPR_MACHINE "2.4",
    .parent        = TYPE_SPAPR_MACHINE,
};
