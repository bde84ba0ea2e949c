/* s390x 2.6 to 9.0: suffix, version string, latest. */
#define DEFINE_CCW_MACHINE(suffix, verstr, latest) \
    static void ccw_machine_##suffix##_class_init(ObjectClass *oc, void *data) { }

DEFINE_CCW_MACHINE(2_12, "2.12", true);
DEFINE_CCW_MACHINE(2_11, "2.11", false);

#ifdef CONFIG_S390X_LEGACY_CPUS
DEFINE_CCW_MACHINE(2_5, "2.5", false);
#endif
