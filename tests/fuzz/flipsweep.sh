#!/bin/sh
# One-byte-flip sweep: tests/fuzz/flipsweep.sh MTCHECK REPO [ARGS...]
# REPO is a packed repository (one pack, nothing loose; a scratch copy: its
# files are changed and restored in place). For every offset of its .idx and
# .pack, the byte there is inverted and `MTCHECK --repo REPO ARGS` (default:
# audit --format json -j 1) is run once. Each flip must give the unchanged
# report with the unchanged exit status, or exit 2: a different report with
# exit 0 or 1 (or a crash) is silently wrong, and its offset is listed.
# Prints the counts per file and a total line. FLIPSWEEP_FILES="idx" (or
# "pack") limits the sweep to those files.
set -eu
bin=$1 repo=$2
shift 2
[ $# -gt 0 ] || set -- audit --format json -j 1
packdir=$repo/objects/pack
[ -d "$packdir" ] || packdir=$repo/.git/objects/pack
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

set +e
"$bin" --repo "$repo" "$@" > "$tmp/want" 2> /dev/null
want_status=$?
set -e
[ "$want_status" -le 1 ] || { echo "flipsweep: the undamaged repository gives exit $want_status" >&2; exit 2; }

total_same=0 total_err=0 total_bad=0
for ext in ${FLIPSWEEP_FILES:-idx pack}; do
for file in "$packdir"/*."$ext"; do
	size=$(wc -c < "$file")
	cp "$file" "$tmp/orig"
	same=0 err=0 bad=0 off=0
	chmod u+w "$file"
	while [ "$off" -lt "$size" ]; do
		byte=$(od -An -tu1 -j "$off" -N 1 "$tmp/orig" | tr -d ' ')
		printf "\\$(printf %o $((byte ^ 255)))" |
			dd of="$file" bs=1 seek="$off" conv=notrunc status=none
		set +e
		"$bin" --repo "$repo" "$@" > "$tmp/got" 2> /dev/null
		status=$?
		set -e
		if [ "$status" -eq 2 ]; then
			err=$((err + 1))
		elif [ "$status" -eq "$want_status" ] && cmp -s "$tmp/want" "$tmp/got"; then
			same=$((same + 1))
		else
			bad=$((bad + 1))
			echo "silently wrong: $(basename "$file") offset $off: exit $status" >&2
		fi
		printf "\\$(printf %o "$byte")" |
			dd of="$file" bs=1 seek="$off" conv=notrunc status=none
		off=$((off + 1))
	done
	cmp -s "$file" "$tmp/orig" || { echo "flipsweep: $file not restored" >&2; exit 2; }
	echo "$(basename "$file"): $size flips: $same unchanged, $err exit 2, $bad silently wrong"
	total_same=$((total_same + same)) total_err=$((total_err + err)) total_bad=$((total_bad + bad))
done
done
echo "total: $((total_same + total_err + total_bad)) flips: $total_same unchanged, $total_err exit 2, $total_bad silently wrong"
[ "$total_bad" -eq 0 ]
