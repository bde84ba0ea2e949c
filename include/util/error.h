/*
 * Error reporting. A failing function sets one message with mt_error_set()
 * and returns a negative code; the command prints mt_error_last() once,
 * prefixed with "mtcheck: ". Messages name what and where
 * ("stable-10.0: no such branch (looked in refs/heads and refs/remotes/<remote>)").
 */
#ifndef MT_ERROR_H
#define MT_ERROR_H

enum {
	MT_OK = 0,
	MT_ERROR = -1,
	MT_ENOTFOUND = -3,
};

/* The process's exit status (design.md); the command returns it, library code never exits. */
enum mt_exit {
	MT_EXIT_OK = 0,       /* no finding at or above --fail-on */
	MT_EXIT_FINDINGS = 1, /* findings at or above --fail-on */
	MT_EXIT_ERROR = 2,    /* usage, input or repository error */
};

/* Sets the message and returns MT_ERROR, so callers can `return mt_error_set(...)`. */
int mt_error_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Like mt_error_set but returns `code`. */
int mt_error_code(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prepends "prefix: " to the current message (adds where, keeps what). */
void mt_error_prefix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The last message, or "unknown error" when none was set. */
const char *mt_error_last(void);
void mt_error_clear(void);

#endif
