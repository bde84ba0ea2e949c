/*
 * A commit subject as a matching key. A cherry-pick keeps the subject, but a
 * stable branch may prefix it ("[stable-8.0] ...", "[PATCH v2] ...") or wrap
 * it differently; the key ignores leading bracketed tags and differences in
 * whitespace, so both sides of a backport get the same key. A revert of a
 * revert (`Reapply "S"`) gets the key of S: it is S's patch again.
 */
#ifndef MT_SUBJECT_H
#define MT_SUBJECT_H

#include <stddef.h>
#include <stdint.h>

/*
 * The key of the first paragraph of `text` (a raw message or a subject
 * already joined into one line), `len` bytes. 0 means no key: the subject is
 * empty once tags and whitespace are gone, and matches nothing.
 */
uint64_t subject_key(const char *text, size_t len);

#endif
