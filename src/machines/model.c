/*
 * The model at one commit: every family file, the compat files, the
 * lifecycle constants and VERSION. Blob-level results are cached by blob
 * oid, so walking many tags parses each distinct file once.
 */
#include <stdlib.h>
#include <string.h>

#include "machines/csrc.h"
#include "util/error.h"
#include "machines/machines.h"
#include "machines_internal.h"
#include "repo/repo.h"
#include "util/xalloc.h"

/* What one blob gave, per use: machines of a family, compat arrays, lifecycle constants. */
struct parsed_blob {
	const struct family *family; /* machines computed for this family, or NULL */
	struct machine_list machines;
	bool has_compat;
	struct compat_list compat;
	bool has_constants;
	int deprecation_major; /* -1 when the blob does not define it */
	int deletion_major;
	struct parsed_blob *next; /* the same blob used for another family (never seen in QEMU) */
};

static void parsed_free(void *value, void *payload)
{
	struct parsed_blob *p = value;

	(void)payload;
	while (p) {
		struct parsed_blob *next = p->next;

		machine_list_release(&p->machines);
		compat_list_release(&p->compat);
		free(p);
		p = next;
	}
}

void model_cache_init(struct model_cache *cache)
{
	struct oidmap empty = OIDMAP_INIT;

	cache->blobs = empty;
}

void model_cache_release(struct model_cache *cache)
{
	oidmap_each(&cache->blobs, parsed_free, NULL);
	oidmap_release(&cache->blobs);
}

static int number_define(const struct csrc_file *f, const char *name)
{
	const struct csrc_define *d = csrc_find_define(f, name);
	const char *s;

	if (!d || d->function_like || d->body.last != d->body.first + 1 ||
	    f->dtoks[d->body.first].kind != CSRC_NUMBER)
		return -1;
	s = csrc_text(f, &f->dtoks[d->body.first]);
	if (strspn(s, "0123456789") != strlen(s) || strlen(s) > 3)
		return -1;
	return atoi(s);
}

enum blob_use { USE_MACHINES, USE_COMPAT, USE_CONSTANTS };

/* The cached results for blob at path, computing `use` when missing. */
static int parsed_get(struct parsed_blob **out, struct model_cache *cache, struct mt_repo *repo,
		      const struct families *fams, const struct mt_blob *blob, const char *path,
		      enum blob_use use, const struct family *family)
{
	struct parsed_blob *head = oidmap_get(&cache->blobs, &blob->oid), *p;
	struct csrc_file f;
	int ret;

	(void)repo;
	for (p = head; p; p = p->next) {
		if (use != USE_MACHINES || p->family == family || !p->family)
			break;
	}
	if (p && ((use == USE_MACHINES && p->family) || (use == USE_COMPAT && p->has_compat) ||
		  (use == USE_CONSTANTS && p->has_constants))) {
		*out = p;
		return 0;
	}
	if (!p) {
		p = xcalloc(1, sizeof(*p));
		p->next = head;
		oidmap_put(&cache->blobs, &blob->oid, p);
	}
	ret = csrc_parse(&f, path, blob->data, blob->len);
	if (ret < 0)
		return ret;
	if (use == USE_MACHINES) {
		ret = machines_from_csrc(&p->machines, family, path, &f);
		if (ret < 0)
			machine_list_release(&p->machines);
		else
			p->family = family;
	} else if (use == USE_COMPAT) {
		ret = compat_from_csrc(&p->compat, fams, path, &f);
		if (ret < 0)
			compat_list_release(&p->compat);
		else
			p->has_compat = true;
	} else {
		p->has_constants = true;
		p->deprecation_major = number_define(&f, fams->deprecation_constant);
		p->deletion_major = number_define(&f, fams->deletion_constant);
	}
	csrc_file_release(&f);
	*out = p;
	return ret;
}

static int read_version(struct model *m, struct mt_repo *repo, const struct mt_oid *commit)
{
	const struct mt_blob *blob;
	size_t len;
	int ret = repo_read_file(&blob, repo, commit, "VERSION");

	if (ret == MT_ENOTFOUND)
		return 0;
	if (ret < 0)
		return ret;
	len = blob->len;
	while (len > 0 && (blob->data[len - 1] == '\n' || blob->data[len - 1] == '\r' ||
			   blob->data[len - 1] == ' '))
		len--;
	m->has_version = qversion_parse_n(&m->version, blob->data, len) == 0;
	return 0;
}

static int by_family_newest_first(const void *a, const void *b)
{
	const struct machine *x = a, *y = b;
	int c = qversion_cmp(&y->version, &x->version);

	return c ? c : x->line - y->line;
}

/* Reads the file at path (when present) and hands its parsed results to out. */
static int load_path(struct parsed_blob **out, struct model_cache *cache, struct mt_repo *repo,
		     const struct families *fams, const struct mt_oid *commit, const char *path,
		     enum blob_use use, const struct family *family)
{
	const struct mt_blob *blob;
	int ret = repo_read_file(&blob, repo, commit, path);

	*out = NULL;
	if (ret == MT_ENOTFOUND)
		return 0;
	if (ret < 0)
		return ret;
	return parsed_get(out, cache, repo, fams, blob, path, use, family);
}

