/*
 * ABI test fixture: an i440fx machine file in the 2.0-era shape, written for
 * these tests. Each machine's init function runs the compat function of its
 * version, which runs the next newer one's; the compat functions set globals
 * the board reads and trim CPU models.
 */
#include "hw/hw.h"
#include "hw/i386/pc.h"

static bool has_widget_bus = true;
static bool gigabyte_align = true;
static bool smbios_tables = true;

static void pc_init1(QEMUMachineInitArgs *args, int pci_enabled)
{
    if (has_widget_bus) {
        widget_bus_create(args);
    }
}

static void pc_init_pci(QEMUMachineInitArgs *args)
{
    pc_init1(args, 1);
}

static void pc_compat_1_7(QEMUMachineInitArgs *args)
{
    smbios_tables = false;
    gigabyte_align = false;
    x86_cpu_compat_disable_kvm_features(FEAT_1_ECX, CPUID_EXT_X2APIC);
}

static void pc_compat_1_6(QEMUMachineInitArgs *args)
{
    pc_compat_1_7(args);
    has_widget_bus = false;
}

static void pc_init_pci_1_7(QEMUMachineInitArgs *args)
{
    pc_compat_1_7(args);
    pc_init_pci(args);
}

static void pc_init_pci_1_6(QEMUMachineInitArgs *args)
{
    pc_compat_1_6(args);
    pc_init_pci(args);
}

static void pc_init_pci_no_kvmclock(QEMUMachineInitArgs *args)
{
    pc_init1(args, 0);
}

#define PC_I440FX_0_13_MACHINE_OPTIONS \
    .desc = "Standard PC", \
    .init = pc_init_pci_no_kvmclock

static QEMUMachine pc_i440fx_machine_v2_0 = {
    .name = "pc-i440fx-2.0",
    .alias = "pc",
    .init = pc_init_pci,
    .is_default = 1,
};

static QEMUMachine pc_i440fx_machine_v1_7 = {
    .name = "pc-i440fx-1.7",
    .init = pc_init_pci_1_7,
};

static QEMUMachine pc_i440fx_machine_v1_6 = {
    .name = "pc-i440fx-1.6",
    .init = pc_init_pci_1_6,
};

static QEMUMachine pc_machine_v0_13 = {
    PC_I440FX_0_13_MACHINE_OPTIONS,
    .name = "pc-0.13",
};

static QEMUMachine pc_machine_v0_12 = {
    PC_I440FX_0_13_MACHINE_OPTIONS,
    .name = "pc-0.12",
};
