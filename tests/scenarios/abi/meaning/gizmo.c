/* A PCI device in the shape of the 1.x-2.x era, written for mtcheck's tests. */
#include "hw/pci/pci.h"
#include "migration/vmstate.h"

typedef struct GizmoState {
    PCIDevice parent_obj;
    int32_t ports;
    uint16_t log_max;
    uint64_t start;
    uint32_t irq_level;
    uint8_t cfg[16];
    bool shift_fixed;
    bool native_hotplug;
    bool dma;
    uint32_t queues;
    uint8_t aw_bits;
} GizmoState;

#define GIZMO_HOST_AW 39
#define GIZMO_REMAP_IO_BASE 0x510

static uint16_t gizmo_remap_port(GizmoState *s)
{
    return GIZMO_REMAP_IO_BASE;
}

static uint64_t gizmo_addr_mask(GizmoState *s, uint64_t addr)
{
    return addr & MAKE_64BIT_MASK(0, GIZMO_HOST_AW);
}

void gizmo_board_init(DeviceState *dev, bool dma_requested)
{
    qdev_prop_set_bit(dev, "dma", dma_requested);
    qdev_init_nofail(dev);
}

static bool gizmo_irq_needed(void *opaque)
{
    GizmoState *s = opaque;

    return s->irq_level != 0;
}

static bool gizmo_shift_needed(void *opaque)
{
    GizmoState *s = opaque;

    return s->shift_fixed;
}

static bool gizmo_always(void *opaque)
{
    return true;
}

static bool gizmo_ports_valid(void *opaque, int version_id)
{
    GizmoState *s = opaque;

    return s->ports <= 32;
}

static const VMStateDescription vmstate_gizmo_irq = {
    .name = "gizmo/irq",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_UINT32(irq_level, GizmoState),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_gizmo_shift = {
    .name = "gizmo/shift",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_BOOL(shift_fixed, GizmoState),
        VMSTATE_END_OF_LIST()
    }
};

static const VMStateDescription vmstate_gizmo = {
    .name = "gizmo",
    .version_id = 2,
    .minimum_version_id = 1,
    .fields = (VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, GizmoState),
        VMSTATE_INT32(ports, GizmoState),
        VMSTATE_UINT16(log_max, GizmoState),
        VMSTATE_UINT64(start, GizmoState),
        VMSTATE_UINT8_ARRAY(cfg, GizmoState, 16),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (VMStateSubsection[]) {
        {
            .vmsd = &vmstate_gizmo_irq,
            .needed = gizmo_irq_needed,
        }, {
            /* empty */
        }
    }
};

static Property gizmo_properties[] = {
    DEFINE_PROP_BOOL("native-hotplug", GizmoState, native_hotplug, true),
    DEFINE_PROP_BOOL("dma", GizmoState, dma, false),
    DEFINE_PROP_UINT32("queues", GizmoState, queues, 4),
    DEFINE_PROP_END_OF_LIST(),
};
