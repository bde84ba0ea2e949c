#ifndef HW_GIZMO_H
#define HW_GIZMO_H

/* Where the gizmo sits in the guest's I/O space. */
#define GIZMO_IO_BASE       0x0510
#define GIZMO_IO_SIZE       0x10
#define GIZMO_ADDR_MASK     0xfff0
#define GIZMO_MMIO_ADDR     0xfed10000
#define GIZMO_REGS(n)       (GIZMO_IO_BASE + (n))

#endif
