#!/bin/sh
# Builds, in the current directory, a history whose commits change files in
# every way a diff must get right: modes, symlinks, submodules, binary and
# empty files, missing final newlines, CRLF, a file becoming a directory,
# diff attributes and a merge. tests/test_repo_diff.c compares mtcheck's
# diff of each commit with libgit2's own.
set -e
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=tester@example.org
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=tester@example.org
export GIT_CONFIG_NOSYSTEM=1 HOME=/nonexistent
n=0
commit() {
	n=$((n + 1))
	export GIT_AUTHOR_DATE="2020-01-01T00:00:$(printf %02d $n)Z"
	export GIT_COMMITTER_DATE="$GIT_AUTHOR_DATE"
	git commit -q --allow-empty -m "$1"
}
c() {
	git add -A
	commit "$1"
}
lines() { # lines FIRST LAST: numbered lines, one a line
	i=$1
	while [ "$i" -le "$2" ]; do echo "line $i"; i=$((i + 1)); done
}

git init -q .
git symbolic-ref HEAD refs/heads/master
git config diff.nd.binary true
git config diff.td.binary false
lines 1 40 > long.c
printf 'a\nb\nc\n' > text.c
printf 'no newline' > nonl.c
printf 'one\r\ntwo\r\n' > crlf.c
: > empty.c
printf 'x\000y\n' > bin.dat
ln -s text.c link
printf 'g\n' > becomes-dir
mkdir -p hw/arm
printf 'board\n' > hw/arm/virt.c
c root

chmod +x text.c; c "mode only"
printf 'a\nB\nc\n' > text.c; chmod -x text.c; c "mode and content"
ln -sf nonl.c link; c "symlink target"
rm link; printf 'now a file\n' > link; c "symlink becomes a file"
rm link; ln -s hw/arm/virt.c link; c "file becomes a symlink"
printf 'no newline either' > nonl.c; c "no final newline on either side"
printf 'no newline either\n' > nonl.c; c "final newline added"
printf 'last\nno newline' > nonl.c; c "final newline removed"
printf 'one\r\nTWO\r\n' > crlf.c; c "crlf"
printf 'now text\n' > empty.c; c "empty becomes text"
: > empty.c; c "text becomes empty"
: > new-empty.c; c "empty file added"
rm new-empty.c; c "empty file deleted"
printf 'x\000z\n' > bin.dat; c "binary changed"
printf 'text now\n' > bin.dat; c "binary becomes text"
printf 'x\000again\n' > bin.dat; c "text becomes binary"
lines 1 2000 > big.c; head -c 8000 big.c > late.c; printf '\000tail\n' >> late.c; c "NUL just past 8000 bytes"
head -c 7999 big.c > early.c; printf '\000tail\n' >> early.c; c "NUL at byte 8000"
lines 1 300 > late.c; c "late NUL gone"
head -c 7999 big.c > early.c; c "early NUL gone"
{ lines 1 4; echo changed 5; lines 6 19; echo changed 20; lines 21 40; } > long.c
c "two hunks"
{ lines 1 4; lines 6 19; echo added; lines 20 40; } > long.c; c "deletion and addition"
rm becomes-dir; mkdir becomes-dir; printf 'inner\n' > becomes-dir/inner.c; c "file becomes a directory"
git update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,sub
commit "submodule added"
git update-index --cacheinfo 160000,2222222222222222222222222222222222222222,sub
commit "submodule moved"
git update-index --force-remove sub; printf 'sub is a file\n' > sub; c "submodule becomes a file"
printf '*.nb -diff\n*.tx diff\n*.nd diff=nd\n*.td diff=td\n*.un diff=unknown\n' > .gitattributes
printf 'a\000b\n' > forced.tx
printf 'a\000b\n' > forced.td
printf 'plain\n' > plain.nb
printf 'plain\n' > plain.nd
printf 'a\000b\n' > plain.un
c "diff attributes"
printf 'a\000c\n' > forced.tx
printf 'a\000c\n' > forced.td
printf 'plain too\n' > plain.nb
printf 'plain too\n' > plain.nd
printf 'a\000c\n' > plain.un
c "diff attributes decide binary"
rm text.c hw/arm/virt.c; c "deletions"
git checkout -q -b side HEAD~3
printf 'side\n' > side.c; c "side branch"
git checkout -q master
printf 'main\n' > main.c; c "master"
export GIT_AUTHOR_DATE="2020-01-01T00:01:00Z" GIT_COMMITTER_DATE="2020-01-01T00:01:00Z"
git merge -q --no-ff -m merge side
commit "empty commit"
