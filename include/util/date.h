/* Calendar dates in UTC, without the C library's time zone state. */
#ifndef MT_DATE_H
#define MT_DATE_H

#include <stdint.h>

/*
 * Parses "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SSZ" into seconds
 * since the epoch. Returns 0, or -1 for anything else, including impossible
 * dates such as 2026-02-30.
 */
int date_parse(int64_t *out, const char *text);
/* Writes "YYYY-MM-DD" and a NUL into out (at least 11 bytes). */
void date_format(char *out, int64_t seconds);
/* The year (UTC) of a time in seconds since the epoch. */
int date_year(int64_t seconds);

#endif
