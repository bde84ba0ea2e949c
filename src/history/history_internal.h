/* Shared between the history_*.c files; not part of the module's interface. */
#ifndef MT_HISTORY_INTERNAL_H
#define MT_HISTORY_INTERNAL_H

#include "history/history.h"

/* "stable-X.Y", "stable-X.Y-staging", "staging-X.Y"; returns 0 or -1. */
int history_parse_stream_name(enum stream_kind *kind, int *major, int *minor, const char *name);

/* The non-rc release vX.Y.micro (three parts, or the old two-part vX.Y for micro 0), or NULL. */
const struct mt_release *history_find_release(const struct mt_history *h, int major, int minor,
					      int micro);

/* Frees the master indexes (history_upstream.c). */
void history_indexes_release(struct mt_history *h);

/*
 * Fills the upstream fields of every backport in list[0..n): trailers first,
 * checked against master; patch id against master commits since `base` when
 * no trailer names a master commit.
 */
int history_match_upstream(struct mt_history *h, const struct mt_oid *base,
			   struct mt_backport *list, size_t n,
			   struct trailer_list *trailers);

/* Adds a note (printf-style) to a backport. */
void backport_note(struct mt_backport *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The `Fixes:` trailers of master (history_followups.c), collected as the graph is read. */
struct history_followups *history_followups_new(void);
void history_followups_free(struct history_followups *f);
/* A repo_graph_message_fn; `payload` is the struct history_followups. */
void history_followups_collect(const struct mt_oid *commit, const char *message, size_t len,
			       void *payload);

#endif
