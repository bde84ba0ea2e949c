/* acpi-expected: the test suite's expected ACPI tables changed, so the default machine's tables did. */
#include <string.h>

#include "abi_internal.h"
#include "strbuf.h"

void abi_acpi_scan(struct abi_evidence_list *out, const struct abi_config *config,
		   const struct abi_file *file)
{
	const struct abi_acpi_rules *rules = &config->acpi;
	const char *what = file->status == 'A' ? "added" : file->status == 'D' ? "removed" : "changed";
	struct strbuf detail = STRBUF_INIT;

	if (!abi_globs_match(&rules->paths, file->path) ||
	    abi_globs_match(&rules->exclude, file->path))
		return;
	strbuf_addf(&detail, "expected ACPI table %s", what);
	abi_evidence_add(out, rules->signal, rules->signal->strength, file->path, 0,
			 file->status == 'D', NULL, NULL, NULL, detail.buf);
	strbuf_release(&detail);
}
