# crawl from cron: two crawls at once (one runs, the other exits 75 at once
# with one line); a crawl killed with SIGKILL leaves no stale lock and an
# intact database, and the next crawl completes the work; --quiet prints a
# feed's error only when it starts failing and when it recovers.
set -u
. "$TOP/tests/servers/lib.sh"
trap 'kill -9 $CRAWL 2>/dev/null; srv_stop' EXIT INT TERM
CRAWL=""
srv_skip_unless sqlite3 flock
DB=$T/deals.db
mkdir -p "$T/www/feeds" "$T/www/pages"
cp "$TOP"/tests/data/pages/*.html "$T/www/pages/"
pages=$(cd "$T/www/pages" && ls *.html | tr '\n' ',')
for i in $(seq 1 6); do
	mkfeed "$T/www/feeds/f$i.xml" --name "f$i" --items 8 --teaser \
	    --link-base "http://h$i.test:PORT/pages/" --pages "$pages"
done
srv_fault "$T/www"
P=$FAULT_PORT
sed -i "s/PORT/$P/g" "$T"/www/feeds/*.xml
res=""
for i in $(seq 1 6); do
	res="$res --resolve h$i.test:$P:127.0.0.1"
	feed_add "http://h$i.test:$P/feeds/f$i.xml"
done
feed_add "http://hang.test:$P/hang"
res="$res --resolve hang.test:$P:127.0.0.1"
opts="--db $DB $res --allow-private --no-progress --timeout 30 --stall-timeout 30"

# 1. Two at once: the one hanging on /hang holds the lock.
"$DW" crawl $opts --host-delay 0.3 >"$T/first.out" 2>&1 &
CRAWL=$!
i=0
until grep -q "GET /hang" "$T/fault.log" 2>/dev/null || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
start=$(date +%s%N)
"$DW" crawl $opts >"$T/second.out" 2>&1
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
cat "$T/second.out"
[ $rc -eq 75 ] || fail "second crawl exited $rc, want 75"
[ "$(wc -l <"$T/second.out")" -eq 1 ] || fail "want one line"
grep -q "another crawl is running" "$T/second.out" || fail "message"
[ $ms -lt 2000 ] || fail "second crawl took $ms ms, want at once"

# 2. SIGKILL the first crawl midway, once some articles are stored.
i=0
while [ "$(sq 'SELECT count(*) FROM articles' 2>/dev/null || echo 0)" -lt 3 ] &&
    [ $i -lt 200 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -9 $CRAWL
wait $CRAWL 2>/dev/null
CRAWL=""
n=$(sq 'SELECT count(*) FROM articles')
echo "killed with $n articles stored"
[ "$n" -lt 48 ] || fail "the crawl finished before it was killed"
flock -n "$DB.lock" true || fail "stale lock after SIGKILL"
[ "$(sq 'PRAGMA integrity_check')" = ok ] || fail "database damaged"
# The next crawl completes the work: all 48 articles, none twice.
"$DW" crawl $opts --host-delay 0 --timeout 2 --stall-timeout 2 \
    >"$T/out" 2>"$T/err"
rc=$?
cat "$T/out" "$T/err"
[ $rc -eq 75 ] || fail "exit $rc, want 75 (the hanging feed)"
[ "$(sq 'SELECT count(*) FROM articles')" -eq 48 ] || fail "want 48 articles"
[ "$(sq 'SELECT count(DISTINCT guid) FROM articles')" -eq 48 ] || fail "duplicates"
# Pages were read: a body paragraph is in, the furniture is out.
[ "$(sq "SELECT count(*) FROM articles WHERE text LIKE '%Helix beat two rivals in a tender%'")" -ge 1 ] ||
    { sq "SELECT url, substr(text,1,200) FROM articles LIMIT 5"; fail "article page text not stored"; }
[ "$(sq "SELECT count(*) FROM articles WHERE text LIKE '%842 partners%' OR text LIKE '%Advertisement loading%'")" -eq 0 ] ||
    fail "cookie banner stored"

# 3. --quiet: the dead feed's error once, when it starts failing; silence
# while it stays dead; one line when it recovers.
DB=$T/quiet.db
feed_add "http://h1.test:$P/flaky/feeds/f1.xml"
q="--db $DB $res --allow-private --no-progress --quiet --force --timeout 5"
"$DW" crawl $q >"$T/q1" 2>&1
[ $? -eq 75 ] || fail "failing feed should exit 75"
[ "$(wc -l <"$T/q1")" -eq 1 ] || fail "want the error once: $(cat "$T/q1")"
"$DW" crawl $q >"$T/q2" 2>&1
[ $? -eq 75 ] || fail "still failing should exit 75"
[ -s "$T/q2" ] && fail "--quiet repeated a known error: $(cat "$T/q2")"
: >"$T/www/feeds/f1.xml.up"
"$DW" crawl $q >"$T/q3" 2>&1 || fail "recovered feed should exit 0"
grep -q "recovered" "$T/q3" || fail "recovery not reported: $(cat "$T/q3")"
[ "$(wc -l <"$T/q3")" -eq 1 ] || fail "want one line on recovery"

# Rules that cannot be loaded: exit 78, one line, nothing lost: the next
# crawl with good rules stores the articles.
DB=$T/rules.db
mkfeed "$T/local.xml" --name loc --items 2
feed_add "$T/local.xml"
"$DW" --db "$DB" --rules "$T/no-such-rules" crawl --no-progress >"$T/out" 2>"$T/err"
rc=$?
cat "$T/out" "$T/err"
[ $rc -eq 78 ] || fail "unloadable rules exited $rc, want 78"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "want one error line"
"$DW" --db "$DB" crawl --no-progress >"$T/out" 2>&1 || fail "crawl after fixing rules"
[ "$(sq 'SELECT count(*) FROM articles')" -eq 2 ] || fail "articles lost to bad rules"
echo ok
