/* m68k virt up to 9.0: the third argument is a bool, not a micro version. */
#define DEFINE_VIRT_MACHINE(major, minor, latest) \
    static void virt_##major##_##minor##_class_init(ObjectClass *oc, void *data) { }

DEFINE_VIRT_MACHINE(9, 0, true)
DEFINE_VIRT_MACHINE(8, 2, false)
