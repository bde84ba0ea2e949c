/*
 * genhistory: writes a deterministic, QEMU-scale git history for benchmarks.
 *
 *   genhistory [--scale quarter|half|full|FRACTION] DEST.git
 *
 * At full scale master has 130,000 commits (pull-request merges included)
 * from 2003 to 2026, with releases 2.0 .. 11.1 three a year, `VERSION`
 * changes, annotated vX.Y.0 tags (and -rcN tags from 9.0), machine files that
 * grow one versioned machine per release in each family, compat arrays that
 * grow per release, and one stable-X.Y branch per release with 50-400
 * backports: cherry-pick trailers to real master commits, some without a
 * trailer (same patch, so patch ids match), reverts, ABI-changing backports
 * with and without their compat entry, a few bugfix machines (also added on
 * master), and vX.Y.Z tags along the stream. The scale multiplies commits,
 * files and backports; releases and streams are always all there.
 *
 * The same scale always gives the same shas. The text is our own, QEMU-shaped.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "util/date.h"
#include "util/error.h"
#include "fastimport.h"
#include "genmodel.h"
#include "util/oid.h"
#include "util/xalloc.h"

struct release {
	int major, minor;
	const char *date;
	bool rcs;        /* -rc0..-rc3 tags before it */
	int bugfix;      /* micro of the q35 bugfix machine its stream adds, 0 for none */
};

static const struct release releases[] = {
	{ 2, 0, "2014-04-17", false, 0 },  { 2, 1, "2014-08-01", false, 0 },
	{ 2, 2, "2014-12-09", false, 0 },  { 2, 3, "2015-04-24", false, 0 },
	{ 2, 4, "2015-08-11", false, 0 },  { 2, 5, "2015-12-16", false, 0 },
	{ 2, 6, "2016-05-11", false, 0 },  { 2, 7, "2016-09-02", false, 0 },
	{ 2, 8, "2016-12-20", false, 0 },  { 2, 9, "2017-04-20", false, 0 },
	{ 2, 10, "2017-08-30", false, 0 }, { 2, 11, "2017-12-13", false, 0 },
	{ 2, 12, "2018-04-24", false, 0 }, { 3, 0, "2018-08-14", false, 0 },
	{ 3, 1, "2018-12-11", false, 0 },  { 4, 0, "2019-04-23", false, 1 },
	{ 4, 1, "2019-08-15", false, 0 },  { 4, 2, "2019-12-12", false, 0 },
	{ 5, 0, "2020-04-28", false, 0 },  { 5, 1, "2020-08-11", false, 0 },
	{ 5, 2, "2020-12-08", false, 0 },  { 6, 0, "2021-04-29", false, 0 },
	{ 6, 1, "2021-08-24", false, 0 },  { 6, 2, "2021-12-14", false, 0 },
	{ 7, 0, "2022-04-19", false, 0 },  { 7, 1, "2022-08-30", false, 0 },
	{ 7, 2, "2022-12-14", false, 0 },  { 8, 0, "2023-04-19", false, 0 },
	{ 8, 1, "2023-08-22", false, 0 },  { 8, 2, "2023-12-19", false, 2 },
	{ 9, 0, "2024-04-23", true, 0 },   { 9, 1, "2024-09-03", true, 0 },
	{ 9, 2, "2024-12-10", true, 0 },   { 10, 0, "2025-04-22", true, 4 },
	{ 10, 1, "2025-08-26", true, 0 },  { 10, 2, "2025-12-16", true, 0 },
	{ 11, 0, "2026-04-21", true, 0 },  { 11, 1, "2026-08-25", true, 0 },
};
#define NREL ARRAY_SIZE(releases)
#define HISTORY_START "2003-04-29"
#define HISTORY_END "2026-10-20"

/* Family first versioned machines: x86 before history starts, the others later. */
static const struct { int major, minor; } family_first[GEN_NFAMILIES] = {
	[FAM_Q35] = { 1, 4 }, [FAM_I440FX] = { 1, 4 }, [FAM_ARM_VIRT] = { 2, 6 },
	[FAM_S390X] = { 2, 4 }, [FAM_SPAPR] = { 2, 1 },
};

enum mkind { MK_INIT, MK_EDIT, MK_ADD, MK_ABI, MK_ACPI, MK_MERGE, MK_VERSION, MK_MACHINES };

/* One master commit, enough to rewrite its message and replay its change on a stable branch. */
struct mcommit {
	int64_t time;
	int32_t prev;      /* MK_EDIT: index of the slot's previous change, -1 when none */
	uint32_t file;
	uint32_t slot;
	uint16_t count;    /* the slot's count after this commit */
	uint8_t kind;
	int8_t bugfix_rel; /* MK_ABI: the release whose bugfix machine it adds, or -1 */
	int8_t tmajor, tminor; /* MK_ABI: the compat array it extends */
	bool pc;
};

enum event_kind { EV_OPEN, EV_MACHINES, EV_BUGFIX, EV_RC, EV_RELEASE };

struct event {
	size_t at;
	enum event_kind kind;
	int rel; /* release index; NREL for the development after the last release */
	int rc;
};

struct gen {
	double scale;
	size_t n;                  /* master commits */
	struct gen_universe u;
	struct gen_state master;
	struct gen_state snap[NREL];
	size_t release_at[NREL];
	struct mcommit *commits;
	int32_t *last_change;      /* per slot, master index */
	struct event *events;
	size_t nevents, aevents;
	size_t *abi_at, nabi, aabi;
	size_t *acpi_at, nacpi, aacpi;
	double add_probability;
	int64_t anchor_time[NREL + 2];
	size_t anchor_at[NREL + 2];
	uint64_t rng;
	struct fastimport fi;
	uint32_t *touched;         /* files the commit being built changes */
	size_t ntouched, atouched;
	uint32_t *pulled;          /* files the current pull request changes (its merge writes them) */
	size_t npulled, apulled;
	unsigned long next_mark;   /* marks after the master ones */
	size_t nstable, ntags;
};

