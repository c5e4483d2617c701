# crawl against our fault-injecting server: 301 versus 302, a redirect
# loop, redirects to file:// and to a private address, loopback spelled
# 2130706433 and [::ffff:7f00:1], 429 with Retry-After, 500, 503, 404, a
# slow drip, a server that never answers, a gzip bomb, a body over the cap,
# robots.txt disallow. Every fault on a host of its own; one run, bounded.
set -u
. "$TOP/tests/servers/lib.sh"
trap srv_stop EXIT INT TERM
srv_skip_unless sqlite3
DB=$T/deals.db
mkdir -p "$T/www/feeds"
for n in a b c d ok; do
	mkfeed "$T/www/feeds/$n.xml" --name "$n" --items 2
done
printf 'User-agent: *\nDisallow: /feeds/d.xml\n' >"$T/robots.txt"
srv_fault "$T/www" "$T/robots.txt"
P=$FAULT_PORT
res=""
for h in ok moved found loop tofile topriv slow r429 e500 e503 e404 drip hang bomb big robots; do
	res="$res --resolve $h.test:$P:127.0.0.1"
done
u() { echo "http://$1.test:$P$2"; }
feed_add "$(u ok /feeds/ok.xml)" \
    "$(u moved /redirect/301?to=/feeds/a.xml)" \
    "$(u found /redirect/302?to=/feeds/b.xml)" \
    "$(u loop /loop/0)" \
    "$(u tofile /redirect/302?to=file:///etc/passwd)" \
    "$(u topriv /redirect/302?to=http://127.0.0.2:$P/feeds/c.xml)" \
    "$(u r429 /status/429?retry=3600)" "$(u r429 /feeds/c.xml)" \
    "$(u e500 /status/500)" "$(u e503 /status/503)" "$(u e404 /status/404)" \
    "$(u drip /drip?every=0.5)" "$(u hang /hang)" \
    "$(u bomb /bomb)" "$(u big /big?mb=3)" \
    "$(u robots /feeds/d.xml)" || fail "feed add"

# Only 127.0.0.1 is allowed, not private addresses in general.
start=$(date +%s)
"$DW" crawl --db "$DB" $res --allow-address 127.0.0.1 --budget 40 \
    --timeout 4 --stall-timeout 2 --max-body 1M --no-progress \
    >"$T/out" 2>"$T/err"
rc=$?
took=$(($(date +%s) - start))
cat "$T/out" "$T/err"
[ $rc -eq 75 ] || fail "exit $rc, want 75"
[ $took -le 20 ] || fail "took $took s; timeouts not enforced"
e() { grep -q "$1" "$T/err" || fail "no error line matching: $1"; }
e "loop/0': more than 5 redirects"
e "tofile.*scheme other than http"
e "topriv.*refused to connect to 127.0.0.2 (loopback)"
e "status/429.*HTTP 429"
e "r429.test:$P/feeds/c.xml': not asked: the host answered HTTP 429"
e "status/500': HTTP 500"
e "status/503': HTTP 503"
e "status/404': HTTP 404"
e "drip.*timed out"
e "hang': timed out"
e "bomb': body larger than 1048576 bytes"
e "big?mb=3': body larger than 1048576 bytes"
e "d.xml': disallowed by robots.txt"
[ "$(wc -l <"$T/err")" -eq 13 ] || fail "want 13 error lines"
grep -q "3 fetched, 0 not modified, 13 failed; 6 new articles" "$T/out" ||
    fail "summary"
# Nothing was asked of a refused or disallowed URL, nor after the 429.
grep -q "GET /feeds/c.xml" "$T/fault.log" && fail "a refused URL reached the server"
grep -q "GET /feeds/d.xml" "$T/fault.log" && fail "robots.txt not obeyed"
# 301 moves the feed for good, 302 does not.
sq "SELECT url FROM feeds" >"$T/urls"
grep -qx "http://moved.test:$P/feeds/a.xml" "$T/urls" || fail "301 did not update the feed URL"
grep -qx "http://found.test:$P/redirect/302?to=/feeds/b.xml" "$T/urls" ||
    fail "302 changed the feed URL"
