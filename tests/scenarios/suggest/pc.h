/* Suggest fixture: the x86 compat array declarations. */
#ifndef HW_I386_PC_H
#define HW_I386_PC_H

extern GlobalProperty pc_compat_9_2[];
extern const size_t pc_compat_9_2_len;

#endif
