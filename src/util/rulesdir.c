#include "util/rulesdir.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The directory holding the running binary, from /proc/self/exe (Linux) or argv[0]. */
static int exe_dir(struct strbuf *out, const char *argv0)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *slash;

	if (n > 0) {
		buf[n] = '\0';
	} else if (argv0 && strchr(argv0, '/') && realpath(argv0, buf)) {
		/* resolved */
	} else {
		return MT_ERROR;
	}
	slash = strrchr(buf, '/');
	if (!slash)
		return MT_ERROR;
	*slash = '\0';
	strbuf_addstr(out, buf[0] ? buf : "/");
	return MT_OK;
}

int rules_dir_find(struct strbuf *out, const char *option, const char *argv0)
{
	static const char *const beside[] = { "rules", "../rules", "../share/mtcheck/rules" };
	const char *env = getenv("MTCHECK_RULES");
	struct strbuf dir = STRBUF_INIT;
	size_t i;

	strbuf_reset(out);
	if (option || (env && *env)) {
		const char *want = option ? option : env;

		if (!is_dir(want))
			return mt_error_set("%s: rules directory not found (from %s)", want,
					    option ? "--rules" : "MTCHECK_RULES");
		strbuf_addstr(out, want);
		return MT_OK;
	}
	if (exe_dir(&dir, argv0) < 0)
		return mt_error_set("cannot find the built-in rules: the program's location is "
				    "unknown; use --rules DIR");
	for (i = 0; i < sizeof(beside) / sizeof(*beside); i++) {
		strbuf_reset(out);
		strbuf_addf(out, "%s/%s", dir.buf, beside[i]);
		if (is_dir(out->buf)) {
			strbuf_release(&dir);
			return MT_OK;
		}
	}
	mt_error_set("cannot find the built-in rules beside %s (tried rules/, ../rules/, "
		     "../share/mtcheck/rules/); use --rules DIR or MTCHECK_RULES", dir.buf);
	strbuf_release(&dir);
	strbuf_reset(out);
	return MT_ERROR;
}

void rules_dir_file(struct strbuf *out, const char *dir, const char *name)
{
	strbuf_addf(out, "%s/%s", dir, name);
}