static uint64_t rnd(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ull;
	return gen_hash(*state, 0);
}

static int64_t day(const char *date)
{
	int64_t t = 0;

	date_parse(&t, date);
	return t;
}

/* ---- identities and messages ---- */

static const char *const first_names[] = {
	"Alda", "Boris", "Carmen", "Dario", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas",
	"Kira", "Lior", "Mara", "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Sven", "Tara",
};
static const char *const last_names[] = {
	"Abbot", "Brenner", "Castell", "Dunmore", "Eklund", "Ferreira", "Galloway", "Hollis",
	"Ivanova", "Jansen", "Kowal", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov",
};
#define STABLE_IDENT "Stable Keeper <stable@example.org>"
#define RELEASE_IDENT "Release Manager <releases@example.org>"

static void ident(struct strbuf *out, uint64_t seed)
{
	const char *f = first_names[seed % ARRAY_SIZE(first_names)];
	const char *l = last_names[(seed / 31) % ARRAY_SIZE(last_names)];

	strbuf_addf(out, "%s %s <%c.", f, l, tolower((unsigned char)f[0]));
	for (; *l; l++)
		strbuf_addch(out, (char)tolower((unsigned char)*l));
	strbuf_addstr(out, "@example.org>");
}

static void author_of(struct strbuf *out, size_t idx)
{
	ident(out, gen_hash(idx, 3) % 997);
}

static const char *const verbs[] = {
	"fix", "avoid", "handle", "drop", "clean up", "simplify", "check", "rework",
	"document", "correct",
};
static const char *const objects[] = {
	"the error path", "reset handling", "a leak on hot-unplug", "the bounds check",
	"endianness of register reads", "interrupt routing", "queue teardown",
	"feature negotiation", "DMA mapping", "the migration state",
};

/* "hw/net" from "hw/net/net-tavoki.c" */
static void area_of(struct strbuf *out, const char *path)
{
	const char *slash = strrchr(path, '/');

	strbuf_add(out, path, slash ? (size_t)(slash - path) : strlen(path));
}

static void subject_of(struct strbuf *out, const struct gen *g, size_t idx)
{
	const struct mcommit *c = &g->commits[idx];
	uint64_t h = gen_hash(idx, 5);

	switch (c->kind) {
	case MK_ADD:
		area_of(out, gen_path(&g->u, c->file));
		strbuf_addf(out, ": add the %s device model", g->u.files[c->file].type);
		break;
	case MK_ABI: {
		const struct gen_file *f = &g->u.files[c->file];

		if (c->bugfix_rel >= 0) {
			const struct release *r = &releases[c->bugfix_rel];

			strbuf_addf(out, "hw/i386: add pc-q35-%d.%d.%d machine type", r->major, r->minor,
				    r->bugfix);
			break;
		}
		area_of(out, f->path);
		strbuf_addf(out, "/%s: %s ", f->type, c->count % 2 == 0 ? "enable" : "disable");
		gen_prop_name(out, f, c->slot - f->slot0 - f->nfn);
		strbuf_addstr(out, " by default");
		break;
	}
	case MK_ACPI:
		strbuf_addstr(out, "tests/data/acpi: update expected tables");
		break;
	default:
		area_of(out, gen_path(&g->u, c->file));
		strbuf_addf(out, "/%s: %s %s", g->u.files[c->file].type, verbs[h % ARRAY_SIZE(verbs)],
			    objects[(h >> 8) % ARRAY_SIZE(objects)]);
		break;
	}
}

/* The full message of master commit idx (not for merges and release plumbing). */
static void message_of(struct strbuf *out, const struct gen *g, size_t idx)
{
	const struct mcommit *c = &g->commits[idx];
	uint64_t h = gen_hash(idx, 7);

	subject_of(out, g, idx);
	strbuf_addstr(out, "\n\n");
	switch (c->kind) {
	case MK_ABI:
		strbuf_addf(out, "The old default made guests see a device that the rest of the\n"
			    "machine no longer matches. Machine types up to %d.%d keep the old\n"
			    "value through %s_compat_%d_%d.\n", c->tmajor, c->tminor,
			    c->pc ? "pc" : "hw", c->tmajor, c->tminor);
		if (c->bugfix_rel >= 0) {
			const struct release *r = &releases[c->bugfix_rel];

			strbuf_addf(out, "\nAdd pc-q35-%d.%d.%d so that %d.%d guests can pick the fix while\n"
				    "pc-q35-%d.%d keeps what it always had.\n", r->major, r->minor,
				    r->bugfix, r->major, r->minor, r->major, r->minor);
		}
		break;
	case MK_ADD:
		strbuf_addstr(out, "A small model, enough for the firmware to probe it.\n");
		break;
	case MK_ACPI:
		strbuf_addstr(out, "The tables change with the latest machine type.\n");
		break;
	default:
		strbuf_addf(out, "Step %u computed its value before the device was reset, so the\n"
			    "first access after a reset returned stale data.\n",
			    (unsigned)(c->slot - g->u.files[c->file].slot0));
		break;
	}
	strbuf_addstr(out, "\n");
	if (h % 3 == 0) {
		strbuf_addstr(out, "Reviewed-by: ");
		ident(out, h % 991);
		strbuf_addch(out, '\n');
	}
	strbuf_addstr(out, "Signed-off-by: ");
	author_of(out, idx);
	strbuf_addch(out, '\n');
}

/* ---- writing commits ---- */

