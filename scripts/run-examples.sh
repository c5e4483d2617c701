#!/bin/sh
# make run: crawl the bundled example feeds into a throwaway database under
# BUILD/run/ (never the user's own) with the built-in rules, and print the
# deals found. Usage: run-examples.sh BUILD
set -eu
build=$1
top=$(cd "$(dirname "$0")/.." && pwd)
run=$build/run
rm -rf "$run"
mkdir -p "$run"
unset DEALWIRE_RULES DEALWIRE_DB
dw() { "$build/dealwire" --db "$run/deals.db" "$@"; }
for f in "$top"/examples/*.xml "$top"/examples/*.atom; do
	[ -f "$f" ] && dw feed add "$f" >/dev/null
done
dw crawl || [ $? -eq 75 ]
echo
dw deals
if command -v dot >/dev/null 2>&1; then
	dw export --format dot >"$run/deals.dot" &&
		dot -Tsvg "$run/deals.dot" -o "$run/deals.svg" &&
		echo "graph: $run/deals.svg"
fi
echo "database: $run/deals.db"
