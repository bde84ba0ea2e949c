/*
 * mtcheck assess COMMIT [--stream X.Y]: before cherry-picking an upstream
 * commit, would its backport change what guests of released machine types
 * see, and what does the policy then ask for?
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "commands.h"
#include "error.h"
#include "families.h"
#include "history.h"
#include "jsontext.h"
#include "machines.h"
#include "repo.h"
#include "rulesdir.h"
#include "strbuf.h"
#include "xalloc.h"

struct assess_args {
	const char *commit;
	const char *stream; /* --stream: one stream; default every stable stream */
	const char *master;
};

/* The verdict for one stream and what it needs. */
struct stream_verdict {
	const struct mt_stream *stream;
	bool contains;                /* the stream already has the commit */
	enum abi_strength strength;   /* strongest evidence; 0: none */
	struct machine_list affected; /* released X.Y machines whose guests would see the change */
	char **bugfix;                /* the bugfix machines the policy asks for */
	size_t nbugfix;
	char **existing;              /* bugfix machines the stream already has (per family) */
	size_t nexisting;
	char **requires;              /* what to do, one sentence each */
	size_t nrequires, alloc;
};

struct assessment {
	struct mt_oid commit;
	char *subject;
	struct abi_evidence_list evidence;
	struct stream_verdict *verdicts;
	size_t nverdicts;
};

static void add_require(struct stream_verdict *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_require(struct stream_verdict *v, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ARRAY_GROW(v->requires, v->nrequires, v->alloc);
	v->requires[v->nrequires++] = strbuf_detach(&sb, NULL);
}

static void verdict_release(struct stream_verdict *v)
{
	size_t i;

	machine_list_release(&v->affected);
	for (i = 0; i < v->nbugfix; i++)
		free(v->bugfix[i]);
	free(v->bugfix);
	for (i = 0; i < v->nrequires; i++)
		free(v->requires[i]);
	free(v->requires);
	for (i = 0; i < v->nexisting; i++)
		free(v->existing[i]);
	free(v->existing);
}

static void assessment_release(struct assessment *a)
{
	size_t i;

	for (i = 0; i < a->nverdicts; i++)
		verdict_release(&a->verdicts[i]);
	free(a->verdicts);
	abi_evidence_list_release(&a->evidence);
	free(a->subject);
}

/*
 * For the assessment every compat entry the commit adds is guest-visible in
 * a stable branch: the array either holds the stream's own machine back in
 * master (and the stable branch has no such array), or it holds back only
 * older machines and the new behaviour reaches the stream's machine anyway.
 */
static enum abi_strength strength_for_stream(const struct abi_evidence *e)
{
	if (!strcmp(e->signal, "compat-array") && !e->removed && e->subject)
		return ABI_CHANGE;
	return e->strength;
}

/* x86 code reaches only the x86 machines; a family's own file only that family. */
static bool family_touched(const struct abi_evidence_list *ev, const struct families *fams,
			   const char *family)
{
	const struct family *f = families_find(fams, family);
	bool x86 = !strcmp(family, "q35") || !strcmp(family, "i440fx");
	size_t i, j;

	for (i = 0; i < ev->count; i++) {
		const char *path = ev->items[i].path;
		bool own_file = false, other_family_file = false;
		size_t k;

		for (j = 0; f && j < f->npaths; j++)
			own_file |= !strcmp(f->paths[j], path);
		for (k = 0; k < fams->n && !own_file; k++) {
			for (j = 0; j < fams->v[k].npaths; j++)
				other_family_file |= !strcmp(fams->v[k].paths[j], path);
		}
		if (own_file)
			return true;
		if (other_family_file)
			continue;
		if (!strncmp(path, "hw/i386/", 8) || !strncmp(path, "target/i386/", 12)) {
			if (x86)
				return true;
			continue;
		}
		return true;
	}
	return false;
}

static bool model_has(const struct model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->machines.n; i++) {
		if (!strcmp(m->machines.v[i].name, name))
			return true;
	}
	return false;
}

