#include "util/jsontext.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/strbuf.h"

/* Length of the valid UTF-8 sequence at p, or 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *p)
{
	size_t n, k;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	}
	/* Overlong forms, surrogates and code points past U+10FFFF are not UTF-8 either. */
	if ((n == 3 && p[0] == 0xe0 && p[1] < 0xa0) || (n == 3 && p[0] == 0xed && p[1] >= 0xa0) ||
	    (n == 4 && p[0] == 0xf0 && p[1] < 0x90) || (n == 4 && p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return n;
}

json_t *json_text(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	json_t *v = json_string(s);

	if (v)
		return v;
	while (*p) {
		size_t n = utf8_sequence(p);

		if (n) {
			strbuf_add(&sb, p, n);
			p += n;
		} else {
			strbuf_addstr(&sb, "\xef\xbf\xbd"); /* U+FFFD */
			p++;
		}
	}
	v = json_string(sb.buf);
	strbuf_release(&sb);
	return v ? v : json_string("");
}

json_t *json_text_or_null(const char *s)
{
	return s ? json_text(s) : json_null();
}

json_t *json_oid_or_null(bool has, const struct mt_oid *oid)
{
	char hex[MT_OID_HEXSZ + 1];

	if (!has)
		return json_null();
	oid_to_hex(hex, oid);
	return json_string(hex);
}

void json_dump_to(struct strbuf *out, json_t *root)
{
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	/* It fails only for want of memory: the strings are valid UTF-8 (json_text). */
	if (!text) {
		fputs("mtcheck: out of memory writing JSON\n", stderr);
		abort();
	}
	strbuf_addstr(out, text);
	strbuf_addch(out, '\n');
	free(text);
	json_decref(root);
}
