/* An x86-CPU-shaped file with a model table, written for mtcheck's tests. */
#include "cpu.h"

static FeatureWordInfo feature_word_info[FEATURE_WORDS] = {
    [FEAT_1_EDX] = {
        .cpuid_eax = 1, .cpuid_reg = R_EDX,
    },
    [FEAT_7_0_EDX] = {
        .cpuid_eax = 7, .cpuid_reg = R_EDX,
    },
};

#define TCG_FEATURES (CPUID_SSE2 | CPUID_SSE | CPUID_FXSR)
#define TCG_7_0_EDX_FEATURES CPUID_7_0_EDX_SPEC_CTRL
#define TCG_EXT2_FEATURES (CPUID_EXT2_NX | CPUID_EXT2_RDTSCP)

static X86CPUDefinition builtin_x86_defs[] = {
    {
        .name = "Sprocket",
        .level = 0xd,
        .vendor = CPUID_VENDOR_INTEL,
        .family = 6,
        .features[FEAT_1_EDX] =
            CPUID_SSE2 | CPUID_SSE | CPUID_FXSR,
        .features[FEAT_7_0_EDX] =
            CPUID_7_0_EDX_SPEC_CTRL | CPUID_7_0_EDX_ARCH_CAP,
        .xlevel = 0x80000008,
        .model_id = "Sprocket Processor",
        .versions = (X86CPUVersionDefinition[]) {
            { .version = 1 },
            { 0 /* end of list */ }
        }
    },
    {
        .name = "Ratchet",
        .level = 0xd,
        .features[FEAT_7_0_EDX] =
            CPUID_7_0_EDX_PCONFIG | CPUID_7_0_EDX_SPEC_CTRL |
            CPUID_7_0_EDX_SPEC_CTRL_SSBD,
    },
    {
        .name = "Cog",
        .level = 0xd,
        .vendor = CPUID_VENDOR_AMD,
        .family = 23,
        .features[FEAT_1_EDX] =
            CPUID_SSE2 | CPUID_SSE,
    },
};

void cpu_x86_cpuid(CPUX86State *env, uint32_t index, uint32_t count,
                   uint32_t *eax, uint32_t *ebx, uint32_t *ecx, uint32_t *edx)
{
    switch (index) {
    case 7:
        *edx = env->features[FEAT_7_0_EDX];
        break;
    case 0x80000008:
        *eax = 0x3028;
        *ebx = 0;
        break;
    default:
        *eax = *ebx = *ecx = *edx = 0;
        break;
    }
}

static void x86_cpu_realizefn(DeviceState *dev, Error **errp)
{
    X86CPU *cpu = X86_CPU(dev);
    CPUX86State *env = &cpu->env;

    if (cpu->apic_id > 255) {
        error_setg(errp, "APIC ID too large");
        return;
    }
    if (!kvm_enabled()) {
        env->features[FEAT_1_EDX] &= TCG_FEATURES;
        env->features[FEAT_8000_0001_EDX] &= (TCG_EXT2_FEATURES
#ifdef TARGET_X86_64
            | CPUID_EXT2_SYSCALL | CPUID_EXT2_LM
#endif
            );
    }
    qemu_init_vcpu(CPU(dev));
}