static void add_file(uint32_t **v, size_t *n, size_t *alloc, uint32_t file)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i] == file)
			return;
	ARRAY_GROW(*v, *n, *alloc);
	(*v)[(*n)++] = file;
}

static void touch(struct gen *g, uint32_t file)
{
	add_file(&g->touched, &g->ntouched, &g->atouched, file);
	add_file(&g->pulled, &g->npulled, &g->apulled, file);
}

struct emit {
	const char *ref;
	unsigned long mark;
	unsigned long from, merge; /* 0: none */
	const char *author;
	const char *committer;
	int64_t time;
	const struct strbuf *message;
	const struct gen_state *state;
	const uint32_t *files;
	size_t nfiles;
};

static void emit_commit(struct gen *g, const struct emit *e)
{
	FILE *out = g->fi.in;
	struct strbuf content = STRBUF_INIT;
	size_t i;

	fprintf(out, "commit %s\nmark :%lu\nauthor %s %lld +0000\ncommitter %s %lld +0000\n"
		"data %zu\n", e->ref, e->mark, e->author, (long long)e->time, e->committer,
		(long long)e->time, e->message->len);
	fwrite(e->message->buf, 1, e->message->len, out);
	fputc('\n', out);
	if (e->from)
		fprintf(out, "from :%lu\n", e->from);
	if (e->merge)
		fprintf(out, "merge :%lu\n", e->merge);
	for (i = 0; i < e->nfiles; i++) {
		strbuf_reset(&content);
		gen_render(&content, &g->u, e->state, e->files[i]);
		fprintf(out, "M 100644 inline %s\ndata %zu\n", gen_path(&g->u, e->files[i]), content.len);
		fwrite(content.buf, 1, content.len, out);
		fputc('\n', out);
	}
	fputc('\n', out);
	strbuf_release(&content);
}

static void emit_tag(struct gen *g, const char *name, unsigned long mark, int64_t time,
		     const char *message)
{
	fprintf(g->fi.in, "tag %s\nfrom :%lu\ntagger %s %lld +0000\ndata %zu\n%s\n", name, mark,
		RELEASE_IDENT, (long long)time, strlen(message), message);
	g->ntags++;
}

/* ---- the schedule ---- */

static void add_event(struct gen *g, size_t at, enum event_kind kind, int rel, int rc)
{
	struct event *e;

	ARRAY_GROW(g->events, g->nevents, g->aevents);
	e = &g->events[g->nevents++];
	e->at = at;
	e->kind = kind;
	e->rel = rel;
	e->rc = rc;
}

static void add_at(size_t **v, size_t *n, size_t *alloc, size_t at)
{
	ARRAY_GROW(*v, *n, *alloc);
	(*v)[(*n)++] = at;
}

/*
 * A quarter of master predates 2.0; the rest is split evenly between the
 * release cycles, with half a cycle of development after the last release.
 */
static void plan(struct gen *g)
{
	size_t pre = g->n / 4, r, j;
	double cycle = (double)(g->n - pre) / (NREL + 0.5);
	size_t nabi = (size_t)fmax(2, round(8 * g->scale));
	size_t nacpi = (size_t)fmax(1, round(10 * g->scale));

	g->anchor_at[0] = 0;
	g->anchor_time[0] = day(HISTORY_START);
	for (r = 0; r <= NREL; r++) {
		size_t start = r ? (size_t)(pre + r * cycle) + 1 : pre + 1;
		size_t end = r < NREL ? (size_t)(pre + (r + 1) * cycle) : g->n - 1;
		size_t len = end - start;

		add_event(g, start, EV_OPEN, (int)r, 0);
		add_event(g, start + 1, EV_MACHINES, (int)r, 0);
		if (r > 0 && releases[r - 1].bugfix)
			add_event(g, start + (size_t)(cycle * 0.3), EV_BUGFIX, (int)r - 1, 0);
		for (j = 0; j < nabi; j++)
			add_at(&g->abi_at, &g->nabi, &g->aabi, start + 3 + (len - 8) * (j + 1) / (nabi + 1));
		for (j = 0; j < nacpi; j++)
			add_at(&g->acpi_at, &g->nacpi, &g->aacpi,
			       start + 4 + (len - 8) * (2 * j + 1) / (2 * nacpi + 1));
		if (r < NREL) {
			if (releases[r].rcs)
				for (j = 0; j < 4; j++)
					add_event(g, end - 4 + j, EV_RC, (int)r, (int)j);
			add_event(g, end, EV_RELEASE, (int)r, 0);
			g->anchor_at[r + 1] = end;
			g->anchor_time[r + 1] = day(releases[r].date) + 15 * 3600;
		}
	}
	g->anchor_at[NREL + 1] = g->n - 1;
	g->anchor_time[NREL + 1] = day(HISTORY_END);
	g->add_probability = (double)(g->u.nfiles - g->master.nfiles) / (double)g->n;
}

/* Commit time by index: linear between release anchors, strictly increasing. */
static int64_t time_at(const struct gen *g, size_t idx)
{
	size_t a = 0;
	int64_t t;

	while (a + 1 < NREL + 2 && g->anchor_at[a + 1] < idx)
		a++;
	if (a + 1 >= NREL + 2)
		return g->anchor_time[NREL + 1];
	t = g->anchor_time[a] + (int64_t)((double)(idx - g->anchor_at[a]) *
					  (double)(g->anchor_time[a + 1] - g->anchor_time[a]) /
					  (double)(g->anchor_at[a + 1] - g->anchor_at[a] + 1));
	if (idx > 0 && t <= g->commits[idx - 1].time)
		t = g->commits[idx - 1].time + 1;
	return t;
}

/* ---- master ---- */

