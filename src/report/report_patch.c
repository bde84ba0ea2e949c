/* A patch in the mail form `git format-patch` writes and `git am` reads. */
#include "report/report_patch.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "util/sha1.h"

static void patch_id(char hex[41], const struct patch_mail *m)
{
	unsigned char raw[MT_SHA1_SIZE];
	struct sha1 s;
	size_t i;

	sha1_init(&s);
	sha1_update(&s, m->subject, strlen(m->subject));
	sha1_update(&s, m->body, strlen(m->body));
	sha1_update(&s, m->diff, strlen(m->diff));
	sha1_final(raw, &s);
	for (i = 0; i < MT_SHA1_SIZE; i++) {
		hex[2 * i] = "0123456789abcdef"[raw[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[raw[i] & 15];
	}
	hex[40] = '\0';
}

void report_patch_format(struct strbuf *out, const struct patch_mail *m, size_t n, size_t total)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t t = (time_t)m->time;
	struct tm tm;
	char hex[41];

	patch_id(hex, m);
	memset(&tm, 0, sizeof(tm));
	gmtime_r(&t, &tm);
	strbuf_addf(out, "From %s Mon Sep 17 00:00:00 2001\n", hex);
	strbuf_addf(out, "From: %s\n", m->from);
	strbuf_addf(out, "Date: %s, %d %s %d %02d:%02d:%02d +0000\n", days[tm.tm_wday % 7],
		    tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
	if (total > 1)
		strbuf_addf(out, "Subject: [PATCH %zu/%zu] %s\n\n", n, total, m->subject);
	else
		strbuf_addf(out, "Subject: [PATCH] %s\n\n", m->subject);
	strbuf_addstr(out, m->body);
	strbuf_addstr(out, "---\n");
	strbuf_addstr(out, m->diff);
	strbuf_addf(out, "-- \nmtcheck %s\n\n", m->version);
}

void report_patch_filename(struct strbuf *out, const char *subject, size_t n)
{
	size_t start, i;
	bool dash = false;

	strbuf_addf(out, "%04zu-", n);
	start = out->len;
	for (i = 0; subject[i] && out->len - start < 52; i++) {
		unsigned char c = (unsigned char)subject[i];

		if (isalnum(c) || c == '.' || c == '_') {
			if (dash && out->len > start)
				strbuf_addch(out, '-');
			strbuf_addch(out, (char)c);
			dash = false;
		} else {
			dash = true;
		}
	}
	while (out->len > start && out->buf[out->len - 1] == '.')
		strbuf_setlen(out, out->len - 1);
	strbuf_addstr(out, ".patch");
}
