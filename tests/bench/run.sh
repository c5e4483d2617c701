#!/bin/sh
# make bench: run every tests/bench/bench_NAME.sh with the build directory
# and ../shared; each prints its own lines, as ratios against named
# baselines measured in the same run.
set -u
build=$1
shared=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
status=0
for b in "$top"/tests/bench/bench_*.sh; do
	[ -f "$b" ] || continue
	echo "== $(basename "$b" .sh)"
	BUILD=$top/$build SHARED=$shared TOP=$top sh "$b" || status=1
done
exit $status
