/* The words of ABI001/ABI002 findings: who sees the change, and what to do (rules_abi_advice.c). */
#ifndef MT_RULES_ABI_ADVICE_H
#define MT_RULES_ABI_ADVICE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine_internal.h"

/*
 * `family` in these functions: a blank-separated list of family ids
 * ("q35 i440fx"), the families the change reaches; NULL or empty for all.
 */
/* "pc-q35-10.0, pc-i440fx-10.0": the stream's X.Y machines (of `family` when not NULL). */
void abi_advice_machines(struct strbuf *out, const struct engine_stream *s, const char *family);
/*
 * "pc-q35-10.0.4, ...": the bugfix machines a backport would need, named for
 * the release shipping it, for the families that have none in the stream
 * yet (those that have one go to `existing`, which may be NULL). Returns how
 * many were named.
 */
size_t abi_advice_bugfix(struct strbuf *out, struct strbuf *existing,
			 const struct engine_stream *s, const struct engine_backport *b,
			 const char *family);
/* ABI001's next step for the evidence that decided it. */
void abi_advice_abi001(struct strbuf *out, const struct engine_stream *s,
		       const struct engine_backport *b, const struct abi_evidence *best,
		       const char *family);
/*
 * "pc-q35-7.2, pc-i440fx-7.2 and older": the machines that apply a compat
 * array, of `family`, the families whose code holds it (pc_compat_7_2 in
 * hw/i386/pc.c is the pc machines', hw_compat_7_2 every family's).
 */
void abi_advice_array_machines(struct strbuf *out, const struct engine_stream *s,
			       const struct abi_evidence *ev, const char *family);
/*
 * "pc-q35-2.0, pc-i440fx-2.0 and older": the machines that run the function
 * of machine version `v`, older than the stream's (of `family` when not NULL).
 */
void abi_advice_older_machines(struct strbuf *out, const struct engine_stream *s,
			       const struct qversion *v, const char *family);
/* ABI001's next step for evidence about machine version `v`, older than the stream's. */
void abi_advice_older(struct strbuf *out, const struct engine_stream *s, const struct qversion *v);
/* Its review clause, which suggest gives in place of a bugfix machine: "review whether ...". */
void abi_advice_older_review(struct strbuf *out, const struct engine_stream *s);
/* ABI002's next step: for the stream's own (or a newer) array, or an older one. */
void abi_advice_abi002(struct strbuf *out, const struct engine_stream *s,
		       const struct engine_backport *b, const struct abi_evidence *ev,
		       bool own_or_newer, const char *family);

#endif
