# crawl: an article extraction refuses (text over the 8 MiB limit) is
# reported in one line naming it, the feed's other articles are stored,
# and the feed's ETag is not moved, so the next crawl tries it again; the
# same with extraction on the main thread (--threads 0) and on workers.
set -u
. "$TOP/tests/servers/lib.sh"
srv_skip_unless sqlite3 /usr/bin/python3
/usr/bin/python3 - "$T/c.xml" <<'EOF'
import sys
big = "Filler words and nothing else. " * 300000
items = [
    ("c-1", "Harbor Mills agreed to buy Quayside Foods for $40 million, "
            "the companies said on Monday."),
    ("c-2", "A very long item. " + big),
    ("c-3", "Tollgate Energy invested $15 million in Brightmoor Solar, "
            "the startup said on Monday."),
]
out = ['<?xml version="1.0"?><rss version="2.0"><channel><title>C</title>'
       '<link>http://c.example/</link>']
for g, t in items:
    out.append('<item><title>%s</title><link>http://c.example/%s</link>'
               '<guid>%s</guid><description>%s</description></item>'
               % (g, g, g, t))
out.append('</channel></rss>')
open(sys.argv[1], "w").write("\n".join(out))
EOF
for n in 0 2; do
	DB=$T/t$n.db
	"$DW" --db "$DB" feed add "$T/c.xml" >/dev/null || fail "feed add"
	"$DW" --db "$DB" crawl --threads $n --no-progress >"$T/out" 2>"$T/err"
	rc=$?
	cat "$T/out" "$T/err"
	[ $rc -eq 0 ] || fail "--threads $n: exit $rc"
	[ "$(wc -l <"$T/err")" -eq 1 ] || fail "--threads $n: want one error line"
	grep -q "cannot extract deals from 'http://c.example/c-2': text of [0-9]* bytes is larger" "$T/err" ||
	    fail "--threads $n: the message should name the article"
	grep -q "2 new articles; 2 new deals" "$T/out" || fail "--threads $n: summary"
	[ "$(sq "SELECT count(*) FROM articles WHERE url LIKE '%/c-2'")" -eq 0 ] ||
	    fail "--threads $n: the refused article was stored"
	[ "$(sq 'SELECT count(*) FROM articles')" -eq 2 ] || fail "--threads $n: want 2 articles"
	[ "$(sq 'SELECT etag IS NULL FROM feeds')" -eq 1 ] ||
	    fail "--threads $n: the ETag moved past an article not stored"
	# Tried again next time, the good ones not stored twice.
	"$DW" --db "$DB" crawl --threads $n --no-progress --force >"$T/out" 2>"$T/err"
	grep -q "1 fetched, 0 not modified, 0 failed; 0 new articles" "$T/out" ||
	    fail "--threads $n: second crawl: $(cat "$T/out")"
	[ "$(wc -l <"$T/err")" -eq 1 ] || fail "--threads $n: the article is tried again"
done
echo ok
