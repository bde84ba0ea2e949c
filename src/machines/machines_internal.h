/* Shared between machines.c, compat.c and model.c; not a public interface. */
#ifndef MT_MACHINES_INTERNAL_H
#define MT_MACHINES_INTERNAL_H

#include "machines/csrc.h"
#include "machines/machines.h"
#include "util/strbuf.h"

void render_tokens(struct strbuf *out, const struct csrc_file *f, const struct csrc_token *toks,
		   size_t first, size_t last);
int machines_from_csrc(struct machine_list *out, const struct family *fam, const char *path,
		       const struct csrc_file *f);
int compat_from_csrc(struct compat_list *out, const struct families *fams, const char *path,
		     const struct csrc_file *f);

#endif
