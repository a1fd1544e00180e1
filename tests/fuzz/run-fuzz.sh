#!/bin/sh
# run-fuzz.sh TARGET SRCDIR SECONDS [libFuzzer options...]
# Replays every file of SRCDIR/regressions/NAME (each must pass), then
# fuzzes from SRCDIR/corpus/NAME for SECONDS seconds. New inputs go to a
# temporary directory, never into the repository; a crash leaves its input
# there and is printed with the command that replays it.
set -eu
target=$1 src=$2 seconds=$3
shift 3
name=$(basename "$target")
work=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/crash"
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:print_stacktrace=1:halt_on_error=1"

reg="$src/regressions/$name"
if [ -d "$reg" ] && [ -n "$(ls -A "$reg")" ]; then
	echo "== $name: replaying $(ls "$reg" | wc -l) regression inputs"
	"$target" -runs=0 "$reg"/*
fi
echo "== $name: fuzzing for $seconds s from $src/corpus/$name"
if ! "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=8192 -print_final_stats=1 -artifact_prefix="$work/crash/" \
    "$@" "$work/corpus" "$src/corpus/$name"; then
	for f in "$work"/crash/*; do
		[ -e "$f" ] || continue
		kept="${TMPDIR:-/tmp}/$name-$(basename "$f")"
		cp "$f" "$kept"
		echo "crash input kept as $kept: replay with $target $kept"
		echo "add it to $reg/ once it is fixed"
	done
	exit 1
fi
