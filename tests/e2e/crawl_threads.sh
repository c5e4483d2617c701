# crawl with the work on the main thread (--threads 0), on one worker and
# on four: teaser items whose pages are fetched and read (their text is
# the page's, not the feed's teaser) and full items read from the feed;
# what is stored is the same whatever the threads, and every article is
# stored once; a feed fetched again in full fetches no known item's page.
set -u
. "$TOP/tests/servers/lib.sh"
trap srv_stop EXIT INT TERM
srv_skip_unless sqlite3
mkdir -p "$T/www/feeds" "$T/www/pages"
cp "$TOP/tests/data/pages/cookie-dialog.html" "$T/www/pages/"
for i in 1 2 3 4; do
	mkfeed "$T/www/feeds/t$i.xml" --name "t$i" --items $((2 * i)) --teaser \
	    --link-base "http://t$i.test:PORT/pages/" --pages cookie-dialog.html
done
for i in 1 2; do
	mkfeed "$T/www/feeds/f$i.xml" --name "f$i" --items 5 \
	    --link-base "http://f$i.test:PORT/"
done
srv_nginx "$T/www"
P=$NGINX_PORT
sed -i "s/PORT/$P/g" "$T"/www/feeds/*.xml
res=""
urls=""
for h in t1 t2 t3 t4 f1 f2; do
	res="$res --resolve $h.test:$P:127.0.0.1"
	urls="$urls http://$h.test:$P/feeds/$h.xml"
done
# (th, not n: feed_add uses n)
for th in 0 1 4; do
	DB=$T/d$th.db
	# shellcheck disable=SC2086
	feed_add $urls || fail "feed add"
	# shellcheck disable=SC2086
	"$DW" --db "$DB" crawl $res --allow-private --host-delay 0 \
	    --no-progress --threads $th >"$T/out$th" 2>"$T/err$th" ||
		fail "--threads $th: exit $? $(cat "$T/err$th")"
	grep -q "6 fetched, 0 not modified, 0 failed; 30 new articles" \
	    "$T/out$th" || fail "--threads $th: summary $(cat "$T/out$th")"
	# 2+4+6+8 teasers, each read from the page: its body, not the teaser.
	[ "$(sq "SELECT count(*) FROM articles WHERE text LIKE \
	    '%beat two rivals in a tender that ran for eighteen months%' \
	    AND text NOT LIKE '%842 partners%'")" -eq 20 ] ||
		fail "--threads $th: want the 20 teasers read from their page"
	[ "$(sq "SELECT count(DISTINCT url) FROM articles")" -eq 30 ] ||
		fail "--threads $th: want 30 distinct articles"
	sq "SELECT url, guid, title, published, text FROM articles ORDER BY url" \
	    >"$T/articles$th"
done
cmp -s "$T/articles0" "$T/articles1" ||
    fail "one worker stored other articles than the main thread alone"
cmp -s "$T/articles0" "$T/articles4" ||
    fail "four workers stored other articles than the main thread alone"

# Every feed again in full (no ETag): every item is known, so no page is
# fetched again and nothing is stored twice.
sq "UPDATE feeds SET etag = NULL, last_modified = NULL"
: >"$T/nginx/access.log"
# shellcheck disable=SC2086
"$DW" --db "$DB" crawl $res --allow-private --host-delay 0 --no-progress \
    --force >"$T/out" 2>"$T/err" || fail "re-crawl: exit $? $(cat "$T/err")"
grep -q "6 fetched, 0 not modified, 0 failed; 0 new articles" "$T/out" ||
    fail "re-crawl: summary $(cat "$T/out")"
grep -q "/pages/" "$T/nginx/access.log" &&
    fail "re-crawl fetched the page of a known item"
[ "$(sq "SELECT count(*) FROM articles")" -eq 30 ] || fail "re-crawl: count"
echo ok
