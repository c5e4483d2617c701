# A crawl with a broken rule file stops before any work: exit 78 and one
# line naming the file, line and column; the feed is not fetched (its
# state stays "never"), nothing is stored. With the rules mended, the next
# crawl stores everything.
set -u
fail() { echo "FAIL: $*"; exit 1; }
DB=$T/db
mkdir -p "$T/rules"
cp "$TOP"/rules/* "$T/rules/"
# line 2 of a deals file of our own, an element left open at column 30 (its "(")
printf '# ours\ninvestment: {PARTY:investor} (puts|put in {PARTY:target}\n' \
    >"$T/rules/deals-local.rules"
cat >"$T/feed.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Bad rules feed</title><link>https://news.example/</link>
<item><title>Alder agrees to buy Birchwood</title><link>https://news.example/1.html</link>
<guid isPermaLink="false">urn:bad-rules:1</guid><pubDate>Mon, 01 Sep 2025 08:00:00 GMT</pubDate>
<description>Alder Logistics agreed to buy Birchwood Robotics for $40 million in cash, the companies said.</description></item>
</channel></rss>
XML
"$DW" --db "$DB" feed add "$T/feed.xml" >/dev/null || fail "feed add"
"$DW" --db "$DB" --rules "$T/rules" crawl --no-progress >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 78 ] || fail "crawl with a broken rule file exited $rc, want 78"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "want one line: $(cat "$T/err")"
grep -q "deals-local.rules:2:30: " "$T/err" || fail "no path:line:col: $(cat "$T/err")"
[ ! -s "$T/out" ] || fail "a summary was printed: $(cat "$T/out")"
"$DW" --db "$DB" feed list >"$T/list" || fail "feed list"
grep -q "last fetch never" "$T/list" || fail "the feed was fetched: $(cat "$T/list")"
rm "$T/rules/deals-local.rules"
"$DW" --db "$DB" --rules "$T/rules" crawl --no-progress >"$T/out" 2>"$T/err" ||
	fail "crawl with mended rules: $(cat "$T/err")"
grep -q "1 new articles; 1 new deals" "$T/out" || fail "after mending: $(cat "$T/out")"
exit 0
