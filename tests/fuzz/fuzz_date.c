/*
 * date: any text as a date. A parsed date formats back to the day it names,
 * and a date-only text round-trips exactly.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "fuzz.h"

FUZZ_TARGET(date)
{
	char *text = fuzz_cstring(data, size), day[16];
	int64_t t, u;

	if (date_parse(&t, text) == 0) {
		date_format(day, t);
		assert(strlen(day) == 10);
		assert(date_parse(&u, day) == 0);
		assert(u <= t && t - u < 86400);
		if (strlen(text) == 10)
			assert(!strcmp(day, text));
	}
	free(text);
	return 0;
}