/* Whether the model has a bugfix machine X.Y.z of m's family and version. */
static bool has_bugfix_of(const struct model *model, const struct machine *m)
{
	size_t i;

	for (i = 0; i < model->machines.n; i++) {
		const struct machine *o = &model->machines.v[i];

		if (o->kind == MACHINE_BUGFIX && !strcmp(o->family, m->family) &&
		    qversion_same_minor(&o->version, &m->version))
			return true;
	}
	return false;
}

/* The name a bugfix machine X.Y.micro of family `m` would have: "pc-q35-10.0" + ".4". */
static char *bugfix_name(const struct machine *m, int micro)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s.%d", m->name, micro);
	return strbuf_detach(&sb, NULL);
}

static const struct abi_evidence *find_signal(const struct abi_evidence_list *ev,
					      const char *signal)
{
	size_t i;

	for (i = 0; i < ev->count; i++) {
		if (!strcmp(ev->items[i].signal, signal))
			return &ev->items[i];
	}
	return NULL;
}

/* "a, b, c" of the first n names. */
static char *join_names(char *const *names, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", names[i]);
	return strbuf_detach(&sb, NULL);
}

/* Whether a machine of this name was already in the stream's newest release. */
static int shipped(bool *out, struct mt_repo *repo, const struct families *fams,
		   struct model_cache *cache, const struct mt_stream *s, const char *name)
{
	struct model m;

	*out = false;
	if (!s->newest)
		return MT_OK;
	if (model_load(&m, cache, repo, fams, &s->newest->commit) < 0)
		return MT_ERROR;
	*out = model_has(&m, name);
	model_release(&m);
	return MT_OK;
}

/* What the policy asks of this stream, master and newer streams; bugfix names are set. */
static int add_requirements(struct stream_verdict *v, const struct assessment *a,
			    struct mt_repo *repo, struct mt_history *h, const struct families *fams,
			    struct model_cache *cache, const struct model *master, int micro)
{
	const struct mt_stream *s = v->stream;
	const struct abi_evidence *latest = find_signal(&a->evidence, "machine-latest");
	char *names;
	bool was_shipped;
	size_t j;

	if (latest) {
		add_require(v, "do not backport this as it is: it changes which machine is the "
			       "default (%s); a stable branch keeps %d.%d or its bugfix machine as "
			       "the default", latest->detail, s->major, s->minor);
		return MT_OK;
	}
	for (j = 0; j < v->nexisting; j++) {
		if (shipped(&was_shipped, repo, fams, cache, s, v->existing[j]) < 0)
			return MT_ERROR;
		if (was_shipped)
			add_require(v, "%s already shipped the bugfix machine %s and the policy allows "
				       "one per family and stream: leave the guest-visible part of this "
				       "change out of %s", s->name, v->existing[j], s->name);
		else
			add_require(v, "%s already has the bugfix machine %s, not yet released: put "
				       "this change into it before it ships (one per family and stream)",
				    s->name, v->existing[j]);
	}
	if (!v->nbugfix)
		return MT_OK;
	names = join_names(v->bugfix, v->nbugfix);
	add_require(v, "%s: add %s (first shipped in v%d.%d.%d); the %d.%d machines keep the old "
		       "behaviour", s->name, names, s->major, s->minor, micro, s->major, s->minor);
	if (master) {
		for (j = 0; j < v->nbugfix && model_has(master, v->bugfix[j]); j++)
			;
		if (j < v->nbugfix)
			add_require(v, "%s: add %s too, between %d.%d and the next version",
				    h->master_name, names, s->major, s->minor);
	}
	for (j = 0; j < h->nstreams; j++) {
		const struct mt_stream *newer = &h->streams[j];

		if (newer->kind != STREAM_STABLE ||
		    (newer->major < s->major || (newer->major == s->major && newer->minor <= s->minor)))
			continue;
		add_require(v, "%s: add %s too, or migration from %d.%d.%d to %d.%d.z breaks",
			    newer->name, names, s->major, s->minor, micro, newer->major, newer->minor);
	}
	free(names);
	return MT_OK;
}

