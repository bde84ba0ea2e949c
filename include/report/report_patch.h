/*
 * report_patch: one patch of a series in `git format-patch` form, the mail
 * `git am` reads: "From <id> Mon Sep 17 00:00:00 2001", From:, Date:,
 * Subject: [PATCH n/m], the message, "---", the diff and a signature.
 * The id is the SHA-1 of the patch's own text (there is no commit yet), so
 * the same input gives the same bytes.
 */
#ifndef MT_REPORT_PATCH_H
#define MT_REPORT_PATCH_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

struct patch_mail {
	const char *from;    /* "Name <email>" */
	int64_t time;        /* seconds since the epoch, written in UTC */
	const char *subject; /* one line, without [PATCH] */
	const char *body;    /* the message after the subject, lines ending in newlines */
	const char *diff;    /* git diff text */
	const char *version; /* the tool's, for the signature */
};

/* Appends patch n of total (total 1: "[PATCH]"). */
void report_patch_format(struct strbuf *out, const struct patch_mail *m, size_t n, size_t total);
/* "0001-add-bugfix-machine-pc-q35-10.0.4.patch": format-patch's file name for patch n. */
void report_patch_filename(struct strbuf *out, const char *subject, size_t n);

#endif
