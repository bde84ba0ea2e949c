#ifndef HW_BOARDS_H
#define HW_BOARDS_H
/* test text: a tree that shortened the cycle */
#define MACHINE_VER_DELETION_MAJOR 5
#define MACHINE_VER_DEPRECATION_MAJOR 2
#endif
