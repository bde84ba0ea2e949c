/* Suggest fixture: x86 CPU properties whose defaults guests see. */
#include "qemu/osdep.h"
#include "cpu.h"

static const Property x86_cpu_properties[] = {
    DEFINE_PROP_BOOL("check", X86CPU, check_cpuid, true),
    DEFINE_PROP_BOOL("x-hint", X86CPU, hint, false),
};

static const TypeInfo x86_cpu_type_info = {
    .name = TYPE_X86_CPU,
    .parent = TYPE_CPU,
};
