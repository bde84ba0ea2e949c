/*
 * mtcheck ci-setup [REF] [--stream X.Y | --all]: makes the clone a CI job
 * has into one mtcheck can answer from. GitLab (and most CI services) clone
 * 20 commits deep, without tags and with only the merge request's branch;
 * mtcheck needs the stream's base tag, master and the other stable branches.
 * This fetches master, the stable-* branches and the v* tags, then deepens
 * the clone just until REF reaches its base tag and its merge-base with
 * master (--all: the whole history, for audit). It is the only command
 * that changes a repository, and only its refs and objects, through git.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "repo/repo.h"
#include "util/error.h"
#include "util/qversion.h"
#include "util/strbuf.h"

/* Deepening starts at this many commits and doubles: 50, 100, ... 25,600. */
#define DEEPEN_FIRST 50
#define DEEPEN_ROUNDS 10

struct setup_args {
	const char *version; /* --stream X.Y */
	const char *remote;  /* --remote NAME */
	const char *master;  /* --master BRANCH */
	int all;
};

static int run_ci_setup(int argc, char **argv, struct mt_options *opts);

const struct command command_ci_setup = {
	.name = "ci-setup",
	.run = run_ci_setup,
	.usage = "ci-setup [REF] [--stream X.Y | --all] [--remote NAME] [--master BRANCH]",
	.summary = "fetch what a CI clone lacks: master, stable branches, v* tags, enough history",
	.help = "REF defaults to HEAD (a merge request's detached head). Changes the clone's refs\n"
		"and objects only, with git; every other command only reads.\n"
		"  --stream X.Y             the stream REF belongs to, when neither its name\n"
		"                           nor its VERSION file says\n"
		"  --all                    fetch the whole history (for audit)\n"
		"  --remote NAME            the remote to fetch from (default: origin)\n"
		"  --master BRANCH          the upstream branch on the remote (default: master)\n",
	.formats = MT_FORMAT_TEXT,
};

struct setup {
	const char *dir;
	const struct setup_args *args;
	struct strbuf out, err;
};

/* Runs git; a non-zero exit is an error naming `what` and git's last line. */
static int git(struct setup *s, const char *what, const char *const *args)
{
	int status;
	char *line, *end;

	strbuf_reset(&s->out);
	strbuf_reset(&s->err);
	if (repo_git_run(&status, &s->out, &s->err, s->dir, args) < 0)
		return MT_ERROR;
	if (!status)
		return MT_OK;
	/* git's last line of stderr says why; strip the trailing newline. */
	while (s->err.len && s->err.buf[s->err.len - 1] == '\n')
		s->err.buf[--s->err.len] = '\0';
	line = strrchr(s->err.buf, '\n');
	line = line ? line + 1 : s->err.buf;
	end = line + strlen(line);
	return mt_error_set("ci-setup: %s failed (git exit %d)%s%.*s", what, status,
			    *line ? ": " : "", (int)(end - line), line);
}

/* Runs git and says only whether it exited 0 (a question, not a step). */
static bool git_ok(struct setup *s, const char *const *args)
{
	int status;

	strbuf_reset(&s->out);
	strbuf_reset(&s->err);
	return repo_git_run(&status, &s->out, &s->err, s->dir, args) == 0 && status == 0;
}

static void trim(struct strbuf *sb)
{
	while (sb->len && (sb->buf[sb->len - 1] == '\n' || sb->buf[sb->len - 1] == ' '))
		sb->buf[--sb->len] = '\0';
}

/* X.Y from "stable-X.Y", "origin/staging-X.Y", "stable-X.Y-staging"; -1 when not such a name. */
static int stream_from_name(struct qversion *out, const char *ref)
{
	const char *last = strrchr(ref, '/'), *v;
	char text[64];
	size_t n;

	last = last ? last + 1 : ref;
	if (!strncmp(last, "stable-", 7))
		v = last + 7;
	else if (!strncmp(last, "staging-", 8))
		v = last + 8;
	else
		return -1;
	n = strlen(v);
	if (n > 8 && !strcmp(v + n - 8, "-staging"))
		n -= 8;
	if (n >= sizeof(text))
		return -1;
	memcpy(text, v, n);
	text[n] = '\0';
	if (qversion_parse(out, text) < 0 || out->micro >= 0 || out->tag[0])
		return -1;
	return 0;
}

