/* An x86-CPU-shaped file written for mtcheck's tests. */
#include "cpu.h"

static FeatureWordInfo feature_word_info[FEATURE_WORDS] = {
    [FEAT_7_0_EDX] = {
        .feat_names = {
            NULL, NULL, "avx512-4vnniw", "avx512-4fmaps",
            NULL, NULL, NULL, NULL,
        },
    },
};

static X86CPUDefinition builtin_x86_defs[] = {
    {
        .name = "Widgetlake-Client",
        .level = 0xd,
        .vendor = CPUID_VENDOR_INTEL,
        .family = 6,
        .features[FEAT_1_EDX] =
            CPUID_SSE2 | CPUID_SSE | CPUID_FXSR,
        .features[FEAT_7_0_EBX] =
            CPUID_7_0_EBX_FSGSBASE | CPUID_7_0_EBX_BMI1,
        .xlevel = 0x80000008,
        .model_id = "Widget Core Processor",
        .versions = (X86CPUVersionDefinition[]) {
            { .version = 1 },
            { 0 /* end of list */ }
        }
    },
    {
        .name = "Gadget-Server",
        .level = 0xd,
        .vendor = CPUID_VENDOR_AMD,
        .family = 23,
        .features[FEAT_1_ECX] =
            CPUID_EXT_SSE3 | CPUID_EXT_PCLMULQDQ,
        .model_id = "Gadget Server Processor",
    },
};

void cpu_x86_cpuid(CPUX86State *env, uint32_t index, uint32_t count,
                   uint32_t *eax, uint32_t *ebx, uint32_t *ecx, uint32_t *edx)
{
    switch (index) {
    case 7:
        *ebx = env->features[FEAT_7_0_EBX];
        *edx = env->features[FEAT_7_0_EDX];
        break;
    default:
        *eax = *ebx = *ecx = *edx = 0;
        break;
    }
}

static void x86_cpu_dump_state(CPUState *cs, FILE *f, int flags)
{
    qemu_fprintf(f, "EAX=%08x\n", 0);
}
