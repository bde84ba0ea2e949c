/* Compat arrays in every form mtcheck reads. */
GlobalProperty hw_compat_7_2[] = {
    { "e1000e", "migrate-timadj", "off" },
    { TYPE_PCI_DEVICE, "x-pcie-err-unc-mask", "off" },
    { "virtio-mem", "x-early-migration", "false", .optional = true },
};
const size_t hw_compat_7_2_len = G_N_ELEMENTS(hw_compat_7_2);

GlobalProperty pc_compat_2_12[] = {
    { "Opteron_G3" "-" TYPE_X86_CPU, "rdtscp", "off" },
    { .driver = "migration", .property = "decompress-error-check", .value = "off", },
    PC_CPU_MODEL_IDS("2.12"),
};

GlobalProperty hw_compat_10_1[] = {};
const size_t hw_compat_10_1_len = G_N_ELEMENTS(hw_compat_10_1);

#if 0
GlobalProperty hw_compat_1_0[] = {
    { "dead", "code", "on" },
};
#endif

#define HW_COMPAT_2_5 \
    HW_COMPAT_2_6 \
    {\
        .driver   = "isa-fdc",\
        .property = "fallback",\
        .value    = "144",\
    },{\
        .driver   = "pvscsi",\
        .property = "x-old-pci-configuration",\
        .value    = "on",\
    },

static void spapr_machine_2_11_class_options(MachineClass *mc)
{
    static GlobalProperty compat[] = {
        { TYPE_SPAPR_MACHINE, "pre-2.12-migration", "on" },
    };

    compat_props_add(mc->compat_props, compat, G_N_ELEMENTS(compat));
}