static void version_of(int *major, int *minor, int rel)
{
	if (rel < 0) {
		*major = 1;
		*minor = 7;
	} else if ((size_t)rel >= NREL) {
		*major = releases[NREL - 1].major;
		*minor = releases[NREL - 1].minor + 1;
	} else {
		*major = releases[rel].major;
		*minor = releases[rel].minor;
	}
}

static void init_master(struct gen *g)
{
	size_t i, f;

	g->master.nfiles = g->u.nfiles * 3 / 10;
	for (f = FAM_Q35; f <= FAM_I440FX; f++)
		for (i = 4; i <= 7; i++)
			gen_add_machine(&g->master, f, 1, (int)i, -1, false);
	for (i = 4; i <= 6; i++) {
		gen_add_compat(&g->master, 1, (int)i, false);
		gen_add_compat(&g->master, 1, (int)i, true);
	}
	snprintf(g->master.version, sizeof(g->master.version), "1.0.50");
	g->master.major = 1;
	g->master.minor = 7;
}

/* Records the commit and writes it on refs/heads/master with the touched files. */
static void commit_master(struct gen *g, size_t idx, const struct strbuf *msg, const char *author,
			  unsigned long from, unsigned long merge)
{
	struct emit e = { "refs/heads/master", idx + 1, from, merge, author, author,
			  g->commits[idx].time, msg, &g->master, g->touched, g->ntouched };

	/* The merged tree is the side branch's: a merge writes every file of its pull again. */
	if (merge) {
		e.files = g->pulled;
		e.nfiles = g->npulled;
	}
	emit_commit(g, &e);
	g->ntouched = 0;
}

static void plain_commit(struct gen *g, size_t idx)
{
	struct strbuf msg = STRBUF_INIT, who = STRBUF_INIT;

	message_of(&msg, g, idx);
	author_of(&who, idx);
	commit_master(g, idx, &msg, who.buf, 0, 0);
	strbuf_release(&msg);
	strbuf_release(&who);
}

static uint32_t pick_device(struct gen *g)
{
	for (;;) {
		uint32_t f = (uint32_t)(rnd(&g->rng) % g->master.nfiles);

		if (g->u.files[f].nprop)
			return f;
	}
}

/* A device default changes and the compat array of an older release keeps the old value. */
static void do_abi(struct gen *g, size_t idx, int bugfix_rel)
{
	struct mcommit *c = &g->commits[idx];
	uint32_t f = pick_device(g);
	const struct gen_file *file = &g->u.files[f];
	unsigned prop = (unsigned)(rnd(&g->rng) % file->nprop);
	bool old = gen_prop_value(&g->master, file, prop);
	const struct gen_compat *target;
	struct gen_compat *array;
	size_t k = rnd(&g->rng) % 4 == 0 ? 1 + rnd(&g->rng) % 2 : 0;

	if (bugfix_rel >= 0)
		k = 0;
	target = gen_nth_hw_compat(&g->master, k);
	if (!target)
		target = gen_nth_hw_compat(&g->master, 0);
	c->kind = MK_ABI;
	c->file = f;
	c->slot = file->slot0 + file->nfn + prop;
	c->count = ++g->master.counts[c->slot];
	c->bugfix_rel = (int8_t)bugfix_rel;
	c->tmajor = (int8_t)target->major;
	c->tminor = (int8_t)target->minor;
	c->pc = bugfix_rel < 0 && !strncmp(file->path, "hw/i386/", 8) &&
		gen_find_compat(&g->master, target->major, target->minor, true);
	array = gen_find_compat(&g->master, c->tmajor, c->tminor, c->pc);
	gen_compat_append(array, f, (uint16_t)prop, old);
	touch(g, f);
	touch(g, GEN_SPECIAL + (c->pc ? SF_PC_C : SF_MACHINE_C));
	if (bugfix_rel >= 0) {
		gen_add_machine(&g->master, FAM_Q35, releases[bugfix_rel].major,
				releases[bugfix_rel].minor, releases[bugfix_rel].bugfix, false);
		touch(g, GEN_SPECIAL + SF_Q35);
	}
}

static void do_edit(struct gen *g, size_t idx)
{
	struct mcommit *c = &g->commits[idx];
	uint32_t f = (uint32_t)(rnd(&g->rng) % g->master.nfiles);
	const struct gen_file *file = &g->u.files[f];

	c->kind = MK_EDIT;
	c->file = f;
	c->slot = file->slot0 + (uint32_t)(rnd(&g->rng) % file->nfn);
	c->prev = g->last_change[c->slot];
	c->count = ++g->master.counts[c->slot];
	g->last_change[c->slot] = (int32_t)idx;
	touch(g, f);
}

/* A commit inside a pull request (or a lone one between release events). */
static void side_commit(struct gen *g, size_t idx, size_t *abi_next, size_t *acpi_next)
{
	struct mcommit *c = &g->commits[idx];

	c->prev = -1;
	c->bugfix_rel = -1;
	if (*abi_next < g->nabi && g->abi_at[*abi_next] <= idx) {
		(*abi_next)++;
		do_abi(g, idx, -1);
	} else if (*acpi_next < g->nacpi && g->acpi_at[*acpi_next] <= idx) {
		unsigned k = (unsigned)(rnd(&g->rng) % GEN_NACPI);

		(*acpi_next)++;
		c->kind = MK_ACPI;
		c->file = GEN_SPECIAL + SF_ACPI0 + k;
		g->master.acpi[k]++;
		touch(g, c->file);
	} else if (g->master.nfiles < g->u.nfiles &&
		   (double)(rnd(&g->rng) % 1000000) < g->add_probability * 1e6) {
		c->kind = MK_ADD;
		c->file = (uint32_t)g->master.nfiles++;
		touch(g, c->file);
	} else {
		do_edit(g, idx);
	}
	plain_commit(g, idx);
}

