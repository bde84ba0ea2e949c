#!/bin/sh
# Builds, in the current directory, a pseudo-random history of empty-tree
# commits with branches, merges, equal committer times and clock skew (a
# commit older than its parents), and prints each commit's id, oldest
# first. The same every run: a fixed linear congruential generator decides.
set -e
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.org
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.org
export GIT_CONFIG_NOSYSTEM=1 HOME=/nonexistent
git init -q .
tree=$(git mktree < /dev/null)
seed=20240501
rnd() { # rnd N: r = a number in [0, N)
	seed=$(((seed * 1103515245 + 12345) % 2147483648))
	r=$((seed / 65536 % $1))
}
n=${1:-48}
i=0
time=1400000000
while [ "$i" -lt "$n" ]; do
	parents=
	if [ "$i" -gt 0 ]; then
		rnd 10
		if [ "$r" -lt 6 ]; then p=$((i - 1)); else rnd "$i"; p=$r; fi
		eval "parents=\"-p \$c$p\""
		rnd 4
		if [ "$r" -eq 0 ] && [ "$i" -gt 2 ]; then
			rnd "$i"
			[ "$r" -ne "$p" ] && eval "parents=\"\$parents -p \$c$r\""
		fi
	fi
	rnd 10
	if [ "$r" -lt 2 ]; then
		rnd 40; when=$((time - r * 3600))   # skew: older than its parents
	elif [ "$r" -lt 3 ]; then
		when=$time                          # the same second as the last one
	else
		time=$((time + 3600)); when=$time
	fi
	c=$(GIT_AUTHOR_DATE="@$when +0000" GIT_COMMITTER_DATE="@$when +0000" \
		git commit-tree "$tree" $parents -m "c$i")
	eval "c$i=$c"
	echo "$c"
	i=$((i + 1))
done
git update-ref refs/heads/master "$c"
