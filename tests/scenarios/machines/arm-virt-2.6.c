/* arm virt's first versioned machine: a TypeInfo naming it. */
static void virt_2_6_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->alias = "virt";
}

static const TypeInfo virt_machine_info = {
    .name = TYPE_VIRT_MACHINE,
    .parent = TYPE_MACHINE,
};

static const TypeInfo machvirt_info = {
    .name = MACHINE_TYPE_NAME("virt-2.6"),
    .parent = TYPE_VIRT_MACHINE,
    .class_init = virt_2_6_class_init,
};
