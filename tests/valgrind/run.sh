#!/bin/sh
# tests/valgrind/run.sh BUILD: the unit tests and a tour of the commands
# (parse, tag, feed parse, a crawl of feeds and pages from nginx on
# 127.0.0.1 with its threads, the database commands, a bad rule file)
# under valgrind's memcheck: no error, no leak (definite or indirect)
# allowed. PCRE2's interpreter stands in for its JIT (nojit.c says why).
# Slow: about five minutes on two cores.
set -u
B=$1
TOP=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/dw-valgrind.XXXXXX")
export T TOP
. "$TOP/tests/servers/lib.sh"
trap 'srv_stop; rm -rf "$T"' EXIT INT TERM
command -v valgrind >/dev/null 2>&1 || {
	echo "valgrind: not installed (make valgrind installs it)"
	exit 1
}
pass=0 fail=0
# vg NAME EXPECTED-EXIT CMD...: CMD under memcheck; its output in $T/NAME.out.
vg() {
	name=$1 want=$2
	shift 2
	LD_PRELOAD=$B/valgrind/nojit.so valgrind -q --error-exitcode=99 \
	    --leak-check=full --show-leak-kinds=definite,indirect \
	    --errors-for-leak-kinds=definite,indirect --num-callers=30 \
	    --log-file="$T/$name.vg" "$@" >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
	if [ "$rc" -eq "$want" ] && [ ! -s "$T/$name.vg" ]; then
		echo "ok   $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name (exit $rc, wanted $want)"
		sed 's/^/    /' "$T/$name.vg" "$T/$name.err" | head -n 40
		fail=$((fail + 1))
	fi
}
DW=$B/dealwire
DB=$T/deals.db

for t in "$B"/tests/test_*; do
	case $t in *.d) continue ;; esac
	vg "unit-$(basename "$t")" 0 "$t"
done

# One article, every way in.
printf 'Foo Robotics agreed to buy Bar Labs for $120 million, the companies said on Tuesday.\nQux Capital invested $40 million in Bar Labs in March at a $900 million valuation.\n' >"$T/a.txt"
vg parse-text 0 "$DW" parse --published 2024-08-14 --format text "$T/a.txt"
vg parse-json 0 "$DW" parse --published 2024-08-14 --format json "$T/a.txt"
vg parse-html 0 "$DW" parse --format json "$TOP/tests/data/pages/cookie-dialog.html"
vg tag 0 "$DW" tag --published 2024-08-14 "$T/a.txt"
vg feed-parse-rss 0 "$DW" feed parse "$TOP/examples/ai-deals.xml"
vg feed-parse-atom 0 "$DW" feed parse "$TOP/examples/industry.atom"
printf '<rss><channel><item><title>x</title><description>&bogus; <b>' >"$T/broken.xml"
vg feed-parse-broken 0 "$DW" feed parse "$T/broken.xml"
mkdir -p "$T/badrules"
cp "$TOP"/rules/* "$T/badrules/"
printf 'pattern money broken 0 start=#digit core=#symbol (unclosed\n' >>"$T/badrules/money.rules"
vg rules-bad 78 "$DW" --rules "$T/badrules" parse "$T/a.txt"

# A crawl: feeds with full items and teasers whose pages are fetched, on
# their worker threads and the writer's.
mkdir -p "$T/www/feeds" "$T/www/pages"
cp "$TOP"/tests/data/pages/*.html "$T/www/pages/"
pages=$(cd "$T/www/pages" && ls *.html | head -n 4 | tr '\n' ',')
srv_nginx "$T/www"
P=$NGINX_PORT
mkfeed "$T/www/feeds/full.xml" --name full --items 20 --link-base "http://full.test:$P/"
mkfeed "$T/www/feeds/teaser.xml" --name teaser --items 4 --teaser \
    --link-base "http://teaser.test:$P/pages/" --pages "${pages%,}"
feed_add "http://full.test:$P/feeds/full.xml" "http://teaser.test:$P/feeds/teaser.xml"
res="--resolve full.test:$P:127.0.0.1 --resolve teaser.test:$P:127.0.0.1"
# shellcheck disable=SC2086
vg crawl 0 "$DW" --db "$DB" crawl --allow-private --no-progress --jobs 4 $res
# the crawl did the work: every item stored, the teasers' pages fetched
n=$(sqlite3 "$DB" 'SELECT count(*) FROM articles')
pg=$(grep -c ' /pages/' "$T/nginx/access.log")
if [ "$n" -ne 24 ] || [ "$pg" -ne 4 ]; then
	echo "FAIL crawl stored $n articles (wanted 24), fetched $pg pages (wanted 4)"
	fail=$((fail + 1))
fi
# shellcheck disable=SC2086
vg crawl-again 0 "$DW" --db "$DB" crawl --allow-private --no-progress --force $res
vg parse-store 0 "$DW" --db "$DB" parse --store --published 2024-08-14 "$T/a.txt"
vg deals 0 "$DW" --db "$DB" deals
vg show 0 "$DW" --db "$DB" show 1
vg export-csv 0 "$DW" --db "$DB" export --format csv
vg export-json 0 "$DW" --db "$DB" export --format json
vg export-dot 0 "$DW" --db "$DB" export --format dot
vg circles 0 "$DW" --db "$DB" circles
vg reextract 0 "$DW" --db "$DB" reextract
vg feed-list 0 "$DW" --db "$DB" feed list

echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
