#!/bin/sh
# long-run.sh BUILDDIR [RUNS] [SECONDS]: the long fuzz run of README.md.
# Runs each target in turn (one at a time, nice -n 10) until RUNS
# executions (default 10,000,000) or SECONDS seconds (default 600),
# whichever comes first, from the repository corpus plus a work corpus in
# $FUZZ_WORK (default /tmp/pos-fuzz-long). Logs go to $FUZZ_WORK/NAME.log;
# a summary line per target is printed at the end.
set -u
build=$1 runs=${2:-10000000} seconds=${3:-600}
src=$(cd "$(dirname "$0")" && pwd)
work=${FUZZ_WORK:-/tmp/pos-fuzz-long}
targets=${FUZZ_TARGETS:-"fuzz_money fuzz_canonical fuzz_config fuzz_ingest fuzz_csv_import"}
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:print_stacktrace=1:halt_on_error=1"
status=0
for t in $targets; do
	mkdir -p "$work/$t/corpus" "$work/$t/crash"
	echo "== $t: $(date -u +%H:%M:%S)"
	nice -n 10 "$build/tests/fuzz/$t" -runs="$runs" \
	    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	    -max_len=8192 -print_final_stats=1 \
	    -artifact_prefix="$work/$t/crash/" \
	    "$work/$t/corpus" "$src/corpus/$t" >"$work/$t.log" 2>&1 ||
	    status=1
done
for t in $targets; do
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$t.log")
	cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$work/$t.log" | tail -1)
	crashes=$(ls "$work/$t/crash" | wc -l)
	echo "$t: execs ${execs:-?} exec/s ${rate:-?} $cov crashes $crashes"
done
exit $status
