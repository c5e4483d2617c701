#!/bin/sh
# make bench: the store. 100,000 generated mentions (a third repeats of
# earlier deals) stored with dedup and merge, against plain prepared
# inserts of the same rows in as many transactions; then the query plan of
# `deals --party NAME`. Ratio only; the budget is 2x.
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/dw-bench-store.XXXXXX")
"$BUILD/bench/bench_store" "$dir" "${STORE_BENCH_MENTIONS:-100000}"
rc=$?
rm -rf "$dir"
exit $rc