# Retry-After is remembered: the feed is not due for an hour.
now=$(date +%s)
[ "$(sq "SELECT next_fetch FROM feeds WHERE url LIKE '%status/429%'")" -ge $((now + 3500)) ] ||
    fail "Retry-After not kept"
# Failing feeds back off: the next crawl does not ask them.
: >"$T/fault.log"
"$DW" crawl --db "$DB" $res --allow-address 127.0.0.1 --budget 20 \
    --timeout 4 --no-progress >"$T/out" 2>"$T/err"
cat "$T/out" "$T/err"
grep -q "13 backing off" "$T/out" || fail "failing feeds should back off"
grep -q "status/500" "$T/fault.log" && fail "a backing-off feed was asked"
# Backing off doubles: 300 s after the first failure, 600 after the second.
"$DW" crawl --db "$DB" $res --allow-address 127.0.0.1 --budget 20 \
    --timeout 4 --no-progress --force >/dev/null 2>&1
wait=$(sq "SELECT next_fetch - last_fetch FROM feeds WHERE url LIKE '%status/500'")
[ "$wait" -eq 600 ] || fail "second failure should wait 600 s, waits $wait"
# Loopback however spelled is refused without --allow-private, before
# any byte is sent; with it, the same URLs are fetched.
DB=$T/spelled.db
feed_add "http://2130706433:$P/feeds/c.xml" "http://[::ffff:7f00:1]:$P/feeds/a.xml"
: >"$T/fault.log"
"$DW" crawl --db "$DB" --budget 20 --no-progress >"$T/out" 2>"$T/err"
rc=$?
cat "$T/out" "$T/err"
[ $rc -eq 75 ] || fail "refused feeds exit $rc, want 75"
e "2130706433:$P/feeds/c.xml': refused to connect to 127.0.0.1 (loopback)"
e "\[::ffff:7f00:1\]:$P/feeds/a.xml': refused to connect to ::ffff:127.0.0.1 (loopback)"
[ -s "$T/fault.log" ] && fail "a refused address was connected to"
"$DW" crawl --db "$DB" --budget 20 --no-progress --allow-private --force \
    >"$T/out" 2>"$T/err" || fail "--allow-private should fetch them"
grep -q "2 fetched" "$T/out" || fail "allowed loopback not fetched"
# The run's budget: what is not done by then is left for the next run,
# without counting against the feeds.
DB=$T/budget.db
feed_add "$(u hang /hang)" "$(u hang /feeds/ok.xml)"
start=$(date +%s)
"$DW" crawl --db "$DB" $res --allow-private --budget 2 --timeout 30 \
    --stall-timeout 30 --no-progress >"$T/out" 2>"$T/err"
rc=$?
took=$(($(date +%s) - start))
cat "$T/out" "$T/err"
[ $rc -eq 75 ] || fail "budget exit $rc, want 75"
[ $took -le 5 ] || fail "a 2 s budget took $took s"
grep -q "run budget of 2 s used up; 2 feeds left for the next run" "$T/err" ||
    fail "budget message"
[ "$(sq 'SELECT sum(failures) FROM feeds')" -eq 0 ] || fail "budget counted as failures"
# A feed moved for good to an address that is a feed already keeps its own.
DB=$T/moved.db
feed_add "$(u ok /feeds/ok.xml)" "$(u moved /redirect/301?to=http://ok.test:$P/feeds/ok.xml)"
"$DW" crawl --db "$DB" $res --allow-private --host-delay 0 --no-progress \
    >"$T/out" 2>"$T/err" || fail "moved onto a known feed: exit $?"
grep -q "which is a feed already; keeping the old address" "$T/err" ||
    fail "moved onto a known feed: $(cat "$T/err")"
[ "$(sq 'SELECT count(*) FROM feeds')" -eq 2 ] || fail "a feed was lost"
[ "$(sq 'SELECT count(*) FROM articles')" -eq 2 ] || fail "articles stored twice"
# A User-Agent naming us, our version and a URL.
grep -q "UA=dealwire/[0-9.]*_(+https://" "$T/fault.log" || fail "User-Agent"
echo ok