static void release_event(struct gen *g, size_t idx, const struct event *ev)
{
	struct mcommit *c = &g->commits[idx];
	struct strbuf msg = STRBUF_INIT, tag = STRBUF_INIT, tagmsg = STRBUF_INIT;
	int major, minor, pmajor, pminor;
	const char *author = RELEASE_IDENT;

	version_of(&major, &minor, ev->rel);
	version_of(&pmajor, &pminor, ev->rel - 1);
	c->prev = -1;
	c->bugfix_rel = -1;
	c->kind = MK_VERSION;
	c->file = GEN_SPECIAL + SF_VERSION;
	switch (ev->kind) {
	case EV_OPEN:
		snprintf(g->master.version, sizeof(g->master.version), "%d.%d.50", pmajor, pminor);
		g->master.major = major;
		g->master.minor = minor;
		strbuf_addf(&msg, "Open %d.%d development tree\n", major, minor);
		touch(g, c->file);
		break;
	case EV_MACHINES: {
		size_t f;

		c->kind = MK_MACHINES;
		gen_add_compat(&g->master, pmajor, pminor, false);
		gen_add_compat(&g->master, pmajor, pminor, true);
		for (f = 0; f < GEN_NFAMILIES; f++) {
			if (major > family_first[f].major ||
			    (major == family_first[f].major && minor >= family_first[f].minor))
				gen_add_machine(&g->master, f, major, minor, -1, false);
		}
		if (major == 2 && minor == 12)
			gen_add_machine(&g->master, FAM_SPAPR, 2, 12, -1, true);
		if (major == 9 && minor == 2)
			gen_drop_sxxm(&g->master);
		if (major > 10 || (major == 10 && minor >= 1))
			gen_drop_older_than(&g->master, major - 6);
		strbuf_addf(&msg, "hw: add compat machines for %d.%d\n\nAdd %d.%d machine types for "
			    "every versioned family and the %d.%d compat arrays.\n\nSigned-off-by: ",
			    major, minor, major, minor, pmajor, pminor);
		author_of(&msg, idx);
		strbuf_addch(&msg, '\n');
		touch(g, GEN_SPECIAL + SF_MACHINE_C);
		touch(g, GEN_SPECIAL + SF_PC_C);
		for (f = 0; f < GEN_NFAMILIES; f++)
			touch(g, GEN_SPECIAL + SF_Q35 + (uint32_t)f);
		break;
	}
	case EV_BUGFIX: {
		struct strbuf who = STRBUF_INIT;

		do_abi(g, idx, ev->rel);
		message_of(&msg, g, idx);
		author_of(&who, idx);
		commit_master(g, idx, &msg, who.buf, 0, 0);
		strbuf_release(&who);
		strbuf_release(&msg);
		return;
	}
	case EV_RC:
		snprintf(g->master.version, sizeof(g->master.version), "%d.%d.9%d", pmajor, pminor,
			 ev->rc);
		strbuf_addf(&msg, "Update version for v%d.%d.0-rc%d release\n", major, minor, ev->rc);
		strbuf_addf(&tag, "v%d.%d.0-rc%d", major, minor, ev->rc);
		touch(g, c->file);
		break;
	case EV_RELEASE:
		snprintf(g->master.version, sizeof(g->master.version), "%d.%d.0", major, minor);
		strbuf_addf(&msg, "Update version for v%d.%d.0 release\n", major, minor);
		strbuf_addf(&tag, "v%d.%d.0", major, minor);
		if (c->time < g->anchor_time[ev->rel + 1])
			c->time = g->anchor_time[ev->rel + 1];
		touch(g, c->file);
		break;
	}
	if (c->kind == MK_MACHINES) {
		struct strbuf who = STRBUF_INIT;

		author_of(&who, idx);
		commit_master(g, idx, &msg, who.buf, 0, 0);
		strbuf_release(&who);
	} else {
		commit_master(g, idx, &msg, author, 0, 0);
	}
	if (tag.len) {
		strbuf_addf(&tagmsg, "QEMU-shaped benchmark release %s", tag.buf);
		emit_tag(g, tag.buf, idx + 1, c->time + 600, tagmsg.buf);
	}
	if (ev->kind == EV_RELEASE) {
		g->release_at[ev->rel] = idx;
		gen_state_copy(&g->snap[ev->rel], &g->master, &g->u);
	}
	strbuf_release(&msg);
	strbuf_release(&tag);
	strbuf_release(&tagmsg);
}

static void merge_commit(struct gen *g, size_t idx, unsigned long mainline, size_t first_side)
{
	struct mcommit *c = &g->commits[idx];
	struct strbuf msg = STRBUF_INIT, area = STRBUF_INIT, who = STRBUF_INIT;
	char date[16];

	c->kind = MK_MERGE;
	c->prev = -1;
	c->bugfix_rel = -1;
	c->file = g->commits[first_side].file;
	area_of(&area, gen_path(&g->u, c->file));
	for (char *p = area.buf; *p; p++)
		if (*p == '/')
			*p = '-';
	date_format(date, c->time);
	strbuf_addf(&msg, "Merge tag 'pull-%s-%s' of https://git.example.org/%s/qemu into staging\n\n"
		    "%s queue\n", area.buf, date, last_names[gen_hash(idx, 11) % ARRAY_SIZE(last_names)],
		    area.buf);
	ident(&who, 0);
	commit_master(g, idx, &msg, who.buf, mainline, idx);
	strbuf_release(&msg);
	strbuf_release(&area);
	strbuf_release(&who);
}

