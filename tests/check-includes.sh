#!/bin/sh
# The one-way data flow of the modules (README.md, "Design"), checked on the
# includes: a file of a module may include the headers of its own module and
# of the modules before it in PIPELINE, never those of a later one. A header
# reaching forward is a module calling back up the chain.
# usage: check-includes.sh [ROOT]   (exit 1 and one line per offending include)
PIPELINE="util repo history machines abi jobs policy engine report cli"
cd "${1:-.}" || exit 2
rank() { # MODULE -> its position in PIPELINE, empty when it is not a module
	i=0
	for m in $PIPELINE; do
		i=$((i + 1))
		[ "$m" = "$1" ] && { echo $i; return; }
	done
}
bad=0
for m in $PIPELINE; do
	r=$(rank "$m")
	for f in src/"$m"/*.[ch] include/"$m"/*.h; do
		[ -f "$f" ] || continue
		# `#include "other/header.h"` lines: line number and the module named
		out=$(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[a-z]*/' "$f" |
		      sed 's/^\([0-9]*\):[^"]*"\([a-z]*\)\/.*/\1 \2/' |
		      while read -r line dep; do
			d=$(rank "$dep")
			[ -n "$d" ] || { echo "$f:$line: includes $dep/, which is not a module"; continue; }
			[ "$d" -le "$r" ] || echo "$f:$line: $m includes $dep/, which comes after it in the pipeline ($PIPELINE)"
		      done)
		[ -z "$out" ] || { echo "$out"; bad=1; }
	done
done
for d in src/* include/*; do
	[ -n "$(rank "${d#*/}")" ] || { echo "$d: not a module of the pipeline ($PIPELINE)"; bad=1; }
done
exit $bad
