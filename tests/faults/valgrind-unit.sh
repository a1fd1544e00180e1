#!/bin/sh
# valgrind-unit.sh BUILDDIR: every unit test program (ctest -L unit) and the
# C fault tests (-L faults, not the python ones) under
# valgrind memcheck; fails on any memory error or definite leak. Each
# program runs in its ctest working directory with its ctest environment.
# Suppressions for libraries outside this project are in valgrind.supp
# next to this script, each with the reason.
set -eu
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
command -v valgrind >/dev/null || { echo "valgrind is not installed"; exit 1; }
list=$(mktemp)
trap 'rm -f "$list"' EXIT
(cd "$build" && ctest -L '^(unit|faults)$' -LE 'memcheck|integration' --show-only=json-v1) | python3 -c '
import json, shlex, sys
for t in json.load(sys.stdin)["tests"]:
    props = {p["name"]: p["value"] for p in t.get("properties", [])}
    env = props.get("ENVIRONMENT", [])
    cmd = t.get("command")
    print("\x1f".join([t["name"], props.get("WORKING_DIRECTORY", "."),
                     " ".join(shlex.quote(e) for e in env),
                     " ".join(shlex.quote(c) for c in cmd) if cmd else ""]))
' >"$list"

passed=0 failed=0 skipped=0
sep=$(printf '\037')	# not whitespace: empty fields stay fields
while IFS="$sep" read -r name dir env cmd; do
	if [ -z "$cmd" ]; then
		echo "skip $name: not built"
		skipped=$((skipped + 1))
		continue
	fi
	log="$build/memcheck-$name.log"
	if (cd "$dir" && eval "env $env valgrind --quiet --error-exitcode=99 \
	    --leak-check=full --errors-for-leak-kinds=definite \
	    --show-leak-kinds=definite --track-origins=yes \
	    --suppressions=$here/valgrind.supp --log-file=$log $cmd") \
	    >"$log.out" 2>&1; then
		echo "ok   $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name (valgrind log: $log; output: $log.out)"
		cat "$log"
		failed=$((failed + 1))
	fi
done <"$list"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