static int assess_stream(struct stream_verdict *v, struct assessment *a, struct mt_repo *repo,
			 struct mt_history *h, const struct families *fams,
			 struct model_cache *cache, const struct model *master)
{
	const struct mt_stream *s = v->stream;
	struct model tip;
	int micro = s->newest && s->newest->version.micro >= 0 ? s->newest->version.micro + 1 : 1;
	size_t i;

	if (repo_is_ancestor(&v->contains, repo, &a->commit, &s->tip) < 0)
		return MT_ERROR;
	if (v->contains)
		return MT_OK;
	for (i = 0; i < a->evidence.count; i++) {
		enum abi_strength st = strength_for_stream(&a->evidence.items[i]);
		if (st > v->strength)
			v->strength = st;
	}
	if (v->strength < ABI_CHANGE)
		return MT_OK;
	if (model_load(&tip, cache, repo, fams, &s->tip) < 0) {
		mt_error_prefix("%s", s->name);
		return MT_ERROR;
	}
	for (i = 0; i < tip.machines.n; i++) {
		const struct machine *m = &tip.machines.v[i];

		if (m->version.major != s->major || m->version.minor != s->minor ||
		    m->kind == MACHINE_TAGGED || !family_touched(&a->evidence, fams, m->family))
			continue;
		if (m->kind == MACHINE_BUGFIX) {
			v->existing = xrealloc(v->existing, (v->nexisting + 1) * sizeof(*v->existing));
			v->existing[v->nexisting++] = xstrdup(m->name);
		} else {
			ARRAY_GROW(v->affected.v, v->affected.n, v->affected.alloc);
			machine_copy(&v->affected.v[v->affected.n++], m);
		}
	}
	/* A family that already has its bugfix machine gets no second one. */
	for (i = 0; !find_signal(&a->evidence, "machine-latest") && i < v->affected.n; i++) {
		const struct machine *m = &v->affected.v[i];

		if (has_bugfix_of(&tip, m))
			continue;
		v->bugfix = xrealloc(v->bugfix, (v->nbugfix + 1) * sizeof(*v->bugfix));
		v->bugfix[v->nbugfix++] = bugfix_name(m, micro);
	}
	model_release(&tip);
	return add_requirements(v, a, repo, h, fams, cache, master, micro);
}

static int load_rules(struct families *fams, struct abi_config **config,
		      const struct mt_options *opts)
{
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT;
	int ret = rules_dir_find(&dir, opts);

	if (ret == 0)
		ret = families_load(fams, dir.buf);
	if (ret == 0) {
		rules_dir_file(&path, dir.buf, "abi-signals.json");
		ret = abi_config_load(config, path.buf);
		if (ret < 0)
			families_release(fams);
	}
	strbuf_release(&dir);
	strbuf_release(&path);
	return ret;
}

static int assess(struct assessment *a, struct mt_repo *repo, struct mt_history *h,
		  const struct families *fams, const struct abi_config *config,
		  const char *rev, const struct mt_stream *const *streams, size_t nstreams)
{
	struct mt_commit_info info;
	struct model_cache cache;
	struct model master;
	bool have_master = false;
	size_t i;
	int ret = MT_ERROR;

	model_cache_init(&cache);
	if (repo_resolve_commit(&a->commit, repo, rev) < 0 ||
	    repo_commit_info(&info, repo, &a->commit) < 0)
		goto out;
	a->subject = xstrdup(info.subject);
	commit_info_release(&info);
	if (abi_classify_commit(&a->evidence, repo, config, fams, &a->commit) < 0) {
		mt_error_prefix("%s", rev);
		goto out;
	}
	if (h->has_master) {
		if (model_load(&master, &cache, repo, fams, &h->master) < 0)
			goto out;
		have_master = true;
	}
	a->verdicts = xcalloc(nstreams + 1, sizeof(*a->verdicts));
	for (i = 0; i < nstreams; i++) {
		a->verdicts[a->nverdicts++].stream = streams[i];
		if (assess_stream(&a->verdicts[i], a, repo, h, fams, &cache,
				  have_master ? &master : NULL) < 0)
			goto out;
	}
	ret = MT_OK;
out:
	if (have_master)
		model_release(&master);
	model_cache_release(&cache);
	return ret;
}

