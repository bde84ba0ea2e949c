#!/bin/sh
# End-to-end test of `mtcheck ci-template gitlab` and `ci-template pre-push`,
# run by test_ci.c: usage: ci-e2e.sh gitlab|pre-push MTCHECK DEMO_REPO WORKDIR
#
# gitlab: a "server" repository (the demo history with 24 more commits on
# stable-10.0, so that 20 commits do not reach v10.0.0) gets a merge request
# whose head backports an ABI change; it is cloned as GitLab's runner does
# (git init, fetch of the merge-request ref 20 commits deep without tags,
# detached checkout), and the job's script lines from the template run in one
# shell with errexit, as the runner runs them. A second merge request that
# only touches documentation is the near miss.
#
# pre-push: a maintainer's clone with the hook installed pushes to a local
# bare repository; an ABI-changing backport is refused, a docs-only one goes.
#
# Prints "key: value" lines for the C test to assert on.
set -eu
what=$1 mtcheck=$2 demo=$3 work=$4
bindir=$(dirname "$mtcheck")
export PATH="$bindir:$PATH"
export GIT_AUTHOR_NAME=Tester GIT_AUTHOR_EMAIL=t@example.org
export GIT_COMMITTER_NAME=Tester GIT_COMMITTER_EMAIL=t@example.org
rm -rf "$work"
mkdir -p "$work"
export GIT_CONFIG_NOSYSTEM=1 HOME="$work"
git config --global init.defaultBranch master
git config --global advice.detachedHead false

# The server: the demo history as a repository with a work tree to commit in.
git clone -q --no-local "$demo" "$work/server"
cd "$work/server"
git fetch -q origin '+refs/remotes/origin/stable-*:refs/heads/stable-*'
git checkout -q stable-10.0
i=1
while [ $i -le 24 ]; do
	echo "note $i" >> docs-stable-notes.txt
	git add docs-stable-notes.txt
	git commit -q -m "docs: stable note $i"
	i=$((i + 1))
done
abi_change=$(git rev-parse refs/remotes/origin/staging-10.0)
git checkout -q -b mr-abi
git cherry-pick --allow-empty -x "$abi_change" >/dev/null 2>&1 || git cherry-pick "$abi_change" >/dev/null
git update-ref refs/merge-requests/1/head HEAD
git checkout -q stable-10.0
git checkout -q -b mr-docs
echo "a note" > docs-release.txt
git add docs-release.txt
git commit -q -m "docs: a release note"
git update-ref refs/merge-requests/2/head HEAD
stable=$(git rev-parse stable-10.0)
git checkout -q master
# The server has master and the stable branches as branches, and the tags.
for b in $(git for-each-ref --format='%(refname:strip=3)' refs/remotes/origin/); do
	[ "$b" = HEAD ] || git update-ref "refs/heads/$b" "refs/remotes/origin/$b"
done
git update-ref refs/heads/stable-10.0 "$stable"

# GitLab's runner: init, fetch the merge request 20 deep without tags, detach.
gitlab_clone() {
	mr=$1
	rm -rf "$work/clone"
	git init -q "$work/clone"
	cd "$work/clone"
	git remote add origin "file://$work/server"
	git fetch -q --depth 20 --no-tags --prune origin \
		"+refs/merge-requests/$mr/head:refs/remotes/origin/merge-requests/$mr/head"
	git checkout -q -f --detach "refs/remotes/origin/merge-requests/$mr/head"
}

# The job's script: the lines under "script:" of the template, in one shell.
job_script() {
	mtcheck ci-template gitlab | awk '
		/^  script:/ { on = 1; next }
		on && /^    - / { sub(/^    - /, ""); print; next }
		on { on = 0 }'
}

run_job() {
	job_script > "$work/job.sh"
	set +e
	CI_MERGE_REQUEST_TARGET_BRANCH_NAME=stable-10.0 sh -e "$work/job.sh" \
		> "$work/job.out" 2> "$work/job.err"
	status=$?
	set -e
	echo "job-status: $status"
}

case $what in
gitlab)
	gitlab_clone 1
	echo "shallow: $(git rev-parse --is-shallow-repository)"
	echo "tags-before: $(git tag | wc -l)"
	set +e
	mtcheck check HEAD --stream 10.0 > /dev/null 2> "$work/before.err"
	echo "check-before-status: $?"
	set -e
	echo "check-before-err: $(cat "$work/before.err")"
	run_job
	echo "job-stdout-last: $(tail -n 1 "$work/job.out")"
	grep -q '^ci-setup: HEAD (stream 10.0) reaches v10.0.0' "$work/job.out" &&
		echo "ci-setup: reached"
	echo "tags-after: $(git tag | wc -l)"
	echo "codequality-abi001: $(grep -c '"check_name": "ABI001"' gl-code-quality-report.json)"
	grep -q '"description": "ABI001: .*(stream stable-10.0, commit [0-9a-f]\{12\} virtio-net: raise' \
		gl-code-quality-report.json && echo "codequality-description: names stream and commit"
	echo "sarif-results: $(grep -c '"ruleId"' mtcheck.sarif)"
	echo "sarif-success: $(grep -o '"executionSuccessful": [a-z]*' mtcheck.sarif)"
	echo "markdown-heading: $(head -n 1 mtcheck.md)"
	gitlab_clone 2
	run_job
	echo "near-miss-codequality: $(tr -d ' \n' < gl-code-quality-report.json)"
	;;
pre-push)
	git clone -q --bare "$work/server" "$work/bare.git"
	git clone -q "$work/bare.git" "$work/dev"
	cd "$work/dev"
	mtcheck ci-template pre-push > .git/hooks/pre-push
	chmod +x .git/hooks/pre-push
	git checkout -q stable-10.0
	before=$(git --git-dir="$work/bare.git" rev-parse refs/heads/stable-10.0)
	git cherry-pick "$abi_change" > /dev/null
	set +e
	git push -q origin stable-10.0 > "$work/push1.out" 2>&1
	echo "push-abi-status: $?"
	set -e
	echo "server-unchanged: $(test "$(git --git-dir="$work/bare.git" rev-parse refs/heads/stable-10.0)" = "$before" && echo yes || echo no)"
	grep -q 'ABI001' "$work/push1.out" && echo "push-abi-shows: ABI001"
	grep -q 'push stopped' "$work/push1.out" && echo "push-abi-says: stopped"
	git reset -q --hard "$before"
	echo "more" >> docs-stable-notes.txt
	git commit -q -am "docs: one more note"
	set +e
	git push -q origin stable-10.0 > "$work/push2.out" 2>&1
	echo "push-docs-status: $?"
	set -e
	echo "server-updated: $(test "$(git --git-dir="$work/bare.git" rev-parse refs/heads/stable-10.0)" = "$(git rev-parse HEAD)" && echo yes || echo no)"
	set +e
	git push -q origin HEAD:refs/heads/feature-x > /dev/null 2>&1
	echo "push-other-branch-status: $?"
	set -e
	;;
esac
