/* Suggest fixture: the x86 compat array declarations of a 5.x-era tree. */
#ifndef HW_I386_PC_H
#define HW_I386_PC_H

extern GlobalProperty pc_compat_4_2[];
extern const size_t pc_compat_4_2_len;

#endif
