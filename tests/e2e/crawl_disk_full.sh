#!/bin/sh
# A crawl whose database fills its disk (a 1 MB tmpfs): each failure is
# one line naming the database and the problem, the run exits 73, the
# summary counts only the articles that were stored, the database stays
# intact with every stored feed's articles whole, and once there is room
# the next crawl stores the rest. Needs root (mount); skipped without.
set -u
. "$TOP/tests/servers/lib.sh"
srv_skip_unless sqlite3 /usr/bin/python3 mount umount
if [ "$(id -u)" -ne 0 ]; then
	echo "skip: mounting a small tmpfs needs root"
	exit 77
fi
M=$T/small
mkdir -p "$M"
if ! mount -t tmpfs -o size=1m tmpfs "$M" 2>/dev/null; then
	echo "skip: cannot mount a tmpfs here"
	exit 77
fi
trap 'umount "$M" 2>/dev/null' EXIT INT TERM
DB=$M/deals.db
for i in $(seq 1 30); do
	mkfeed "$T/f$i.xml" --name "f$i" --items 50 \
	    --link-base "https://n$i.example/"
	feed_add "$T/f$i.xml" || fail "feed add f$i"
done

"$DW" --db "$DB" crawl --no-progress >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 73 ] || fail "crawl on a full disk: exit $rc, want 73; $(cat "$T/err")"
grep -q "cannot write (database '$DB'): database or disk is full" "$T/err" ||
	fail "no message naming the database and the full disk: $(cat "$T/err")"
[ "$(grep -vc "^dealwire: crawl: " "$T/err")" -eq 0 ] ||
	fail "stray output: $(cat "$T/err")"
[ "$(sq 'PRAGMA integrity_check')" = ok ] || fail "database damaged"
stored=$(sq 'SELECT count(*) FROM articles')
[ "$stored" -lt 1500 ] || fail "all 1500 articles fit: the disk was not full"
# Every feed is whole or absent, and has its new state exactly when whole.
sq "SELECT count(*) FROM feeds f WHERE (SELECT count(*) FROM articles a
    WHERE a.feed_id = f.id) NOT IN (0, 50)" | grep -qx 0 ||
	fail "a feed stored in part"
sq "SELECT count(*) FROM feeds f WHERE (f.last_fetch > 0) <>
    ((SELECT count(*) FROM articles a WHERE a.feed_id = f.id) = 50)" |
	grep -qx 0 || fail "a feed's state does not match what is stored of it"
grep -q "30 fetched, 0 not modified, 0 failed; $stored new articles; $stored new deals" \
    "$T/out" || fail "summary does not count what was stored ($stored): $(cat "$T/out")"

# Room again: the next crawl does the feeds that were not stored.
mount -o remount,size=64m "$M" || fail "remount"
"$DW" --db "$DB" crawl --no-progress >"$T/out2" 2>"$T/err2" ||
	fail "second crawl: exit $? $(cat "$T/err2")"
[ "$(sq 'SELECT count(*) FROM articles')" -eq 1500 ] ||
	fail "after the second crawl: $(sq 'SELECT count(*) FROM articles') articles, want 1500"
[ "$(sq 'SELECT count(*) FROM deals')" -eq 1500 ] || fail "want 1500 deals"
[ "$(sq 'PRAGMA integrity_check')" = ok ] || fail "database damaged"
echo ok
