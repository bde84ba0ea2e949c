/* Suggest fixture: compat array declarations of a 5.x-era tree (no lifecycle constants yet). */
#ifndef HW_BOARDS_H
#define HW_BOARDS_H

extern GlobalProperty hw_compat_4_2[];
extern const size_t hw_compat_4_2_len;

#endif
