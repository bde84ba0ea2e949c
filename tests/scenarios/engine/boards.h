/* Engine test fixture: the lifecycle constants that gate registration of old machines. */
#ifndef HW_BOARDS_H
#define HW_BOARDS_H

#define MACHINE_VER_DEPRECATION_MAJOR 3
#define MACHINE_VER_DELETION_MAJOR 6

#endif
