#!/bin/sh
# make bench: the store. 100,000 generated mentions (a third repeats of
# earlier deals) stored with dedup and merge, against plain prepared
# inserts of the same rows in as many transactions; then the query plan of
# `deals --party NAME`. Ratio only; the budget is 2x. Then storing
# crawl-like articles in batches, in ms an article. When ../shared is
# there, also the deals-dev articles stored in two orders, compared.
set -u
dir=$(mktemp -d "${TMPDIR:-/tmp}/dw-bench-store.XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$BUILD/bench/bench_store" "$dir" "${STORE_BENCH_MENTIONS:-100000}"
rc=$?
# What a crawl stores: ~1 KB articles of one or two deals, a feed's 50 in
# one batch; the cost per article over the run and its first and last
# fifths (it should not grow much with the database).
mkdir "$dir/crawl"
"$BUILD/bench/bench_store" "$dir/crawl" --articles \
    "${STORE_BENCH_ARTICLES:-20000}" 50 || rc=1
# As bench_crawl stores: one new deal an article, the sketch made by the
# caller, 16 feeds' batches in one group (store_group_begin).
mkdir "$dir/crawl-group"
"$BUILD/bench/bench_store" "$dir/crawl-group" --articles \
    "${STORE_BENCH_ARTICLES:-20000}" 50 0 16 || rc=1

corpus=$SHARED/corpus/deals-dev
if [ -d "$corpus" ] && [ -x /usr/bin/python3 ]; then
	ls "$corpus"/*.txt >"$dir/forward"
	sort -r "$dir/forward" >"$dir/backward"
	for order in forward backward; do
		while read -r f; do
			pub=$(/usr/bin/python3 -c 'import json, sys
print(json.load(open(sys.argv[1])).get("published") or "")' "${f%.txt}.gold.json")
			"$BUILD/dealwire" --db "$dir/$order.db" parse --store \
			    ${pub:+--published "$pub"} --format json "$f" >/dev/null ||
				echo "store: parse --store $f failed"
		done <"$dir/$order"
		"$BUILD/dealwire" --db "$dir/$order.db" export --format jsonl |
			/usr/bin/python3 -c 'import json, sys
for l in sys.stdin:
    d = json.loads(l)
    del d["id"]
    print(json.dumps(d, sort_keys=True))' | sort >"$dir/$order.jsonl"
	done
	n=$(wc -l <"$dir/forward.jsonl")
	if cmp -s "$dir/forward.jsonl" "$dir/backward.jsonl"; then
		echo "store: deals-dev stored in two orders: the same $n deals"
	else
		echo "store: deals-dev stored in two orders: DIFFERENT deals ($n vs $(wc -l <"$dir/backward.jsonl"))"
		rc=1
	fi
	for name in Kellanova "U.S. Steel"; do
		k=$("$BUILD/dealwire" --db "$dir/forward.db" export --format jsonl \
		    --party "$name" --type acquisition | wc -l)
		echo "store: deals-dev: $k acquisition(s) of $name"
	done
fi
exit $rc
