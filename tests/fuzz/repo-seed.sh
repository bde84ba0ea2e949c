#!/bin/sh
# tests/fuzz/repo-seed.sh MKSCENARIO SCENARIO.json OUT: builds the scenario,
# packs it into one pack with its refs in packed-refs, and writes OUT as the
# repository targets read it: index, separator, pack, separator, packed-refs.
set -eu
mk=$1 scenario=$2 out=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$mk" "$scenario" "$tmp/repo" > /dev/null
git -C "$tmp/repo" repack -adq
git -C "$tmp/repo" prune-packed
git -C "$tmp/repo" pack-refs --all
gitdir=$tmp/repo/.git
[ -d "$gitdir" ] || gitdir=$tmp/repo
{
	cat "$gitdir"/objects/pack/*.idx
	printf '\000MTSEP\000\n'
	cat "$gitdir"/objects/pack/*.pack
	printf '\000MTSEP\000\n'
	cat "$gitdir/packed-refs"
} > "$out"
