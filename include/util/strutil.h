/* Small string comparisons shared by modules that hold optional (NULL) strings. */
#ifndef MT_STRUTIL_H
#define MT_STRUTIL_H

#include <stdbool.h>

/* Equal texts, or both NULL. */
bool str_equal(const char *a, const char *b);
/* A qsort comparator for an array of char *. */
int str_ptr_cmp(const void *a, const void *b);

#endif
