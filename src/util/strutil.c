#include "util/strutil.h"

#include <string.h>

bool str_equal(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}
