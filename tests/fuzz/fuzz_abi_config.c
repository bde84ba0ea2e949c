/*
 * abi_config: any bytes as rules/abi-signals.json. A load either gives a
 * configuration whose signals are all named, or one message naming the file.
 */
#include <assert.h>
#include <string.h>

#include "abi/abi.h"
#include "util/error.h"
#include "fuzz.h"
#include "util/jsonfile.h"

/* abi_config_from_json on text in memory. */
static int abi_config_parse(struct abi_config **out, const char *name, const char *text,
			    size_t len)
{
	struct json_file jf;
	int ret;

	*out = NULL;
	ret = json_file_parse(&jf, name, text, len);
	if (ret < 0)
		return ret;
	ret = abi_config_from_json(out, &jf);
	json_file_release(&jf);
	return ret;
}

FUZZ_TARGET(abi_config)
{
	struct abi_config *config;
	const struct abi_signal *signals;
	size_t i, n;

	mt_error_clear();
	if (abi_config_parse(&config, "abi-signals.json", (const char *)data, size) < 0) {
		assert(strncmp(mt_error_last(), "abi-signals.json", 16) == 0);
		assert(!strpbrk(mt_error_last(), "\n\r\033"));
		return 0;
	}
	signals = abi_config_signals(config, &n);
	for (i = 0; i < n; i++)
		assert(signals[i].id && *signals[i].id && signals[i].summary);
	abi_config_free(config);
	return 0;
}
