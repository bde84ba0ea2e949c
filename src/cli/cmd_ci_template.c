/*
 * mtcheck ci-template gitlab|pre-push: prints a CI job or a git hook that
 * runs mtcheck where maintainers work. The texts are the tested ones: the
 * test suite runs the GitLab job's script in a clone made as GitLab makes
 * it, and the hook under a real `git push`; the man page's CI section is a
 * copy that a test compares with them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "util/error.h"
#include "util/xalloc.h"

static const char gitlab_job[] =
	"# mtcheck: QEMU's machine-type policy on merge requests to stable-X.Y.\n"
	"# Include this file from .gitlab-ci.yml (include: local: mtcheck.gitlab-ci.yml)\n"
	"# and run it in an image with git and mtcheck. GitLab's default clone (20\n"
	"# commits, no tags, only the merge request's branch) is enough: ci-setup\n"
	"# fetches master, the stable branches, the v* tags and the history needed.\n"
	"# Only the merge request's own findings count (--since its target branch).\n"
	"mtcheck:\n"
	"  stage: test\n"
	"  rules:\n"
	"    - if: $CI_MERGE_REQUEST_TARGET_BRANCH_NAME =~ /^stable-[0-9]+[.][0-9]+$/\n"
	"  script:\n"
	"    - STREAM=\"${CI_MERGE_REQUEST_TARGET_BRANCH_NAME#stable-}\"\n"
	"    - mtcheck ci-setup HEAD --stream \"$STREAM\"\n"
	"    - set -- HEAD --stream \"$STREAM\" --since \"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\"\n"
	"    - mtcheck check \"$@\" --fail-on none --format codequality > gl-code-quality-report.json\n"
	"    - mtcheck check \"$@\" --fail-on none --format sarif > mtcheck.sarif\n"
	"    - mtcheck check \"$@\" --fail-on none --format markdown > mtcheck.md\n"
	"    - mtcheck check \"$@\"\n"
	"  artifacts:\n"
	"    when: always\n"
	"    reports:\n"
	"      codequality: gl-code-quality-report.json\n"
	"    paths:\n"
	"      - mtcheck.sarif\n"
	"      - mtcheck.md\n";

static const char pre_push_hook[] =
	"#!/bin/sh\n"
	"# mtcheck pre-push hook: a push to stable-X.Y or staging-X.Y is checked\n"
	"# against QEMU's machine-type policy first, and errors stop it. Install:\n"
	"#   mtcheck ci-template pre-push > .git/hooks/pre-push\n"
	"#   chmod +x .git/hooks/pre-push\n"
	"# Skip it once with git push --no-verify.\n"
	"remote=\"$1\"\n"
	"status=0\n"
	"while read -r local_ref local_sha remote_ref remote_sha; do\n"
	"\tcase \"$remote_ref\" in\n"
	"\trefs/heads/stable-*|refs/heads/staging-*) ;;\n"
	"\t*) continue ;;\n"
	"\tesac\n"
	"\tcase \"$local_sha\" in *[!0]*) ;; *) continue ;; esac # a deletion\n"
	"\tbranch=\"${remote_ref#refs/heads/}\"\n"
	"\t# The local branch by name when it is one, so reports name the stream.\n"
	"\tref=\"$local_sha\"\n"
	"\tcase \"$local_ref\" in refs/heads/*) ref=\"${local_ref#refs/heads/}\" ;; esac\n"
	"\tstream=\"${branch#stable-}\"; stream=\"${stream#staging-}\"; stream=\"${stream%-staging}\"\n"
	"\tsince=\n"
	"\tcase \"$remote_sha\" in\n"
	"\t*[!0]*) git cat-file -e \"$remote_sha^{commit}\" 2>/dev/null && since=\"$remote_sha\" ;;\n"
	"\tesac\n"
	"\tif [ -z \"$since\" ] &&\n"
	"\t   git rev-parse -q --verify \"refs/remotes/$remote/stable-$stream\" >/dev/null; then\n"
	"\t\tsince=\"refs/remotes/$remote/stable-$stream\"\n"
	"\tfi\n"
	"\techo \"mtcheck: checking $branch${since:+ since $since}\" >&2\n"
	"\tif [ -n \"$since\" ]; then\n"
	"\t\tmtcheck check \"$ref\" --stream \"$stream\" --since \"$since\" >&2 || status=1\n"
	"\telse\n"
	"\t\tmtcheck check \"$ref\" --stream \"$stream\" >&2 || status=1\n"
	"\tfi\n"
	"done\n"
	"if [ \"$status\" -ne 0 ]; then\n"
	"\techo \"mtcheck: push stopped; fix the findings above, or push with --no-verify\" >&2\n"
	"fi\n"
	"exit \"$status\"\n";

static const struct {
	const char *name;
	const char *text;
} templates[] = {
	{ "gitlab", gitlab_job },
	{ "pre-push", pre_push_hook },
};

static int run_ci_template(int argc, char **argv, struct mt_options *opts);

const struct command command_ci_template = {
	.name = "ci-template",
	.run = run_ci_template,
	.usage = "ci-template gitlab|pre-push",
	.summary = "print a GitLab CI job or a git pre-push hook that runs mtcheck",
	.help = "  gitlab                   a merge-request job for .gitlab-ci.yml (Code Quality,\n"
		"                           SARIF and Markdown reports as artifacts)\n"
		"  pre-push                 a hook that checks pushes to stable-X.Y and\n"
		"                           staging-X.Y branches and stops them on errors\n",
	.formats = MT_FORMAT_TEXT,
};

static int run_ci_template(int argc, char **argv, struct mt_options *opts)
{
	char **pos = xcalloc((size_t)argc + 1, sizeof(*pos));
	int npos = 0, ret = MT_EXIT_ERROR;
	size_t i;

	if (cli_parse(opts, &command_ci_template, NULL, argc, argv, pos, &npos) < 0)
		goto fail;
	if (npos != 1) {
		mt_error_set("ci-template: expected one name: gitlab or pre-push");
		goto fail;
	}
	for (i = 0; i < sizeof(templates) / sizeof(*templates); i++) {
		if (!strcmp(pos[0], templates[i].name)) {
			fputs(templates[i].text, stdout);
			ret = MT_EXIT_OK;
			goto out;
		}
	}
	mt_error_set("ci-template: unknown template '%s' (use gitlab or pre-push)", pos[0]);
fail:
	ret = cli_fail();
out:
	free(pos);
	return ret;
}
