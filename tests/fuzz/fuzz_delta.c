/*
 * pack_delta_apply: any bytes as a base and a git delta against it (the
 * first byte gives the base's length, modulo what is there). A delta either
 * builds exactly the size its header states, copying only from inside the
 * base, or is refused; never a read or write out of bounds (ASan watches).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "repo/repo_internal.h"

FUZZ_TARGET(delta)
{
	const uint8_t *base, *delta;
	size_t base_len, delta_len, out_len = 0, i;
	uint64_t stated = 0;
	unsigned shift = 0;
	unsigned char *out;

	if (size < 1)
		return 0;
	base_len = data[0] % size;
	base = data + 1;
	if (base_len > size - 1)
		base_len = size - 1;
	delta = base + base_len;
	delta_len = size - 1 - base_len;
	out = pack_delta_apply(base, base_len, delta, delta_len, &out_len);
	if (!out)
		return 0;
	/* The result's size is the delta's second number. */
	for (i = 0; i < delta_len && (delta[i] & 0x80); i++)
		;
	for (i++; i < delta_len && shift < 64; i++) {
		stated |= (uint64_t)(delta[i] & 0x7f) << shift;
		shift += 7;
		if (!(delta[i] & 0x80))
			break;
	}
	assert(out_len == stated);
	assert(out[out_len] == '\0');
	free(out);
	return 0;
}
