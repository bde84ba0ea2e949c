/* Helpers shared by the fuzz targets (linked into both the fuzzers and the test runner). */
#include "fuzz.h"

#include <string.h>

#include "util/xalloc.h"

char *fuzz_cstring(const uint8_t *data, size_t size)
{
	const uint8_t *nul = size ? memchr(data, 0, size) : NULL;

	if (!size)
		return xstrndup("", 0);

	return xstrndup((const char *)data, nul ? (size_t)(nul - data) : size);
}
