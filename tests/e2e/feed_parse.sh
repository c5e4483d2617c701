# `dealwire feed parse`: the JSON of CONTRACT.md for RSS and Atom, options
# after the operand, the HTTP context (--base, --content-type), and the
# exit statuses: 65 with one line naming the file when it is no feed.
set -u
fail() { echo "FAIL: $*"; exit 1; }
has() { grep -qF -- "$1" "$T/out" || fail "missing $1 in: $(cat "$T/out")"; }

cat >"$T/rss.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Deal Desk</title><link>/desk/</link>
<item><title>Northwind &amp; Contoso agree to merge</title>
<link>stories/merger.html</link>
<guid isPermaLink="false">nw-contoso</guid>
<pubDate>Wed, 04 Jun 2025 16:00:00 EDT</pubDate>
<dc:creator>Sam Reporter</dc:creator>
<description><![CDATA[<p>The two firms said on Wednesday.</p>]]></description>
</item></channel></rss>
XML
"$DW" feed parse "$T/rss.xml" --base https://news.example/feeds/all.xml --format json >"$T/out" ||
	fail "parse exited $?"
has '"format": "rss2.0"'
has '"encoding": "utf-8"'
has '"title": "Deal Desk"'
has '"link": "https://news.example/desk/"'
has '"link": "https://news.example/feeds/stories/merger.html"'
has '"id": "nw-contoso"'
has '"title": "Northwind & Contoso agree to merge"'
has '"published": "2025-06-04T20:00:00Z"'
has '"author": "Sam Reporter"'
has '"summary": "<p>The two firms said on Wednesday.</p>"'
has '"warnings": []'

cat >"$T/atom.xml" <<'XML'
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>
<link rel="self" href="https://a.example/feed"/>
<link rel="alternate" href="https://a.example/"/><id>urn:desk</id>
<entry><title>Fabrikam raises $40 million</title>
<link rel="alternate" href="https://a.example/fabrikam"/>
<id>urn:desk:1</id><updated>2025-06-05T10:00:00+02:00</updated>
<summary>Series B led by a fund.</summary></entry></feed>
XML
"$DW" feed parse "$T/atom.xml" >"$T/out" || fail "atom exited $?"
has '"format": "atom1.0"'
has '"link": "https://a.example/"'
has '"link": "https://a.example/fabrikam"'
has '"updated": "2025-06-05T08:00:00Z"'
has '"published": null'

# Content-Location moves the base; an unsafe one is ignored.
printf '<feed xmlns="http://www.w3.org/2005/Atom"><title>cl</title><link rel="alternate" href="rel.html"/></feed>' >"$T/cl.xml"
"$DW" feed parse "$T/cl.xml" --base http://a.example/feeds/x.xml --content-location /moved/ >"$T/out" || fail "content-location"
has '"link": "http://a.example/moved/rel.html"'
"$DW" feed parse "$T/cl.xml" --base http://a.example/feeds/x.xml --content-location 'javascript:alert(1)' >"$T/out" || fail "unsafe"
has '"link": "http://a.example/feeds/rel.html"'

# The HTTP charset beats the declaration for application/*+xml.
printf '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Caf\303\251</title></channel></rss>' >"$T/cs.xml"
"$DW" feed parse "$T/cs.xml" --content-type 'application/rss+xml; charset=utf-8' >"$T/out" || fail "charset"
has '"encoding": "utf-8"'
has '"title": "Café"'
has 'overrides the declared iso-8859-1'

# No feed: 65, one line, naming the file.
printf '<html><body>not a feed</body></html>' >"$T/page.html"
"$DW" feed parse "$T/page.html" >"$T/out" 2>"$T/err"
[ $? -eq 65 ] || fail "a page should exit 65"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "one line: $(cat "$T/err")"
grep -q "page.html" "$T/err" || fail "message names the file: $(cat "$T/err")"
[ -s "$T/out" ] && fail "nothing on stdout for a non-feed"
printf '' >"$T/empty.xml"
"$DW" feed parse "$T/empty.xml" >/dev/null 2>&1
[ $? -eq 65 ] || fail "an empty file should exit 65"
"$DW" feed parse "$T/missing.xml" >/dev/null 2>&1
[ $? -eq 66 ] || fail "a missing file should exit 66"
"$DW" feed parse >/dev/null 2>&1
[ $? -eq 64 ] || fail "no FILE should exit 64"
"$DW" feed parse "$T/rss.xml" --format xml >/dev/null 2>&1
[ $? -eq 64 ] || fail "unknown format should exit 64"
exit 0