static int load_all(struct model *m, struct model_cache *cache, struct mt_repo *repo,
		    const struct families *fams, const struct mt_oid *commit, bool machines_only)
{
	struct parsed_blob *p;
	size_t i, j, k;
	int ret;

	if (!machines_only && (ret = read_version(m, repo, commit)) < 0)
		return ret;
	m->deprecation_major = fams->deprecation_major;
	m->deletion_major = fams->deletion_major;
	for (i = 0; !machines_only && i < fams->nlifecycle_headers; i++) {
		ret = load_path(&p, cache, repo, fams, commit, fams->lifecycle_headers[i],
				USE_CONSTANTS, NULL);
		if (ret < 0)
			return ret;
		if (p && p->deprecation_major >= 0 && p->deletion_major >= 0) {
			m->deprecation_major = p->deprecation_major;
			m->deletion_major = p->deletion_major;
			m->lifecycle_source = xstrdup(fams->lifecycle_headers[i]);
			break;
		}
	}
	for (i = 0; i < fams->n; i++) {
		const struct family *fam = &fams->v[i];
		size_t first = m->machines.n;

		for (j = 0; j < fam->npaths; j++) {
			ret = load_path(&p, cache, repo, fams, commit, fam->paths[j], USE_MACHINES,
					fam);
			if (ret < 0)
				return ret;
			for (k = 0; p && k < p->machines.n; k++) {
				struct machine *mm;

				ARRAY_GROW(m->machines.v, m->machines.n, m->machines.alloc);
				mm = &m->machines.v[m->machines.n++];
				machine_copy(mm, &p->machines.v[k]);
				mm->lifecycle = model_lifecycle(m, &mm->version, 0);
			}
		}
		if (m->machines.n > first) /* v is NULL while no family has a machine */
			qsort(m->machines.v + first, m->machines.n - first, sizeof(struct machine),
			      by_family_newest_first);
	}
	for (i = 0; !machines_only && i < fams->ncompat_paths; i++) {
		ret = load_path(&p, cache, repo, fams, commit, fams->compat_paths[i], USE_COMPAT,
				NULL);
		if (ret < 0)
			return ret;
		for (k = 0; p && k < p->compat.n; k++) {
			ARRAY_GROW(m->compat.v, m->compat.n, m->compat.alloc);
			compat_array_copy(&m->compat.v[m->compat.n++], &p->compat.v[k]);
		}
	}
	return 0;
}

static int load(struct model *out, struct model_cache *cache, struct mt_repo *repo,
		const struct families *fams, const struct mt_oid *commit, bool machines_only)
{
	struct model_cache local;
	int ret;

	memset(out, 0, sizeof(*out));
	out->commit = *commit;
	if (!cache) {
		model_cache_init(&local);
		cache = &local;
	}
	ret = load_all(out, cache, repo, fams, commit, machines_only);
	if (cache == &local)
		model_cache_release(&local);
	if (ret < 0)
		model_release(out);
	return ret;
}

int model_load(struct model *out, struct model_cache *cache, struct mt_repo *repo,
	       const struct families *fams, const struct mt_oid *commit)
{
	return load(out, cache, repo, fams, commit, false);
}

int model_load_machines(struct model *out, struct model_cache *cache, struct mt_repo *repo,
			const struct families *fams, const struct mt_oid *commit)
{
	return load(out, cache, repo, fams, commit, true);
}

void model_release(struct model *m)
{
	machine_list_release(&m->machines);
	compat_list_release(&m->compat);
	free(m->lifecycle_source);
	memset(m, 0, sizeof(*m));
}

enum machine_lifecycle model_lifecycle(const struct model *m, const struct qversion *v, int ahead)
{
	struct qversion at;

	/* Before the constants (9.1) QEMU had no cap: nothing to measure against. */
	if (!m->lifecycle_source || !m->has_version)
		return LIFECYCLE_UNKNOWN;
	at = m->version;
	if (ahead)
		qversion_add_releases(&at, ahead);
	return machine_lifecycle_at(v, &at, m->deprecation_major, m->deletion_major);
}

const struct machine *model_machine(const struct model *m, const char *name)
{
	size_t i;

	for (i = 0; m && i < m->machines.n; i++) {
		if (!strcmp(m->machines.v[i].name, name))
			return &m->machines.v[i];
	}
	return NULL;
}

const struct compat_array *model_compat(const struct model *m, const char *name)
{
	size_t i;

	for (i = 0; m && i < m->compat.n; i++) {
		if (!strcmp(m->compat.v[i].name, name))
			return &m->compat.v[i];
	}
	return NULL;
}

const struct machine *model_family_latest(const struct model *m, const char *family)
{
	size_t i;

	for (i = 0; m && i < m->machines.n; i++) {
		if (m->machines.v[i].latest && !strcmp(m->machines.v[i].family, family))
			return &m->machines.v[i];
	}
	return NULL;
}

const struct machine *model_family_first(const struct model *m, const char *family)
{
	size_t i;

	for (i = 0; m && i < m->machines.n; i++) {
		if (!strcmp(m->machines.v[i].family, family))
			return &m->machines.v[i];
	}
	return NULL;
}

const struct machine *model_family_minor(const struct model *m, const char *family,
					 int major, int minor)
{
	size_t i;

	for (i = 0; m && i < m->machines.n; i++) {
		const struct machine *mm = &m->machines.v[i];

		if (!strcmp(mm->family, family) && mm->kind == MACHINE_RELEASE &&
		    mm->version.major == major && mm->version.minor == minor)
			return mm;
	}
	return NULL;
}

bool model_has_minor(const struct model *m, const char *family, int major, int minor)
{
	size_t i;

	for (i = 0; m && i < m->machines.n; i++) {
		const struct machine *mm = &m->machines.v[i];

		if ((!family || !strcmp(mm->family, family)) && mm->version.major == major &&
		    mm->version.minor == minor)
			return true;
	}
	return false;
}
