#!/bin/sh
# Run every end-to-end script in tests/e2e/ against the binary named in $1.
# Each script gets DW (the binary, absolute) and T (a fresh temp dir) and
# exits 0 on success, 77 to skip. One closing tally. E2E_ONLY=PREFIX runs
# only the scripts whose names start with PREFIX.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
pass=0 fail=0 skip=0
for s in "$top"/tests/e2e/*.sh; do
	[ -f "$s" ] || continue
	name=$(basename "$s" .sh)
	case $name in "${E2E_ONLY:-}"*) ;; *) continue ;; esac
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/dw-e2e.XXXXXX")
	if DW=$bin T=$tmp TOP=$top timeout 600 sh "$s" >"$tmp/.log" 2>&1; then
		echo "ok   $name"
		pass=$((pass + 1))
	else
		rc=$?
		if [ "$rc" -eq 77 ]; then
			echo "skip $name: $(tail -n 1 "$tmp/.log")"
			skip=$((skip + 1))
		else
			echo "FAIL $name (exit $rc)"
			sed 's/^/    /' "$tmp/.log" | tail -n 30
			fail=$((fail + 1))
		fi
	fi
	rm -rf "$tmp"
done
echo "e2e: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
