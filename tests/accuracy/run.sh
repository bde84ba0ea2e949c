#!/bin/sh
# run.sh MTCHECK SCORER LIST QEMU OUTDIR [EVIDENCE]: audits the QEMU history QEMU with
# MTCHECK, lists the backports of every stream the list names, and scores the
# verdicts against the labelled LIST (README.md, "Accuracy on real backports").
# mtcheck's own output stays in OUTDIR for a closer look. EVIDENCE "no" skips
# the per-stream listing (faster; no evidence column, commits not checked to
# be backports of their stream). Exit 2 with one line on stderr when QEMU is
# not a repository or mtcheck fails.
set -u
mtcheck=$1 scorer=$2 list=$3 qemu=$4 out=$5 evidence=${6:-yes}

fail() {
	echo "make accuracy: $*" >&2
	exit 2
}

[ -n "$qemu" ] || fail "QEMU is not set; run make accuracy QEMU=DIR with DIR a QEMU repository that has its stable-X.Y branches"
[ -d "$qemu" ] || fail "QEMU=$qemu: no such directory"
# The directory itself must be the repository (a work tree or a bare one), not
# some directory inside another repository that mtcheck would find upwards.
if [ ! -e "$qemu/.git" ] && { [ ! -f "$qemu/HEAD" ] || [ ! -d "$qemu/objects" ]; }; then
	fail "QEMU=$qemu: not a git repository (no .git, nor HEAD and objects of a bare one)"
fi
rm -rf "$out" && mkdir -p "$out" || fail "cannot create $out"

# mtcheck names what went wrong itself; its exit 1 only means it found something.
"$mtcheck" --repo "$qemu" streams >"$out/streams.txt" || exit 2
"$mtcheck" --repo "$qemu" audit --format json >"$out/audit.json"
[ $? -le 1 ] || exit 2

# Each stream the list names: its backports, or an empty list when this
# history has no such stream (its cases are then reported as not scored).
set --
[ "$evidence" = no ] ||
for s in $(sed -n 's/^[[:space:]]*\(stable-[0-9][0-9.]*\)[[:space:]].*/\1/p' "$list" | sort -u); do
	if grep -q "^$s[[:space:]]" "$out/streams.txt"; then
		"$mtcheck" --repo "$qemu" backports "$s" --format json >"$out/backports-$s.json"
		[ $? -le 1 ] || exit 2
	else
		printf '{"stream": "%s", "backports": []}\n' "$s" >"$out/backports-$s.json"
	fi
	set -- "$@" "$out/backports-$s.json"
done
"$scorer" "$list" "$out/audit.json" "$@" >"$out/report.txt" || exit 2
cat "$out/report.txt"
