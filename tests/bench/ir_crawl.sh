#!/bin/sh
# ir_crawl.sh DW: a crawl of 100 feeds x 50 items from its own nginx on
# 127.0.0.1 under callgrind (deterministic instruction counts), per thread:
# Ir per article for the workers together, the writer and the main thread.
# About a minute. Needs valgrind, nginx and /usr/bin/python3; TOP is the
# repository (default: this script's). Not part of make bench: counts,
# not ratios, for comparing two builds while working on speed.
set -u
DW=$1
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d "${TMPDIR:-/tmp}/ir_crawl.XXXXXX")
export T
. "$TOP/tests/servers/lib.sh"
trap 'srv_stop; rm -rf "$T"' EXIT INT TERM
mkdir -p "$T/www/feeds"
/usr/bin/python3 - "$T/www/feeds" <<PY
import sys
sys.path.insert(0, "$TOP/tests/servers")
import mkfeed
for i in range(100):
    mkfeed.write_feed("%s/f%d.xml" % (sys.argv[1], i), "f%d" % i, 50, link_base="http://h%d.bench/" % i)
PY
srv_nginx "$T/www" >/dev/null 2>&1
P=$NGINX_PORT
o=$T/feeds.opml; res=
printf '<?xml version="1.0"?>\n<opml version="2.0"><head><title>t</title></head><body>\n' >"$o"
i=0
while [ $i -lt 100 ]; do
	printf '<outline type="rss" text="t" xmlUrl="http://h%d.bench:%d/feeds/f%d.xml"/>\n' $i $P $i >>"$o"
	res="$res --resolve h$i.bench:$P:127.0.0.1"
	i=$((i + 1))
done
printf '</body></opml>\n' >>"$o"
"$DW" --db "$T/db" feed import "$o" >/dev/null || exit 1
# shellcheck disable=SC2086
valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$T/cg.%p" \
    "$DW" --db "$T/db" crawl --jobs 8 --allow-private --no-progress --budget 3600 $res 2>&1 | grep '^crawl:'
w=0 wr=0 m=0
for f in "$T"/cg.*-*; do
	tot=$(sed -n 's/^summary: //p' "$f")
	# The second worker's rules compile on a thread that ends before
	# the writer starts, and valgrind gives the writer its number: that
	# compile is counted with the main thread's.
	if grep -q 'early_main' "$f"; then
		e=$(callgrind_annotate --inclusive=yes "$f" 2>/dev/null |
		    awk '/early_main/ { gsub(",", "", $1); print $1; exit }')
		m=$((m + ${e:-0}))
		tot=$((tot - ${e:-0}))
	fi
	if grep -q 'worker_main' "$f"; then w=$((w + tot))
	elif grep -q 'writer_main\|writer_run' "$f"; then wr=$((wr + tot))
	else m=$((m + tot)); fi
done
echo "ir_crawl: per article (5000): workers $((w / 5000)), writer $((wr / 5000)), main $((m / 5000)), all $(((w + wr + m) / 5000)) Ir"
