/* The jobs module's parts: the memo of classifications and the workers' wire format. */
#ifndef MT_JOBS_INTERNAL_H
#define MT_JOBS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "jobs/jobs.h"
#include "util/oidmap.h"
#include "util/strbuf.h"

/* Classifications by commit, one map per kind: commit -> struct abi_evidence_list *. */
struct jobs_memo {
	struct oidmap lists[2];
};

void jobs_memo_init(struct jobs_memo *memo);
void jobs_memo_release(struct jobs_memo *memo);
/* The remembered list, or NULL. */
const struct abi_evidence_list *jobs_memo_get(const struct jobs_memo *memo, enum jobs_kind kind,
					      const struct mt_oid *commit);
/* Remembers `list`, taking it; released instead when the memo has one already. */
void jobs_memo_put(struct jobs_memo *memo, enum jobs_kind kind, const struct mt_oid *commit,
		   struct abi_evidence_list *list);

/*
 * A classification result as a record on the wire (jobs_wire.c): appended
 * to `sb`; read back from `len` bytes (false when they are not one whole,
 * well-formed record; `out` may then hold part of it, to release). A
 * record starts with its length, 4 bytes, which jobs_wire_length reads.
 */
#define JOBS_WIRE_MIN 12
void jobs_wire_put(struct strbuf *sb, bool ok, const struct abi_evidence_list *list);
bool jobs_wire_get(bool *ok, struct abi_evidence_list *out, const unsigned char *record,
		   size_t len);
size_t jobs_wire_length(const unsigned char *record);

#endif
