/* Object ids as plain bytes, so modules above `repo` never see libgit2 types. */
#ifndef MT_OID_H
#define MT_OID_H

#include <stdbool.h>
#include <stddef.h>

#define MT_OID_RAWSZ 20
#define MT_OID_HEXSZ 40

struct mt_oid {
	unsigned char id[MT_OID_RAWSZ];
};

/* Writes 40 hex digits and a NUL into out (at least MT_OID_HEXSZ + 1 bytes). */
void oid_to_hex(char *out, const struct mt_oid *oid);
/* Writes the first `len` hex digits (len <= 40) and a NUL. */
void oid_to_short(char *out, size_t len, const struct mt_oid *oid);
/* The 12-digit form used in messages and reports, written into buf; returns buf. */
#define OID_SHORT_SIZE 13
const char *oid_short(char buf[OID_SHORT_SIZE], const struct mt_oid *oid);
/* Parses exactly 40 hex digits; returns 0 or -1. */
int oid_from_hex(struct mt_oid *out, const char *hex);
/* The value of one hex digit (either case), or -1. */
int hex_digit_value(char c);
int oid_cmp(const struct mt_oid *a, const struct mt_oid *b);
bool oid_equal(const struct mt_oid *a, const struct mt_oid *b);
bool oid_is_zero(const struct mt_oid *oid);

#endif
