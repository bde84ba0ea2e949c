/*
 * Where mtcheck's data files (rules/NAME.json) are: --rules DIR, else
 * $MTCHECK_RULES, else beside the binary: `rules/` or `../rules/` for a
 * binary in the source tree (build/mtcheck), `../share/mtcheck/rules` for an
 * installed one. No environment is needed when run from anywhere.
 */
#ifndef MT_RULESDIR_H
#define MT_RULESDIR_H

#include "util/strbuf.h"

/*
 * Sets out to the directory: `option` (--rules DIR; NULL when not given),
 * else $MTCHECK_RULES, else beside `argv0`, the program as started. An
 * error names what was tried.
 */
int rules_dir_find(struct strbuf *out, const char *option, const char *argv0);
/* Appends "<dir>/<name>" to out. */
void rules_dir_file(struct strbuf *out, const char *dir, const char *name);

#endif