static const char *verdict_name(const struct stream_verdict *v)
{
	return v->strength ? abi_strength_name(v->strength) : "none";
}

static void print_text(FILE *out, const struct assessment *a)
{
	char hex[13];
	size_t i, j;

	oid_to_short(hex, 12, &a->commit);
	fprintf(out, "%s %s\n", hex, a->subject);
	if (!a->evidence.count)
		fputs("no guest-ABI evidence\n", out);
	for (i = 0; i < a->evidence.count; i++) {
		const struct abi_evidence *e = &a->evidence.items[i];

		fprintf(out, "  %-10s %s %s:%d: %s\n", abi_strength_name(e->strength), e->signal,
			e->path, e->line, e->detail);
	}
	for (i = 0; i < a->nverdicts; i++) {
		const struct stream_verdict *v = &a->verdicts[i];

		fprintf(out, "\n%s: ", v->stream->name);
		if (v->contains) {
			fprintf(out, "already contains %s\n", hex);
			continue;
		}
		if (v->strength < ABI_CHANGE) {
			fprintf(out, "%s\n", v->strength ? "no guest-ABI change found; the evidence "
							   "above is worth a review"
							 : "no guest-ABI change found");
			continue;
		}
		fputs("the backport changes what guests of", out);
		for (j = 0; j < v->affected.n; j++)
			fprintf(out, "%s %s", j ? "," : "", v->affected.v[j].name);
		fputs(v->affected.n ? " see\n" : " the stream's machine types see\n", out);
		for (j = 0; j < v->nrequires; j++)
			fprintf(out, "  - %s\n", v->requires[j]);
	}
}

static json_t *strings_json(char *const *v, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_text(v[i]));
	return arr;
}

static int print_json(FILE *out, const struct assessment *a)
{
	json_t *root = json_object(), *ev = json_array(), *streams = json_array();
	char hex[MT_OID_HEXSZ + 1];
	char *text;
	size_t i, j;

	oid_to_hex(hex, &a->commit);
	json_object_set_new(root, "commit", json_string(hex));
	json_object_set_new(root, "subject", json_text(a->subject));
	for (i = 0; i < a->evidence.count; i++) {
		const struct abi_evidence *e = &a->evidence.items[i];

		json_array_append_new(ev, json_pack("{s:s, s:s, s:o, s:i, s:o}", "signal", e->signal,
						    "strength", abi_strength_name(e->strength),
						    "path", json_text(e->path), "line", e->line, "detail",
						    json_text(e->detail)));
	}
	json_object_set_new(root, "evidence", ev);
	for (i = 0; i < a->nverdicts; i++) {
		const struct stream_verdict *v = &a->verdicts[i];
		json_t *o = json_object(), *affected = json_array();

		json_object_set_new(o, "stream", json_text(v->stream->name));
		json_object_set_new(o, "contains", json_boolean(v->contains));
		json_object_set_new(o, "verdict", json_string(v->contains ? "none" : verdict_name(v)));
		for (j = 0; j < v->affected.n; j++)
			json_array_append_new(affected, json_text(v->affected.v[j].name));
		json_object_set_new(o, "affected", affected);
		json_object_set_new(o, "bugfix", strings_json(v->bugfix, v->nbugfix));
		json_object_set_new(o, "requires", strings_json(v->requires, v->nrequires));
		json_array_append_new(streams, o);
	}
	json_object_set_new(root, "streams", streams);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return mt_error_set("assess: cannot write JSON");
	fprintf(out, "%s\n", text);
	free(text);
	return MT_OK;
}

