# crawl --new: the deals first seen in this run, as a table before the
# summary line; none when nothing is new; a deal an article only updates
# is not new; only the new ones when a feed grows; with --quiet the table
# alone; and the same articles and deals whatever the number of
# extraction threads (--threads 0, 1, 3).
set -u
. "$TOP/tests/servers/lib.sh"
srv_skip_unless sqlite3
DB=$T/deals.db

# feed FILE TITLE ITEM...: an RSS feed of items "GUID|DAY|TEXT".
feed() {
	f=$1
	t=$2
	shift 2
	{
		printf '<?xml version="1.0"?>\n<rss version="2.0"><channel>'
		printf '<title>%s</title><link>http://%s.example/</link>\n' "$t" "$t"
		for it in "$@"; do
			g=${it%%|*}
			rest=${it#*|}
			day=${rest%%|*}
			text=${rest#*|}
			printf '<item><title>%s</title><link>http://%s.example/%s</link>' "$g" "$t" "$g"
			printf '<guid>%s</guid><pubDate>%s Mar 2025 10:00:00 GMT</pubDate>' "$g" "$day"
			printf '<description>%s</description></item>\n' "$text"
		done
		printf '</channel></rss>\n'
	} >"$f"
}

A1="a-1|Mon, 03|Harbor Mills agreed to buy Quayside Foods for \$40 million, the companies said on Monday."
A2="a-2|Mon, 03|Tollgate Energy invested \$15 million in Brightmoor Solar, the startup said on Monday."
A3="a-3|Tue, 04|Ridgeway Freight agreed to acquire Lantern Couriers for \$90 million, it said on Tuesday."
B1="b-1|Wed, 05|Harbor Mills completed its \$40 million purchase of Quayside Foods on Wednesday."

feed "$T/a.xml" a "$A1" "$A2"
"$DW" --db "$DB" feed add "$T/a.xml" >/dev/null || fail "feed add"

# 1. The first crawl: both deals are new, one table line each, then the
# summary line.
"$DW" --db "$DB" crawl --new --no-progress >"$T/out" 2>"$T/err" ||
    fail "first crawl: $(cat "$T/err")"
cat "$T/out"
grep -q "Harbor Mills -> Quayside Foods" "$T/out" || fail "--new misses the acquisition"
grep -q "Tollgate Energy -> Brightmoor Solar" "$T/out" || fail "--new misses the investment"
[ "$(wc -l <"$T/out")" -eq 4 ] || fail "want a header, 2 deals and the summary"
tail -n 1 "$T/out" | grep -q "2 new articles; 2 new deals, 0 updated" ||
    fail "the summary comes last"

# 2. Nothing new: the summary alone, no table.
"$DW" --db "$DB" crawl --new --no-progress --force >"$T/out" 2>"$T/err" ||
    fail "second crawl"
cat "$T/out"
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "nothing new should print no table"
grep -q "0 new deals" "$T/out" || fail "summary"

# 3. The feed grows by one item: only its deal is shown, not the old ones.
sleep 1 # a new modification time, so the feed counts as changed
feed "$T/a.xml" a "$A1" "$A2" "$A3"
"$DW" --db "$DB" crawl --new --no-progress --force >"$T/out" 2>"$T/err" ||
    fail "third crawl"
cat "$T/out"
grep -q "Ridgeway Freight -> Lantern Couriers" "$T/out" || fail "--new misses the new deal"
grep -q "Harbor Mills\|Tollgate" "$T/out" && fail "--new shows old deals"
[ "$(wc -l <"$T/out")" -eq 3 ] || fail "want a header, 1 deal and the summary"

# 4. A new article about a deal already known updates it: not new.
feed "$T/b.xml" b "$B1"
"$DW" --db "$DB" feed add "$T/b.xml" >/dev/null || fail "feed add b"
"$DW" --db "$DB" crawl --new --no-progress >"$T/out" 2>"$T/err" ||
    fail "fourth crawl"
cat "$T/out"
grep -q "1 new articles; 0 new deals, 1 updated" "$T/out" || fail "want 1 updated"
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "an updated deal is not new"
[ "$(sq "SELECT status FROM deals WHERE parties LIKE '%:Quayside Foods;%'")" -eq 3 ] ||
    fail "the acquisition should now be completed"

# 5. --quiet --new: the table alone, without the summary.
DB=$T/quiet.db
feed "$T/q.xml" q "$A3"
"$DW" --db "$DB" feed add "$T/q.xml" >/dev/null || fail "feed add q"
"$DW" --db "$DB" crawl --new --quiet >"$T/out" 2>"$T/err" || fail "quiet crawl"
cat "$T/out" "$T/err"
grep -q "Ridgeway Freight -> Lantern Couriers" "$T/out" || fail "--quiet --new shows no deal"
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "--quiet --new: want header and deal only"
[ -s "$T/err" ] && fail "--quiet printed to stderr"

# 6. The number of extraction threads changes nothing stored.
for n in 0 1 3; do
	DB=$T/threads$n.db
	"$DW" --db "$DB" feed add "$T/a.xml" >/dev/null || fail "feed add"
	"$DW" --db "$DB" feed add "$T/b.xml" >/dev/null || fail "feed add"
	"$DW" --db "$DB" crawl --threads $n --no-progress --new >"$T/out$n" 2>&1 ||
	    fail "--threads $n: $(cat "$T/out$n")"
	sed -i 's/; [0-9.]* s$//' "$T/out$n"
	sq "SELECT a.guid, a.title, a.published, a.text, m.seq, m.gkey, m.status,
	    m.amount FROM articles a LEFT JOIN mentions m ON m.article_id = a.id
	    ORDER BY a.guid, m.seq" >"$T/dump$n"
done
cmp -s "$T/out0" "$T/out1" && cmp -s "$T/out0" "$T/out3" ||
    fail "--threads changed the output: $(diff "$T/out0" "$T/out3")"
cmp -s "$T/dump0" "$T/dump1" && cmp -s "$T/dump0" "$T/dump3" ||
    fail "--threads changed what was stored"
[ "$(wc -l <"$T/dump0")" -eq 4 ] || fail "want 4 articles with their deals"
"$DW" crawl --threads 65 >"$T/out" 2>&1
[ $? -eq 64 ] || fail "--threads 65 should be a usage error"
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "want one line for a bad --threads"
echo ok