/* The stream: --stream, REF's name, else the VERSION file at REF ("10.0.7" -> 10.0). */
static int find_stream(struct qversion *out, struct setup *s, const char *ref)
{
	const char *args = s->args->version;
	struct strbuf spec = STRBUF_INIT;
	int ret = MT_OK;

	if (args) {
		if (qversion_parse(out, args) < 0 || out->micro >= 0 || out->tag[0])
			return mt_error_set("--stream: '%s' is not X.Y", args);
		return MT_OK;
	}
	if (!stream_from_name(out, ref))
		return MT_OK;
	strbuf_addf(&spec, "%s:VERSION", ref);
	{
		const char *show[] = { "show", spec.buf, NULL };

		if (!git_ok(s, show)) {
			ret = mt_error_set("ci-setup: %s: cannot tell its stream (no stable-X.Y name, "
					   "no VERSION file); use --stream X.Y", ref);
			goto out;
		}
	}
	trim(&s->out);
	if (qversion_parse(out, s->out.buf) < 0 || out->micro < 0 || out->micro >= 50) {
		ret = mt_error_set("ci-setup: %s: VERSION says '%.40s', not a stable release; use "
				   "--stream X.Y", ref, s->out.buf);
		goto out;
	}
	out->micro = -1;
out:
	strbuf_release(&spec);
	return ret;
}

/*
 * `--repo DIR` names a repository, as for every other command: git would
 * look upwards from DIR and fetch into whatever repository encloses it.
 */
static int check_repository(struct setup *s, bool explicit_dir)
{
	const char *top[] = { "rev-parse", "--show-toplevel", NULL };
	const char *gitdir[] = { "rev-parse", "--absolute-git-dir", NULL };
	char *want = NULL, *got = NULL;
	bool same = false;

	if (!git_ok(s, gitdir))
		return mt_error_set("ci-setup: %s: not a git repository", s->dir);
	if (!explicit_dir)
		return MT_OK;
	want = realpath(s->dir, NULL);
	trim(&s->out);
	got = realpath(s->out.buf, NULL);
	same = want && got && !strcmp(want, got);
	free(got);
	if (!same && git_ok(s, top)) {
		trim(&s->out);
		got = realpath(s->out.buf, NULL);
		same = want && got && !strcmp(want, got);
		free(got);
	}
	free(want);
	if (!same)
		return mt_error_set("ci-setup: %s: not a git repository (only inside one)", s->dir);
	return MT_OK;
}

static bool is_shallow(struct setup *s)
{
	const char *args[] = { "rev-parse", "--is-shallow-repository", NULL };

	return git_ok(s, args) && !strncmp(s->out.buf, "true", 4);
}

/* How many refs match a pattern, for the report of what was fetched. */
static size_t count_refs(struct setup *s, const char *pattern)
{
	const char *args[] = { "for-each-ref", "--format=x", pattern, NULL };
	size_t n = 0, i;

	if (!git_ok(s, args))
		return 0;
	for (i = 0; i < s->out.len; i++)
		n += s->out.buf[i] == '\n';
	return n;
}

/* Whether REF reaches the base tag (when there is one) and has a merge-base with master. */
static bool reached(struct setup *s, const char *sha, const char *base_tag, const char *master,
		    bool have_base)
{
	const char *ancestor[] = { "merge-base", "--is-ancestor", base_tag, sha, NULL };
	const char *mb[] = { "merge-base", sha, master, NULL };

	if (have_base && !git_ok(s, ancestor))
		return false;
	return git_ok(s, mb);
}

