# The body's content coding is undone by dealwire, not libcurl: gzip with
# its CRC-32 and length checked, deflate with and without its zlib header,
# bytes after the end refused, the identity coding read as it is. Every
# feed on a host of its own; one run.
set -u
. "$TOP/tests/servers/lib.sh"
trap srv_stop EXIT INT TERM
srv_skip_unless sqlite3
DB=$T/deals.db
mkdir -p "$T/www/feeds"
for n in g z r c l t; do
	mkfeed "$T/www/feeds/$n.xml" --name "$n" --items 2
done
srv_fault "$T/www" ""
P=$FAULT_PORT
res=""
for h in gz zl raw crc len trail; do
	res="$res --resolve $h.test:$P:127.0.0.1"
done
u() { echo "http://$1.test:$P$2"; }
feed_add "$(u gz /coded/feeds/g.xml?ce=gzip)" \
    "$(u zl /coded/feeds/z.xml?ce=deflate)" \
    "$(u raw /coded/feeds/r.xml?ce=raw)" \
    "$(u crc /coded/feeds/c.xml?ce=gzip\&bad=crc)" \
    "$(u len /coded/feeds/l.xml?ce=gzip\&bad=len)" \
    "$(u trail /coded/feeds/t.xml?ce=gzip\&bad=trail)" || fail "feed add"
"$DW" crawl --db "$DB" $res --allow-address 127.0.0.1 --budget 40 \
    --timeout 10 --no-progress >"$T/out" 2>"$T/err"
rc=$?
cat "$T/out" "$T/err"
e() { grep -q "$1" "$T/err" || fail "no error line matching: $1"; }
e "c.xml?ce=gzip&bad=crc': Error while processing content unencoding: incorrect data check"
e "l.xml?ce=gzip&bad=len': Error while processing content unencoding: incorrect length check"
e "t.xml?ce=gzip&bad=trail': Failed writing received data"
[ "$(wc -l <"$T/err")" -eq 3 ] || fail "want 3 error lines"
grep -q "3 fetched, 0 not modified, 3 failed; 6 new articles" "$T/out" ||
    fail "want the gzip, zlib and raw deflate feeds read"
n=$(sqlite3 "$DB" "SELECT count(*) FROM articles WHERE text LIKE '%agreed%'")
[ "$n" -eq 6 ] || fail "want 6 articles with their text, got $n"
exit 0