static int run_assess(int argc, char **argv, struct mt_options *opts);

const struct command command_assess = {
	.name = "assess",
	.run = run_assess,
	.usage = "assess COMMIT [--stream STREAM] [--master REF]",
	.summary = "before a backport: would it change guest ABI, and what would it need",
	.help = "  --stream STREAM  assess for this stream only (default: every stable stream)\n"
		"  --master REF     the upstream branch (default: master, else origin/master)\n"
		"Exit status 1 when the backport would change guest ABI in a stream.\n",
	.formats = MT_FORMAT_TEXT | MT_FORMAT_JSON,
};

static int run_assess(int argc, char **argv, struct mt_options *opts)
{
	struct assess_args args;
	struct history_options hopts;
	struct mt_repo *repo = NULL;
	struct mt_history history;
	struct mt_stream one;
	struct families fams;
	struct abi_config *config = NULL;
	struct assessment a;
	const struct mt_stream **streams = NULL;
	size_t nstreams = 0, i;
	char **pos = xcalloc((size_t)argc + 1, sizeof(*pos));
	int npos = 0, ret;
	bool have_history = false, have_one = false, have_rules = false, changes = false;
	const struct cli_option options[] = {
		{ "stream", 0, CLI_STRING, &args.stream },
		{ "master", 0, CLI_STRING, &args.master },
		{ NULL, 0, CLI_FLAG, NULL },
	};

	memset(&args, 0, sizeof(args));
	memset(&a, 0, sizeof(a));
	if (cli_parse(opts, &command_assess, options, argc, argv, pos, &npos) < 0 ||
	    cli_check_format(opts, &command_assess) < 0)
		goto fail;
	if (npos != 1) {
		mt_error_set("assess: expected one COMMIT (see 'mtcheck help assess')");
		goto fail;
	}
	args.commit = pos[0];
	if (load_rules(&fams, &config, opts) < 0)
		goto fail;
	have_rules = true;
	if (repo_open(&repo, opts->repo_dir) < 0)
		goto fail;
	memset(&hopts, 0, sizeof(hopts));
	hopts.master = args.master;
	if (history_open(&history, repo, &hopts) < 0)
		goto fail;
	have_history = true;
	if (args.stream) {
		if (history_stream(&one, &history, args.stream, NULL) < 0)
			goto fail;
		have_one = true;
		streams = xcalloc(1, sizeof(*streams));
		streams[nstreams++] = &one;
	} else {
		streams = xcalloc(history.nstreams + 1, sizeof(*streams));
		for (i = 0; i < history.nstreams; i++)
			streams[nstreams++] = &history.streams[i];
	}
	if (assess(&a, repo, &history, &fams, config, args.commit, streams, nstreams) < 0)
		goto fail;
	if (opts->format == MT_FORMAT_JSON) {
		if (print_json(stdout, &a) < 0)
			goto fail;
	} else {
		print_text(stdout, &a);
	}
	for (i = 0; i < a.nverdicts; i++)
		changes |= !a.verdicts[i].contains && a.verdicts[i].strength >= ABI_CHANGE;
	ret = changes ? MT_EXIT_FINDINGS : MT_EXIT_OK;
	goto out;
fail:
	ret = cli_fail();
out:
	assessment_release(&a);
	free(streams);
	if (have_one)
		stream_release(&one);
	if (have_history)
		history_release(&history);
	if (have_rules) {
		families_release(&fams);
		abi_config_free(config);
	}
	repo_free(repo);
	free(pos);
	return ret;
}