static int run_ci_setup(int argc, char **argv, struct mt_options *opts)
{
	struct setup_args args = { NULL, "origin", "master", 0 };
	struct setup s;
	struct qversion stream;
	struct strbuf master_spec = STRBUF_INIT, master_ref = STRBUF_INIT, stable_spec = STRBUF_INIT,
		      base_tag = STRBUF_INIT, sha = STRBUF_INIT, deepen = STRBUF_INIT,
		      pattern = STRBUF_INIT;
	char *pos[1] = { NULL };
	const char *ref;
	int npos = 0, ret = MT_EXIT_ERROR, round;
	bool have_base, shallow;
	const struct cli_option options[] = {
		{ "stream", 0, CLI_STRING, &args.version },
		{ "remote", 0, CLI_STRING, &args.remote },
		{ "master", 0, CLI_STRING, &args.master },
		{ "all", 0, CLI_FLAG, &args.all },
		{ NULL, 0, CLI_FLAG, NULL },
	};

	memset(&s, 0, sizeof(s));
	strbuf_init(&s.out);
	strbuf_init(&s.err);
	{
		char **all = calloc((size_t)argc + 1, sizeof(*all));

		if (!all) {
			mt_error_set("out of memory");
			goto fail;
		}
		if (cli_parse(opts, &command_ci_setup, options, argc, argv, all, &npos) < 0) {
			free(all);
			goto fail;
		}
		pos[0] = npos ? all[0] : NULL;
		free(all);
	}
	if (npos > 1) {
		mt_error_set("ci-setup: expected at most one REF (see 'mtcheck help ci-setup')");
		goto fail;
	}
	if (args.all && args.version) {
		mt_error_set("ci-setup: --all and --stream exclude each other");
		goto fail;
	}
	s.dir = opts->repo_dir ? opts->repo_dir : ".";
	s.args = &args;
	ref = pos[0] ? pos[0] : "HEAD";
	if (check_repository(&s, opts->repo_dir != NULL) < 0)
		goto fail;
	{
		const char *verify[] = { "rev-parse", "--verify", "--quiet", NULL, NULL };
		struct strbuf spec = STRBUF_INIT;

		strbuf_addf(&spec, "%s^{commit}", ref);
		verify[3] = spec.buf;
		if (!git_ok(&s, verify)) {
			mt_error_set("ci-setup: %s: no such commit", ref);
			strbuf_release(&spec);
			goto fail;
		}
		strbuf_release(&spec);
		trim(&s.out);
		strbuf_addstr(&sha, s.out.buf);
	}
	if (!args.all && find_stream(&stream, &s, ref) < 0)
		goto fail;

	/* Master, every stable branch and every release tag, with their history. */
	strbuf_addf(&master_spec, "+refs/heads/%s:refs/remotes/%s/%s", args.master, args.remote,
		    args.master);
	strbuf_addf(&master_ref, "refs/remotes/%s/%s", args.remote, args.master);
	strbuf_addf(&stable_spec, "+refs/heads/stable-*:refs/remotes/%s/stable-*", args.remote);
	{
		const char *fetch[] = { "fetch", "--quiet", "--no-tags", args.remote, master_spec.buf,
					stable_spec.buf, "+refs/tags/v*:refs/tags/v*", NULL };
		struct strbuf what = STRBUF_INIT;

		strbuf_addf(&what, "git fetch of %s, the stable branches and the v* tags from %s",
			    args.master, args.remote);
		int err = git(&s, what.buf, fetch);

		strbuf_release(&what);
		if (err < 0)
			goto fail;
	}
	strbuf_addf(&pattern, "refs/remotes/%s/stable-*", args.remote);
	printf("ci-setup: fetched %s/%s, %zu stable branches and %zu v* tags from %s\n",
	       args.remote, args.master, count_refs(&s, pattern.buf),
	       count_refs(&s, "refs/tags/v*"), args.remote);

	shallow = is_shallow(&s);
	if (args.all) {
		if (shallow) {
			const char *unshallow[] = { "fetch", "--quiet", "--no-tags", "--unshallow",
						    args.remote, sha.buf, NULL };

			if (git(&s, "git fetch --unshallow", unshallow) < 0)
				goto fail;
			printf("ci-setup: fetched the whole history (the clone is no longer shallow)\n");
		} else {
			printf("ci-setup: the clone has the whole history already\n");
		}
		ret = MT_EXIT_OK;
		goto out;
	}

	strbuf_addf(&base_tag, "v%d.%d.0", stream.major, stream.minor);
	{
		struct strbuf spec = STRBUF_INIT;
		const char *verify[] = { "rev-parse", "--verify", "--quiet", NULL, NULL };

		strbuf_addf(&spec, "refs/tags/%s^{commit}", base_tag.buf);
		verify[3] = spec.buf;
		have_base = git_ok(&s, verify);
		strbuf_release(&spec);
	}
	/* Deepen REF's history until it reaches its base and master; give up into --unshallow. */
	for (round = 0; shallow && !reached(&s, sha.buf, base_tag.buf, master_ref.buf, have_base);
	     round++) {
		const char *unshallow[] = { "fetch", "--quiet", "--no-tags", "--unshallow",
					    args.remote, sha.buf, NULL };
		const char *more[] = { "fetch", "--quiet", "--no-tags", NULL, args.remote, sha.buf,
				       NULL };

		if (round == DEEPEN_ROUNDS) {
			if (git(&s, "git fetch --unshallow", unshallow) < 0)
				goto fail;
			printf("ci-setup: fetched the whole history of %s\n", ref);
			break;
		}
		strbuf_reset(&deepen);
		strbuf_addf(&deepen, "--deepen=%d", DEEPEN_FIRST << round);
		more[3] = deepen.buf;
		if (git(&s, "git fetch --deepen", more) < 0)
			goto fail;
		printf("ci-setup: deepened the clone by %d commits\n", DEEPEN_FIRST << round);
		shallow = is_shallow(&s);
	}
	if (!reached(&s, sha.buf, base_tag.buf, master_ref.buf, have_base)) {
		mt_error_set("ci-setup: %s has no merge-base with %s even with the whole history%s",
			     ref, master_ref.buf + strlen("refs/remotes/"),
			     have_base ? "" : " (and there is no base tag)");
		goto fail;
	}
	printf("ci-setup: %s (stream %d.%d) reaches %s and its merge-base with %s/%s%s\n", ref,
	       stream.major, stream.minor, have_base ? base_tag.buf : "(no base tag)", args.remote,
	       args.master, shallow ? "; older history is left out" : "");
	ret = MT_EXIT_OK;
	goto out;
fail:
	ret = cli_fail();
out:
	strbuf_release(&s.out);
	strbuf_release(&s.err);
	strbuf_release(&master_spec);
	strbuf_release(&master_ref);
	strbuf_release(&stable_spec);
	strbuf_release(&base_tag);
	strbuf_release(&sha);
	strbuf_release(&deepen);
	strbuf_release(&pattern);
	return ret;
}
