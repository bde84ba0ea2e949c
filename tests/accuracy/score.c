/*
 * accuracy-score LIST FINDINGS.json [BACKPORTS.json...]: prints precision and
 * recall of mtcheck's findings against the labelled list (see accuracy.h).
 * Exit 0 with the report, 2 with one line on stderr when an input is bad.
 */
#include <stdio.h>
#include <stdlib.h>

#include "accuracy.h"

static int apply(struct acc_list *l, const char *path, bool findings, char *err)
{
	char *text;
	int ret;

	if (acc_read_file(&text, path, err) < 0)
		return -1;
	ret = findings ? acc_apply_findings(l, path, text, err) : acc_apply_backports(l, path, text, err);
	free(text);
	return ret;
}

int main(int argc, char **argv)
{
	char err[ACC_ERRSZ];
	struct acc_list l;

	if (argc < 3) {
		fprintf(stderr, "usage: accuracy-score LIST FINDINGS.json [BACKPORTS.json...]\n");
		return 2;
	}
	if (acc_list_load(&l, argv[1], err) < 0)
		goto fail;
	if (apply(&l, argv[2], true, err) < 0)
		goto fail_list;
	for (int i = 3; i < argc; i++)
		if (apply(&l, argv[i], false, err) < 0)
			goto fail_list;
	acc_report(stdout, &l);
	acc_list_release(&l);
	return 0;
fail_list:
	acc_list_release(&l);
fail:
	fprintf(stderr, "accuracy-score: %s\n", err);
	return 2;
}
