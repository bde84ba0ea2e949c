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

static int gizmo_slots(int n)
{
    return n > 32 ? 32 : n;
}
