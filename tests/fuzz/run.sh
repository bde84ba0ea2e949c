#!/bin/sh
# Runs one fuzz target: tests/fuzz/run.sh NAME BUILD_DIR SECONDS SEED...
# Seeds are copied into BUILD_DIR/corpus/NAME/ (kept between runs, so the
# corpus grows); tests/fuzz/regressions/NAME/ is read as a second corpus.
# A *.seeds file gives one seed per line, with printf's backslash escapes
# (\n, \t, \\) read, so a seed can hold several lines.
# Prints one summary line; on a crash, says where the input is and how to
# keep it as a regression test.
set -eu
name=$1 fb=$2 seconds=$3
shift 3
bin=$fb/fuzz_$name
corpus=$fb/corpus/$name
crashes=$fb/crashes/$name
regressions=tests/fuzz/regressions/$name
mkdir -p "$corpus" "$crashes" "$regressions"

n=0
for seed in "$@"; do
	if [ -d "$seed" ]; then
		for f in "$seed"/*; do
			[ -f "$f" ] && cp "$f" "$corpus/seed-$(basename "$f")"
		done
	else
		case "$seed" in
		*.seeds)
			while IFS= read -r line; do
				n=$((n + 1))
				printf '%b' "$line" > "$corpus/seed-line-$n"
			done < "$seed" ;;
		*)	cp "$seed" "$corpus/seed-$(basename "$seed")" ;;
		esac
	fi
done

log=$fb/$name.log
status=0
# A damaged index or pack can make libgit2 ask for an impossible allocation;
# without ASan, calloc returns NULL and libgit2 reports it as an error, so let
# ASan's allocator answer the same way instead of stopping the run.
# Sanitizer reports go to their own files: a target may point stderr at
# /dev/null while the code under test runs (fuzz_cli does), and a report
# written there would be lost.
san=$fb/$name.sanitizer
rm -f "$san".*
ASAN_OPTIONS=${ASAN_OPTIONS:-allocator_may_return_null=1}:log_path=$san \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}:log_path=$san \
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	-print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "$regressions" \
	> "$log" 2>&1 || status=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
units=$(ls "$corpus" | wc -l)
if [ "$status" -ne 0 ]; then
	echo "fuzz $name: FAILED after ${runs:-?} runs; see $log" >&2
	cat "$log" "$san".* 2>/dev/null |
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' | head -5 >&2 || true
	ls "$crashes" | sed "s|^|  input: $crashes/|" >&2
	echo "  keep it: cp INPUT $regressions/<what-it-found>, fix, make check" >&2
	exit 1
fi
echo "fuzz $name: ${seconds}s, ${runs:-?} runs, ${rate:-?} execs/s, corpus $units inputs"
