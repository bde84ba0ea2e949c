/*
 * QEMU version numbers as machine types, tags and VERSION files use them:
 * "10.0", "4.0.1" (a bugfix micro), "2.12-sxxm" (a tagged machine),
 * "2.8.1.1" (a rare four-part release tag), "10.0.50" (development).
 */
#ifndef MT_QVERSION_H
#define MT_QVERSION_H

#include <stdbool.h>
#include <stddef.h>

#define QVERSION_TAG_MAX 32

struct qversion {
	int major;
	int minor;
	int micro; /* -1 when absent ("10.0") */
	int nano;  /* -1 when absent; only four-part tags have it */
	char tag[QVERSION_TAG_MAX]; /* "" or the suffix after '-' ("sxxm") */
};

/*
 * Parses "M.m", "M.m.u", "M.m.u.n", each optionally followed by "-tag"
 * (letters, digits, '_' and '.'). Numbers are decimal without leading signs,
 * at most 9999. Returns 0, or -1 for anything else.
 */
int qversion_parse(struct qversion *out, const char *text);
/* Same, for the first `len` bytes of text. */
int qversion_parse_n(struct qversion *out, const char *text, size_t len);

/*
 * Orders by major, minor, micro (absent sorts before 0), nano, then tag
 * (untagged first, then by name): 4.0 < 4.0-foo < 4.0.1 < 4.1.
 */
int qversion_cmp(const struct qversion *a, const struct qversion *b);
/* Same major and minor. */
bool qversion_same_minor(const struct qversion *a, const struct qversion *b);

/* Writes the canonical text ("4.0.1", "2.12-sxxm") into out; returns out. */
char *qversion_format(char *out, size_t outsz, const struct qversion *v);

/* A VERSION file's development and rc builds: micro >= 50 ("10.0.50", "10.1.90"). */
bool qversion_is_development(const struct qversion *v);

#endif
