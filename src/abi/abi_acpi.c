/*
 * acpi-expected: the test suite's expected ACPI tables changed, so the
 * default machine's tables did. A commit that regenerates tables touches
 * dozens of files: one item per directory, naming the first few.
 */
#include <stdlib.h>
#include <string.h>

#include "abi_internal.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define ACPI_NAMED 4

static bool is_table(const struct abi_acpi_rules *rules, const struct abi_file *file)
{
	return abi_globs_match(&rules->paths, file->path) &&
	       !abi_globs_match(&rules->exclude, file->path);
}

bool abi_wants_acpi(const struct abi_config *config, const char *path)
{
	return abi_globs_match(&config->acpi.paths, path) &&
	       !abi_globs_match(&config->acpi.exclude, path);
}

static size_t dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? (size_t)(slash - path) : 0;
}

void abi_acpi_scan(struct abi_evidence_list *out, const struct abi_config *config,
		   const struct abi_file *files, size_t count)
{
	const struct abi_acpi_rules *rules = &config->acpi;
	bool *done = xcalloc(count + 1, sizeof(*done));
	size_t i, j;

	for (i = 0; i < count; i++) {
		struct strbuf detail = STRBUF_INIT, dir = STRBUF_INIT;
		size_t n = 0, dlen;
		bool all_removed = true;

		if (done[i] || !is_table(rules, &files[i]))
			continue;
		dlen = dir_len(files[i].path);
		strbuf_add(&dir, files[i].path, dlen);
		for (j = i; j < count; j++) {
			const struct abi_file *f = &files[j];

			if (done[j] || !is_table(rules, f) || dir_len(f->path) != dlen ||
			    strncmp(f->path, dir.buf, dlen))
				continue;
			done[j] = true;
			all_removed = all_removed && f->status == 'D';
			if (n < ACPI_NAMED)
				strbuf_addf(&detail, "%s%s%s", n ? ", " : "", f->path + dlen + (dlen > 0),
					    f->status == 'A' ? " (new)" : f->status == 'D' ? " (removed)" : "");
			n++;
		}
		if (n > ACPI_NAMED)
			strbuf_addf(&detail, " and %zu more", n - ACPI_NAMED);
		{
			struct strbuf full = STRBUF_INIT;

			strbuf_addf(&full, "expected ACPI tables changed in %s/: %s", dir.buf, detail.buf);
			abi_evidence_add(out, rules->signal, rules->signal->strength, files[i].path, 0,
					 all_removed, dir.buf, NULL, NULL, full.buf);
			strbuf_release(&full);
		}
		strbuf_release(&detail);
		strbuf_release(&dir);
	}
	free(done);
}