static void generate_master(struct gen *g)
{
	size_t idx = 0, ev = 0, abi_next = 0, acpi_next = 0, i;
	struct strbuf msg = STRBUF_INIT, who = STRBUF_INIT;

	init_master(g);
	/* The first commit writes every file that exists at the start. */
	g->commits[0].time = g->anchor_time[0];
	g->commits[0].kind = MK_INIT;
	g->commits[0].prev = -1;
	g->commits[0].bugfix_rel = -1;
	for (i = 0; i < g->master.nfiles; i++)
		touch(g, (uint32_t)i);
	for (i = 0; i < GEN_NSPECIAL; i++)
		touch(g, GEN_SPECIAL + (uint32_t)i);
	strbuf_addstr(&msg, "Initial import\n");
	author_of(&who, 0);
	commit_master(g, 0, &msg, who.buf, 0, 0);
	g->npulled = 0;
	for (idx = 1; idx < g->n;) {
		size_t next = ev < g->nevents ? g->events[ev].at : g->n, k, j;
		unsigned long mainline = idx; /* the mark of commit idx - 1 */

		if (next <= idx) {
			g->commits[idx].time = time_at(g, idx);
			release_event(g, idx, &g->events[ev++]);
			g->npulled = 0;
			idx++;
			continue;
		}
		if (next - idx < 3) {
			g->commits[idx].time = time_at(g, idx);
			side_commit(g, idx, &abi_next, &acpi_next);
			g->npulled = 0;
			idx++;
			continue;
		}
		k = 2 + rnd(&g->rng) % 24;
		if (k > next - idx - 1)
			k = next - idx - 1;
		for (j = 0; j < k; j++, idx++) {
			g->commits[idx].time = time_at(g, idx);
			side_commit(g, idx, &abi_next, &acpi_next);
		}
		g->commits[idx].time = time_at(g, idx);
		merge_commit(g, idx, mainline, idx - k);
		g->npulled = 0;
		idx++;
	}
	strbuf_release(&msg);
	strbuf_release(&who);
}

/* ---- stable streams ---- */

enum item_kind { IT_PICK, IT_PICK_NO_TRAILER, IT_REVERT };

struct item {
	size_t idx;          /* master commit */
	enum item_kind kind;
	size_t reverts;      /* IT_REVERT: the item it reverts */
	unsigned long mark;
};

struct stream {
	int rel;
	struct gen_state st;
	struct item *items;
	size_t n, alloc;
	unsigned long last_mark;
	int64_t time;
};

static void add_item(struct stream *s, size_t idx, enum item_kind kind, size_t reverts)
{
	ARRAY_GROW(s->items, s->n, s->alloc);
	s->items[s->n].idx = idx;
	s->items[s->n].kind = kind;
	s->items[s->n].reverts = reverts;
	s->items[s->n].mark = 0;
	s->n++;
}

/* Which master commits the stream takes: eligible edits, some ABI changes, its bugfix. */
static void select_items(struct gen *g, struct stream *s, size_t *bugfix_idx)
{
	size_t fork = g->release_at[s->rel];
	size_t end = (size_t)s->rel + 2 < NREL ? g->release_at[s->rel + 2] : g->n - 1;
	uint64_t rng = gen_hash((uint64_t)s->rel, 77);
	size_t want = (size_t)fmax(3, round((50 + gen_hash((uint64_t)s->rel, 13) % 351) * g->scale));
	size_t candidates = 0, i;

	*bugfix_idx = 0;
	if (releases[s->rel].bugfix && want < 2 * (size_t)releases[s->rel].bugfix + 2)
		want = 2 * (size_t)releases[s->rel].bugfix + 2;
	for (i = fork + 1; i <= end; i++) {
		const struct mcommit *c = &g->commits[i];

		if (c->kind == MK_EDIT && c->file < s->st.nfiles && c->prev < (int32_t)fork)
			candidates++;
	}
	for (i = fork + 1; i <= end; i++) {
		const struct mcommit *c = &g->commits[i];

		if (c->kind == MK_ABI && c->bugfix_rel == s->rel) {
			*bugfix_idx = i;
		} else if (c->kind == MK_ABI && c->bugfix_rel < 0 && c->file < s->st.nfiles) {
			if (rnd(&rng) % 2)
				add_item(s, i, IT_PICK, 0);
		} else if (c->kind == MK_EDIT && c->file < s->st.nfiles && c->prev < (int32_t)fork) {
			/* selection sampling: keeps `want` of `candidates`, in order */
			if (rnd(&rng) % candidates < want) {
				add_item(s, i, rnd(&rng) % 12 ? IT_PICK : IT_PICK_NO_TRAILER, 0);
				want--;
				/* about one in 33, and the fourth commit of every stream */
				if (s->n > 2 && (rnd(&rng) % 33 == 0 || s->n == 4) &&
				    g->commits[s->items[s->n - 2].idx].kind == MK_EDIT &&
				    s->items[s->n - 2].kind == IT_PICK)
					add_item(s, s->items[s->n - 2].idx, IT_REVERT, s->n - 2);
			}
			candidates--;
		}
	}
}

static void stable_time(const struct gen *g, struct stream *s, size_t idx)
{
	int64_t t = g->commits[idx].time + 3 * 86400;

	s->time = t > s->time + 600 ? t : s->time + 600;
}

static void emit_stable(struct gen *g, struct stream *s, const struct strbuf *msg,
			const char *author)
{
	struct strbuf ref = STRBUF_INIT;
	struct emit e;

	strbuf_addf(&ref, "refs/heads/stable-%d.%d", releases[s->rel].major, releases[s->rel].minor);
	memset(&e, 0, sizeof(e));
	e.ref = ref.buf;
	e.mark = g->next_mark++;
	e.from = s->last_mark == g->release_at[s->rel] + 1 ? s->last_mark : 0;
	e.author = author;
	e.committer = STABLE_IDENT;
	e.time = s->time;
	e.message = msg;
	e.state = &s->st;
	e.files = g->touched;
	e.nfiles = g->ntouched;
	emit_commit(g, &e);
	s->last_mark = e.mark;
	g->ntouched = 0;
	g->npulled = 0;
	g->nstable++;
	strbuf_release(&ref);
}

