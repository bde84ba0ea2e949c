/*
 * qversion: any text as a version. What parses formats back to text that
 * parses to the same version, and compares equal to itself.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util/qversion.h"

FUZZ_TARGET(qversion)
{
	struct qversion v, w;
	char text[64];

	if (qversion_parse_n(&v, (const char *)data, size) < 0)
		return 0;
	assert(v.major >= 0 && v.major <= 9999 && v.minor >= 0 && v.minor <= 9999);
	assert(v.tag[sizeof(v.tag) - 1] == '\0');
	qversion_format(text, sizeof(text), &v);
	assert(qversion_parse(&w, text) == 0);
	assert(qversion_cmp(&v, &w) == 0 && qversion_cmp(&w, &v) == 0);
	assert(qversion_same_minor(&v, &w));
	return 0;
}
