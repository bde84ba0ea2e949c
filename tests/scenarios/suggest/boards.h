/* Suggest fixture: lifecycle constants and compat array declarations, QEMU-shaped. */
#ifndef HW_BOARDS_H
#define HW_BOARDS_H

#define MACHINE_VER_DEPRECATION_MAJOR 3
#define MACHINE_VER_DELETION_MAJOR 6

extern GlobalProperty hw_compat_9_2[];
extern const size_t hw_compat_9_2_len;

#endif