/* Replays master commit idx on the stream; returns whether the compat hunk was dropped. */
static bool apply_pick(struct gen *g, struct stream *s, size_t idx, bool bugfix)
{
	const struct mcommit *c = &g->commits[idx];
	const struct gen_file *f = &g->u.files[c->file];
	bool old;
	struct gen_compat *array;

	if (c->kind == MK_EDIT) {
		s->st.counts[c->slot] = c->count;
		touch(g, c->file);
		return false;
	}
	s->st.counts[c->slot] = c->count;
	old = gen_prop_value(&s->st, f, c->slot - f->slot0 - f->nfn) ? false : true;
	touch(g, c->file);
	array = gen_find_compat(&s->st, c->tmajor, c->tminor, c->pc);
	if (bugfix) {
		const struct release *r = &releases[s->rel];

		array = gen_add_compat(&s->st, r->major, r->minor, false);
		gen_add_machine(&s->st, FAM_Q35, r->major, r->minor, r->bugfix, false);
		touch(g, GEN_SPECIAL + SF_Q35);
	}
	if (!array)
		return true;
	gen_compat_append(array, c->file, (uint16_t)(c->slot - f->slot0 - f->nfn), old);
	touch(g, GEN_SPECIAL + (array->pc ? SF_PC_C : SF_MACHINE_C));
	return false;
}

static int emit_item(struct gen *g, struct stream *s, struct item *it, bool bugfix)
{
	const struct mcommit *c = &g->commits[it->idx];
	struct strbuf msg = STRBUF_INIT, who = STRBUF_INIT;
	char hex[MT_OID_HEXSZ + 1];
	int ret = 0;

	stable_time(g, s, it->idx);
	if (it->kind == IT_REVERT) {
		const struct item *orig = &s->items[it->reverts];

		if (fastimport_mark_sha(hex, &g->fi, orig->mark) < 0)
			return -1;
		s->st.counts[c->slot] = (uint16_t)(c->count - 1);
		touch(g, c->file);
		strbuf_addstr(&msg, "Revert \"");
		subject_of(&msg, g, it->idx);
		strbuf_addf(&msg, "\"\n\nThis reverts commit %s.\n\nIt changed what guests of existing "
			    "machine types see; drop it from the stable series.\n\nSigned-off-by: %s\n",
			    hex, STABLE_IDENT);
		emit_stable(g, s, &msg, STABLE_IDENT);
	} else {
		bool dropped = apply_pick(g, s, it->idx, bugfix);

		message_of(&msg, g, it->idx);
		if (it->kind == IT_PICK) {
			if (fastimport_mark_sha(hex, &g->fi, it->idx + 1) < 0) {
				ret = -1;
				goto out;
			}
			strbuf_addf(&msg, "(cherry picked from commit %s)\n", hex);
		}
		if (dropped)
			strbuf_addf(&msg, "[stable: dropped the %s hunk, %s_compat_%d_%d does not exist "
				    "in %d.%d]\n", c->pc ? "hw/i386/pc.c" : "hw/core/machine.c",
				    c->pc ? "pc" : "hw", c->tmajor, c->tminor,
				    releases[s->rel].major, releases[s->rel].minor);
		strbuf_addf(&msg, "Signed-off-by: %s\n", STABLE_IDENT);
		author_of(&who, it->idx);
		emit_stable(g, s, &msg, who.buf);
	}
	it->mark = s->last_mark;
out:
	strbuf_release(&msg);
	strbuf_release(&who);
	return ret;
}

static void stable_release(struct gen *g, struct stream *s, int micro)
{
	const struct release *r = &releases[s->rel];
	struct strbuf msg = STRBUF_INIT, tag = STRBUF_INIT;

	snprintf(s->st.version, sizeof(s->st.version), "%d.%d.%d", r->major, r->minor, micro);
	strbuf_addf(&msg, "Update version for %s release\n", s->st.version);
	strbuf_addf(&tag, "v%s", s->st.version);
	s->time += 3600;
	touch(g, GEN_SPECIAL + SF_VERSION);
	emit_stable(g, s, &msg, RELEASE_IDENT);
	emit_tag(g, tag.buf, s->last_mark, s->time + 600, tag.buf);
	strbuf_release(&msg);
	strbuf_release(&tag);
}

/*
 * Where the point releases go: after item pos[j - 1] for vX.Y.j, about every 60
 * commits, the newest streams with unreleased work on top. A bugfix machine
 * for X.Y.z goes right after the tag of X.Y.(z-1), so it ships in X.Y.z.
 */
static size_t plan_tags(size_t *pos, size_t nitems, int rel, size_t *bugfix_at)
{
	size_t k = nitems / 60 ? nitems / 60 : 1, j, total = nitems + (*bugfix_at ? 1 : 0);
	size_t den, z = (size_t)releases[rel].bugfix;

	if (z && k < z)
		k = z;
	den = (size_t)rel + 2 >= NREL ? k + 1 : k;
	for (j = 1; j <= k; j++)
		pos[j - 1] = total * j / den;
	if (*bugfix_at) {
		size_t b = (size_t)((double)total * ((double)z - 0.5) / (double)den);

		for (j = 1; j <= k; j++) {
			if (j < z && pos[j - 1] > b)
				pos[j - 1] = b;
			if (j >= z && pos[j - 1] <= b)
				pos[j - 1] = b + 1;
		}
		*bugfix_at = b;
	} else {
		*bugfix_at = (size_t)-1;
	}
	return k;
}

