/*
 * SHA-1, for checking the trailing checksum of pack index files (git's own
 * integrity check of a file mtcheck must not trust). Not for security.
 */
#ifndef MT_SHA1_H
#define MT_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define MT_SHA1_SIZE 20

struct sha1 {
	uint32_t h[5];
	uint64_t len;          /* bytes hashed so far */
	unsigned char buf[64]; /* a partial block */
};

void sha1_init(struct sha1 *s);
void sha1_update(struct sha1 *s, const void *data, size_t len);
void sha1_final(unsigned char out[MT_SHA1_SIZE], struct sha1 *s);

#endif
