/* s390x 2.4: a TypeInfo whose name is a type macro and a version string. */
static void ccw_machine_2_4_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->alias = "s390-ccw-virtio";
}

static const TypeInfo ccw_machine_2_4_info = {
    .name          = TYPE_S390_CCW_MACHINE "2.4",
    .parent        = TYPE_S390_CCW_MACHINE,
    .class_init    = ccw_machine_2_4_class_init,
};
