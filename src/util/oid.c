#include "util/oid.h"

#include <string.h>

static const char hexdigits[] = "0123456789abcdef";

const char *oid_short(char buf[OID_SHORT_SIZE], const struct mt_oid *oid)
{
	oid_to_short(buf, OID_SHORT_SIZE - 1, oid);
	return buf;
}

void oid_to_hex(char *out, const struct mt_oid *oid)
{
	oid_to_short(out, MT_OID_HEXSZ, oid);
}

void oid_to_short(char *out, size_t len, const struct mt_oid *oid)
{
	size_t i;

	if (len > MT_OID_HEXSZ)
		len = MT_OID_HEXSZ;
	for (i = 0; i < len; i++) {
		unsigned char byte = oid->id[i / 2];
		out[i] = hexdigits[i % 2 ? byte & 0xf : byte >> 4];
	}
	out[len] = '\0';
}

int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int oid_from_hex(struct mt_oid *out, const char *hex)
{
	size_t i;

	for (i = 0; i < MT_OID_RAWSZ; i++) {
		int hi = hex_digit_value(hex[2 * i]), lo;

		if (hi < 0)
			return -1;
		lo = hex_digit_value(hex[2 * i + 1]);
		if (lo < 0)
			return -1;
		out->id[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int oid_cmp(const struct mt_oid *a, const struct mt_oid *b)
{
	return memcmp(a->id, b->id, MT_OID_RAWSZ);
}

bool oid_equal(const struct mt_oid *a, const struct mt_oid *b)
{
	return !oid_cmp(a, b);
}

bool oid_is_zero(const struct mt_oid *oid)
{
	static const struct mt_oid zero;

	return oid_equal(oid, &zero);
}
