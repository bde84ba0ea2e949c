/* An ACPI table builder in the shape of hw/i386/acpi-build.c, written for mtcheck's tests. */
#include "hw/acpi/aml-build.h"

#define GIZMO_HP_IO_BASE 0x0cc4
#define GIZMO_HP_IO_LEN 0x18

static void build_gizmo_hotplug(Aml *scope)
{
    Aml *dev = aml_device("GZHP");
    Aml *crs = aml_resource_template();

    aml_append(dev, aml_name_decl("_HID", aml_string("PNP0A06")));
    aml_append(crs, aml_io(AML_DECODE16, GIZMO_HP_IO_BASE, GIZMO_HP_IO_BASE, 1,
                           GIZMO_HP_IO_LEN));
    aml_append(dev, aml_name_decl("_CRS", crs));
    aml_append(scope, dev);
}

static void build_gizmo_remap(GArray *table_data, GizmoIommuState *iommu)
{
    GizmoRemapTable *remap = acpi_data_push(table_data, sizeof(*remap));

    remap->host_address_width = GIZMO_HOST_ADDRESS_WIDTH - 1;
    remap->flags = iommu->intr ? 1 : 0;
    remap->io_base = GIZMO_REMAP_IO_BASE;
}

static void build_gizmo_rsdp(GArray *rsdp_table, BIOSLinker *linker)
{
    bios_linker_loader_alloc(linker, GIZMO_RSDP_FILE, rsdp_table, 1, true);
    build_gizmo_rsdp_body(rsdp_table);
}

static int gizmo_slots(int n)
{
    return n > 32 ? 32 : n;
}

static void fadt_setup(GizmoFadt *fadt, GizmoPmInfo *pm)
{
    fadt->sci_int = cpu_to_le16(pm->sci_int);
    fadt->flags = cpu_to_le32(1 << GIZMO_FADT_F_WBINVD);
}

void acpi_build(GizmoGuestInfo *info, GizmoTables *tables)
{
    GArray *offsets = g_array_new(false, true, sizeof(uint32_t));

    acpi_add_table(offsets, tables->table_data);
    build_gizmo_fadt(tables->table_data, tables->linker);
    acpi_add_table(offsets, tables->table_data);

    build_gizmo_madt(tables->table_data, tables->linker);
    acpi_add_table(offsets, tables->table_data);
    if (info->has_hpet) {
        build_gizmo_hpet(tables->table_data, tables->linker);
    }
    build_gizmo_rsdt(tables->table_data, tables->linker, offsets);
}