static int generate_stream(struct gen *g, int rel)
{
	struct stream s;
	size_t bugfix_idx, bugfix_at, i, k, tagged = 0, next = 0, pos[NREL + 8];
	int ret = 0;

	memset(&s, 0, sizeof(s));
	s.rel = rel;
	gen_state_copy(&s.st, &g->snap[rel], &g->u);
	s.last_mark = g->release_at[rel] + 1;
	s.time = g->commits[g->release_at[rel]].time;
	select_items(g, &s, &bugfix_idx);
	bugfix_at = bugfix_idx;
	k = plan_tags(pos, s.n > 60 * NREL ? 60 * NREL : s.n, rel, &bugfix_at);
	/* i counts commits written so far, the bugfix one included */
	for (i = 0; ret == 0; i++) {
		while (tagged < k && pos[tagged] == i)
			stable_release(g, &s, (int)++tagged);
		if (i == bugfix_at) {
			struct item bugfix = { bugfix_idx, IT_PICK, 0, 0 };

			ret = emit_item(g, &s, &bugfix, true);
		} else if (next < s.n) {
			ret = emit_item(g, &s, &s.items[next++], false);
		} else {
			break;
		}
	}
	free(s.items);
	gen_state_release(&s.st);
	return ret;
}

/* ---- main ---- */

static int parse_scale(double *out, const char *text)
{
	char *end;

	if (!strcmp(text, "quarter"))
		*out = 0.25;
	else if (!strcmp(text, "half"))
		*out = 0.5;
	else if (!strcmp(text, "full"))
		*out = 1.0;
	else {
		errno = 0;
		*out = strtod(text, &end);
		if (errno || *end || !(*out > 0) || *out > 4)
			return mt_error_set("--scale %s: want quarter, half, full or a fraction in (0, 4]",
					    text);
	}
	return 0;
}

static int generate(struct gen *g, const char *dest)
{
	const char *init[] = { "init", "-q", "--bare", "--initial-branch=master", dest, NULL };
	struct strbuf dir = STRBUF_INIT;
	const char *pack[] = { NULL, "pack-refs", "--all", NULL };
	/*
	 * fast-import deltas each version against the one before, in commit
	 * order (tree chains here reached 112 deep, 33 on average), and its
	 * documentation asks for a repack after a large import. A clone gets a
	 * server's pack-objects pack instead: depth at most 50, newest versions
	 * whole. One thread keeps the pack, and so the timings, reproducible;
	 * no bitmap or commit-graph, as in a fresh clone.
	 */
	const char *repack[] = { NULL, "-c", "pack.threads=1", "-c", "repack.writeBitmaps=false",
				 "repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=10",
				 NULL };
	size_t r;
	int ret = -1;

	g->n = (size_t)round(130000 * g->scale);
	if (g->n < 400)
		return mt_error_set("--scale %g: too small for one commit per release event", g->scale);
	gen_universe_init(&g->u, (size_t)fmax(300, round(9000 * g->scale)));
	gen_state_init(&g->master, &g->u);
	g->commits = xcalloc(g->n, sizeof(*g->commits));
	g->last_change = xmalloc(g->u.nslots * sizeof(*g->last_change));
	memset(g->last_change, 0xff, g->u.nslots * sizeof(*g->last_change));
	g->rng = 42;
	g->master.nfiles = g->u.nfiles * 3 / 10;
	plan(g);
	if (run_git(init) < 0 || fastimport_start(&g->fi, dest) < 0)
		goto out;
	generate_master(g);
	g->next_mark = g->n + 1;
	for (r = 0; r < NREL; r++) {
		if (generate_stream(g, (int)r) < 0) {
			fastimport_finish(&g->fi);
			goto out;
		}
	}
	if (fastimport_finish(&g->fi) < 0)
		goto out;
	strbuf_addf(&dir, "--git-dir=%s", dest);
	pack[0] = repack[0] = dir.buf;
	ret = run_git(pack) < 0 ? -1 : run_git(repack);
out:
	strbuf_release(&dir);
	return ret;
}

static void gen_release(struct gen *g)
{
	size_t r;

	for (r = 0; r < NREL; r++)
		gen_state_release(&g->snap[r]);
	gen_state_release(&g->master);
	gen_universe_release(&g->u);
	free(g->commits);
	free(g->last_change);
	free(g->events);
	free(g->abi_at);
	free(g->acpi_at);
	free(g->touched);
	free(g->pulled);
}

int main(int argc, char **argv)
{
	struct gen g;
	struct timespec t0, t1;
	struct stat st;
	const char *dest = NULL;
	int i, ret;

	memset(&g, 0, sizeof(g));
	g.scale = 1.0;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--scale") && i + 1 < argc) {
			if (parse_scale(&g.scale, argv[++i]) < 0) {
				fprintf(stderr, "genhistory: %s\n", mt_error_last());
				return 2;
			}
		} else if (argv[i][0] != '-' && !dest) {
			dest = argv[i];
		} else {
			dest = NULL;
			break;
		}
	}
	if (!dest) {
		fputs("usage: genhistory [--scale quarter|half|full|FRACTION] DEST.git\n", stderr);
		return 2;
	}
	if (stat(dest, &st) == 0) {
		fprintf(stderr, "genhistory: %s: already exists; remove it first\n", dest);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = generate(&g, dest);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (ret < 0)
		fprintf(stderr, "genhistory: %s: %s\n", dest, mt_error_last());
	else
		printf("genhistory: %s: scale %g: %zu master commits, %zu stable commits, "
		       "%zu streams, %zu tags, %zu files at the end, in %.1f s\n", dest, g.scale, g.n,
		       g.nstable, NREL, g.ntags, g.master.nfiles,
		       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	gen_release(&g);
	return ret < 0 ? 1 : 0;
}
