#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * One message per thread, as libgit2 keeps its last error: errors travel up
 * as return codes and the text is set once where the failure is understood.
 */
static _Thread_local char last_error[1024];

/*
 * A message is one line on a terminal whatever it quotes: names from a
 * hostile repository or file (a ref, a path, a JSON key) may hold newlines or
 * escape sequences, so control characters are shown as '?'.
 */
static void make_printable(char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
	}
}

static void set_message(const char *fmt, va_list ap)
{
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	make_printable(last_error);
}

int mt_error_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(fmt, ap);
	va_end(ap);
	return MT_ERROR;
}

int mt_error_code(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(fmt, ap);
	va_end(ap);
	return code;
}

void mt_error_prefix(const char *fmt, ...)
{
	char prefix[512], old[sizeof(last_error)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, last_error, sizeof(old));
	if (!old[0])
		strcpy(old, "unknown error");
	/* Long messages are cut, never overflowed: both parts are bounded by hand. */
	{
		size_t np = strnlen(prefix, sizeof(last_error) - 3), no;

		memcpy(last_error, prefix, np);
		memcpy(last_error + np, ": ", 2);
		no = strnlen(old, sizeof(last_error) - np - 3);
		memcpy(last_error + np + 2, old, no);
		last_error[np + 2 + no] = '\0';
	}
	make_printable(last_error);
}

const char *mt_error_last(void)
{
	return last_error[0] ? last_error : "unknown error";
}

void mt_error_clear(void)
{
	last_error[0] = '\0';
}
