/* A growable, always NUL-terminated byte buffer (git's strbuf shape). */
#ifndef MT_STRBUF_H
#define MT_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;     /* never NULL once initialised: points at "" when empty */
	size_t len;
	size_t alloc;  /* 0 while buf points at the shared empty string */
};

extern char strbuf_empty[];
#define STRBUF_INIT { strbuf_empty, 0, 0 }

void strbuf_init(struct strbuf *sb);
/* Frees the contents; the strbuf is empty and reusable afterwards. */
void strbuf_release(struct strbuf *sb);
/* Hands the buffer to the caller, who frees it; the strbuf is reset. */
char *strbuf_detach(struct strbuf *sb, size_t *out_len);
void strbuf_reset(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void strbuf_setlen(struct strbuf *sb, size_t len);

#endif
