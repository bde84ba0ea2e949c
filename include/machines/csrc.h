/*
 * csrc: a small C tokenizer for one source blob, enough to find QEMU's
 * machine-type macro calls and compat arrays without a preprocessor.
 *
 * It skips comments, joins line continuations, reads string and char
 * literals with their escapes, and follows #if/#ifdef/#ifndef/#elif/#else/
 * #endif: code under `#if 0` or `#if (0)` (or the branches after a taken
 * `#if 1`, and an `#elif 0` branch) is dropped; code under any other condition is kept and every token carries
 * the condition text ("CONFIG_S390X_LEGACY_CPUS"), because such code is
 * really built on some configurations. `#define` bodies are kept apart from
 * the code, so a macro's own definition is never mistaken for a call.
 *
 * Limits (hostile input fails with a message, never a crash):
 * CSRC_MAX_TOKENS tokens (and directive spans) per blob, MT_LIMIT_BRACKET_DEPTH nested brackets,
 * CSRC_MAX_ARGS arguments or initialiser elements per list. Conditionals
 * nested deeper than MT_LIMIT_IF_DEPTH are read as live code, their guards
 * not recorded (as mtlimits.h says: deep nesting can add code, never hide it).
 *
 * Every token and every live directive line keeps its byte span in the blob,
 * so a caller can map what csrc read back onto the text (abi_text builds its
 * blanked copy of a file that way: one reader decides what is live).
 *
 * Ownership: csrc_parse fills a caller-provided struct csrc_file; the
 * caller calls csrc_file_release. Everything inside belongs to the file.
 */
#ifndef MT_CSRC_H
#define MT_CSRC_H

#include <stdbool.h>
#include <stddef.h>

#include "util/mtlimits.h"

#define CSRC_MAX_TOKENS (4u * 1024 * 1024)
#define CSRC_MAX_ARGS 4096

enum csrc_kind {
	CSRC_IDENT,
	CSRC_NUMBER,
	CSRC_STRING, /* text is the contents between the quotes, escapes as written */
	CSRC_CHAR,   /* text is the whole literal, quotes included */
	CSRC_PUNCT,
};

struct csrc_token {
	enum csrc_kind kind;
	int line;   /* 1-based line of the token's first character */
	int cond;   /* index into csrc_file.conds, or -1 when unconditional */
	size_t off; /* NUL-terminated text at csrc_file.text + off */
	size_t len;
	/* Bytes [start, end) of the blob: quotes and continuations inside included. */
	size_t start;
	size_t end;
};

/* Bytes [start, end) of the blob. */
struct csrc_span {
	size_t start;
	size_t end;
};

/* Tokens [first, last) of one token array. */
struct csrc_range {
	size_t first;
	size_t last;
};

/* A file-scope macro invocation `NAME(args)`, with or without a `;` after it. */
struct csrc_call {
	size_t name;             /* index in toks */
	size_t close;            /* index in toks of its ')' */
	struct csrc_range *args; /* top-level comma-separated arguments */
	size_t nargs;            /* 0 for `NAME()` */
};

/* A function definition at file scope: `... NAME(params) { body }`. */
struct csrc_func {
	size_t name;  /* index in toks */
	size_t open;  /* '{' */
	size_t close; /* '}' */
};

/* A brace initialiser `TYPE NAME = {...}` or `TYPE NAME[...] = {...}`. */
struct csrc_init {
	size_t type;  /* index of the identifier before NAME, or SIZE_MAX */
	size_t name;  /* index in toks */
	bool array;
	size_t open;  /* '{' */
	size_t close; /* '}' */
	long func;    /* index in funcs when inside a function body, else -1 */
};

/* `#define NAME body` or `#define NAME(params) body`, body tokens in dtoks. */
struct csrc_define {
	size_t name; /* index in dtoks */
	bool function_like;
	struct csrc_range params; /* parameter tokens in dtoks (commas included) */
	struct csrc_range body;   /* in dtoks */
};

struct csrc_file {
	char *text;               /* every token's text, NUL-separated */
	size_t text_len;
	struct csrc_token *toks;  /* live code outside directives */
	size_t ntoks;
	struct csrc_token *dtoks; /* bodies of live #defines */
	size_t ndtoks;
	char **conds;             /* distinct guard texts tokens refer to */
	size_t nconds;
	struct csrc_call *calls;
	size_t ncalls;
	struct csrc_func *funcs;
	size_t nfuncs;
	struct csrc_init *inits;
	size_t ninits;
	struct csrc_define *defines;
	size_t ndefines;
	/*
	 * The text of live directive lines (#define, #include, the #if of a
	 * group whose code is live...): each token, the '#' included, and each
	 * line continuation, in blob order. Directives that open, switch or
	 * close dead code are not live.
	 */
	struct csrc_span *dirspans;
	size_t ndirspans;
	/* private */
	size_t alloc_toks, alloc_dtoks, alloc_conds, alloc_calls, alloc_funcs, alloc_inits,
		alloc_defines, alloc_text, alloc_dirspans;
};

/*
 * Tokenizes `len` bytes of `text` and finds its file-scope calls, function
 * definitions, brace initialisers and defines. `name` (a path) prefixes
 * error messages: "hw/i386/pc_q35.c:12: unterminated comment".
 */
int csrc_parse(struct csrc_file *out, const char *name, const char *text, size_t len);
/*
 * Only the reading part of csrc_parse: tokens, guards, defines and directive
 * spans; no calls, functions or initialisers, so unbalanced brackets (both
 * branches of an #ifdef opening a block) are no error. Same conventions.
 */
int csrc_tokenize(struct csrc_file *out, const char *name, const char *text, size_t len);
void csrc_file_release(struct csrc_file *file);

static inline const char *csrc_text(const struct csrc_file *f, const struct csrc_token *t)
{
	return f->text + t->off;
}

/* True when token t is the punctuator or identifier spelled s. */
bool csrc_is(const struct csrc_file *f, const struct csrc_token *t, const char *s);

/* The guard condition of a token, or NULL when it is unconditional. */
const char *csrc_cond(const struct csrc_file *f, const struct csrc_token *t);

/*
 * Splits toks[first, last) at top-level commas (outside (), [], {}) into
 * ranges; a trailing empty element after a final comma is dropped. The
 * array is the caller's to free(). Fails past CSRC_MAX_ARGS elements.
 */
int csrc_split(struct csrc_range **out, size_t *out_count, const struct csrc_file *f,
	       const struct csrc_token *toks, size_t first, size_t last);

/*
 * Index of the bracket closing the opener at toks[open] within [open, last),
 * or SIZE_MAX when it is not closed there.
 */
size_t csrc_match(const struct csrc_file *f, const struct csrc_token *toks,
		  size_t open, size_t last);

/* The define named `name`, the last one in the file, or NULL. */
const struct csrc_define *csrc_find_define(const struct csrc_file *f, const char *name);
/* The function defined with this name, or NULL. */
const struct csrc_func *csrc_find_func(const struct csrc_file *f, const char *name);

#endif
