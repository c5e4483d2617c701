# A crawl that stores more than a thousand articles (the writer's table of
# near-duplicate bands grows past its first 1,024 slots) still finds the
# syndicated copies of the first articles it stored, and does not hang.
set -u
. "$TOP/tests/servers/lib.sh"
srv_skip_unless sqlite3 /usr/bin/python3
DB=$T/deals.db
for i in $(seq 1 22); do
	mkfeed "$T/f$i.xml" --name "f$i" --items 50 \
	    --link-base "https://n$i.example/"
	feed_add "$T/f$i.xml" || fail "feed add f$i"
done
# The first feed's 50 stories again, under other links and GUIDs.
sed -e 's|https://n1.example/|https://copies.example/|g' \
    -e 's|urn:dealwire-test:f1:|urn:dealwire-test:copy:|g' \
    "$T/f1.xml" >"$T/copy.xml"
feed_add "$T/copy.xml" || fail "feed add copy"
"$DW" --db "$DB" crawl --threads 0 --no-progress >"$T/out" 2>"$T/err" ||
    fail "crawl: exit $? $(cat "$T/err")"
grep -q "23 fetched, 0 not modified, 0 failed; 1150 new articles" "$T/out" ||
    fail "summary: $(cat "$T/out")"
[ "$(sq "SELECT count(*) FROM articles WHERE url LIKE 'https://copies.example/%' \
    AND copy_of IS NOT NULL")" -eq 50 ] ||
    fail "want the 50 copies of the first feed's stories found as copies"
echo ok
