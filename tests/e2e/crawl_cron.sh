# crawl from cron: two crawls at once (one runs, the other exits 75 at once
# with one line); a crawl killed with SIGKILL leaves no stale lock, an
# intact database and no feed stored in part (each feed's articles and
# ETag are one transaction), and the next crawl completes the work;
# --quiet prints a feed's error only when it starts failing and when it
# recovers.
set -u
. "$TOP/tests/servers/lib.sh"
trap 'kill -9 $CRAWL 2>/dev/null; srv_stop' EXIT INT TERM
CRAWL=""
srv_skip_unless sqlite3 flock
DB=$T/deals.db
mkdir -p "$T/www/feeds" "$T/www/pages"
cp "$TOP"/tests/data/pages/*.html "$T/www/pages/"
pages=$(cd "$T/www/pages" && ls *.html | tr '\n' ',')
# Feed i has 2i items, so the feeds are done one after the other.
for i in $(seq 1 6); do
	mkfeed "$T/www/feeds/f$i.xml" --name "f$i" --items $((2 * i)) --teaser \
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
# Wait (10 s at most) for a crawl to ask for /hang.
wait_hang() {
	i=0
	until grep -q "GET /hang" "$T/fault.log" 2>/dev/null || [ $i -ge 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# 1. Two at once: the one hanging on /hang holds the lock.
"$DW" crawl $opts --host-delay 0.3 >"$T/first.out" 2>&1 &
CRAWL=$!
wait_hang
start=$(date +%s%N)
"$DW" crawl $opts >"$T/second.out" 2>&1
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
cat "$T/second.out"
[ $rc -eq 75 ] || fail "second crawl exited $rc, want 75"
[ "$(wc -l <"$T/second.out")" -eq 1 ] || fail "want one line"
grep -q "another crawl is running" "$T/second.out" || fail "message"
[ $ms -lt 2000 ] || fail "second crawl took $ms ms, want at once"

# 2. SIGKILL the first crawl midway, once some feeds are stored: those
# are whole, the others have nothing stored (their pages were being
# fetched) and no ETag.
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
[ "$n" -lt 42 ] || fail "the crawl finished before it was killed"
flock -n "$DB.lock" true || fail "stale lock after SIGKILL"
[ "$(sq 'PRAGMA integrity_check')" = ok ] || fail "database damaged"
for i in $(seq 1 6); do
	got=$(sq "SELECT count(*) FROM articles a JOIN feeds f ON f.id = a.feed_id
	    WHERE f.url LIKE '%/f$i.xml'")
	tag=$(sq "SELECT etag IS NOT NULL FROM feeds WHERE url LIKE '%/f$i.xml'")
	echo "f$i: $got of $((2 * i)) articles, ETag stored: $tag"
	[ "$got" -eq 0 ] || [ "$got" -eq $((2 * i)) ] ||
	    fail "feed f$i stored in part: $got of $((2 * i)) articles"
	[ "$tag" -eq "$([ "$got" -gt 0 ] && echo 1 || echo 0)" ] ||
	    fail "feed f$i: its ETag and its articles disagree"
done
# The next crawl completes the work: all 42 articles, none twice.
"$DW" crawl $opts --host-delay 0 --timeout 2 --stall-timeout 2 \
    >"$T/out" 2>"$T/err"
rc=$?
cat "$T/out" "$T/err"
[ $rc -eq 75 ] || fail "exit $rc, want 75 (the hanging feed)"
[ "$(sq 'SELECT count(*) FROM articles')" -eq 42 ] || fail "want 42 articles"
[ "$(sq 'SELECT count(DISTINCT guid) FROM articles')" -eq 42 ] || fail "duplicates"
# Pages were read: a body paragraph is in, the furniture is out.
[ "$(sq "SELECT count(*) FROM articles WHERE text LIKE '%Helix beat two rivals in a tender%'")" -ge 1 ] ||
    { sq "SELECT url, substr(text,1,200) FROM articles LIMIT 5"; fail "article page text not stored"; }
[ "$(sq "SELECT count(*) FROM articles WHERE text LIKE '%842 partners%' OR text LIKE '%Advertisement loading%'")" -eq 0 ] ||
    fail "cookie banner stored"

# 2b. Killed in the middle of one feed, for certain: its last item's page
# never comes, the three before it were fetched and extracted. Nothing of
# the feed is stored; the next crawl (the page timing out, so the feed's
# own text stands in) stores all four.
DB=$T/mid.db
mkfeed "$T/www/feeds/mid.xml" --name mid --items 4 --teaser \
    --link-base "http://mid.test:$P/pages/" --pages "$pages"
sed -i "s|http://mid.test:$P/pages/[^<]*?item=mid-3|http://mid.test:$P/hang|" \
    "$T/www/feeds/mid.xml"
[ "$(grep -c "mid.test:$P/hang" "$T/www/feeds/mid.xml")" -eq 1 ] || fail "test feed"
feed_add "http://mid.test:$P/feeds/mid.xml"
: >"$T/fault.log"
"$DW" crawl --db "$DB" $res --resolve "mid.test:$P:127.0.0.1" --allow-private \
    --no-progress --host-delay 0 --timeout 30 >"$T/mid.out" 2>&1 &
CRAWL=$!
wait_hang
[ "$(grep -c "GET /pages/" "$T/fault.log")" -eq 3 ] || fail "want 3 pages fetched"
sleep 1 # their articles extracted, waiting for the fourth
kill -9 $CRAWL
wait $CRAWL 2>/dev/null
CRAWL=""
[ "$(sq 'SELECT count(*) FROM articles')" -eq 0 ] ||
    fail "killed mid-feed: $(sq 'SELECT count(*) FROM articles') articles of it stored"
[ "$(sq 'SELECT etag IS NULL FROM feeds')" -eq 1 ] || fail "ETag stored for a feed not done"
"$DW" crawl --db "$DB" $res --resolve "mid.test:$P:127.0.0.1" --allow-private \
    --no-progress --host-delay 0 --timeout 2 >"$T/mid.out" 2>&1 ||
    fail "the crawl after the kill: $(cat "$T/mid.out")"
[ "$(sq 'SELECT count(*) FROM articles')" -eq 4 ] || fail "want the feed's 4 articles"
[ "$(sq 'SELECT etag IS NOT NULL FROM feeds')" -eq 1 ] || fail "ETag not stored"

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
