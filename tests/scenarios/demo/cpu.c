/*
 * Demo fixture for mtcheck: a slice of an x86 CPU model table and its
 * properties, QEMU-shaped, written for the demo.
 */
#include "qemu/osdep.h"
#include "cpu.h"

static const X86CPUDefinition builtin_x86_defs[] = {
    {
        .name = "EPYC-Demo",
        .level = 0xd,
        .vendor = CPUID_VENDOR_AMD,
        .features[FEAT_1_EDX] = CPUID_FP87 | CPUID_VME | CPUID_DE,
        .features[FEAT_7_0_EDX] = 0,
        .versions = (X86CPUVersionDefinition[]) {
            { .version = 1 },
            { /* end of list */ }
        },
    },
};

static const Property x86_cpu_properties[] = {
    DEFINE_PROP_BOOL("pmu", X86CPU, enable_pmu, false),
    DEFINE_PROP_BOOL("check", X86CPU, check_cpuid, true),
};
