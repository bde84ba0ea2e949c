/* The rule table: every rule the catalogue defines, by id, and the C function that checks it. */
#include <stddef.h>

#include "engine_internal.h"

const struct engine_rule engine_rules[] = {
	{ "ABI001", rule_abi001 },
	{ "ABI002", rule_abi002 },
	{ "ABI003", rule_abi003 },
	{ "BFM001", rule_bfm001 },
	{ "BFM002", rule_bfm002 },
	{ "BFM003", rule_bfm003 },
	{ "BFM004", rule_bfm004 },
	{ "BFM005", rule_bfm005 },
	{ "BFM006", rule_bfm006 },
	{ "LIFE001", rule_life001 },
	{ "LIFE002", rule_life002 },
	{ "MIG001", rule_mig001 },
	{ "MIG002", rule_mig002 },
	{ "POL001", rule_pol001 },
	{ "REG001", rule_reg001 },
	{ NULL, NULL },
};
