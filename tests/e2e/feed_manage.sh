# Feed management: add (a feed URL, a web page that links its feeds, a
# saved page), list with state, remove by URL and id, OPML import and
# export round trip, and the exit statuses. A local HTTP server on
# 127.0.0.1 plays the web (--allow-private lets feed add reach it).
set -u
fail() { echo "FAIL: $*"; exit 1; }
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "no /usr/bin/python3 for the test server"; exit 77; }
export DEALWIRE_DB="$T/deals.db"
mkdir -p "$T/www"
cat >"$T/www/feed.xml" <<'XML'
<rss version="2.0"><channel><title>Local Deals</title><link>http://local/</link>
<item><title>One</title><link>http://local/1</link></item></channel></rss>
XML
cat >"$T/www/index.html" <<'XML'
<!doctype html><html><head><title>Home</title>
<link rel="alternate" type="application/atom+xml" title="Atom" href="/atom.xml">
<link rel="alternate" type="application/rss+xml" title="RSS" href="feed.xml">
</head><body><p>news</p></body></html>
XML
printf '<html><body>nothing here</body></html>' >"$T/www/plain.html"
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
$PY -m http.server "$port" --bind 127.0.0.1 --directory "$T/www" >"$T/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null' EXIT
i=0
until $PY -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 50 ] || fail "test server did not start"; sleep 0.1
done
base=http://127.0.0.1:$port

"$DW" feed add "$base/feed.xml" --allow-private >"$T/out" 2>"$T/err" || fail "add feed: $(cat "$T/err")"
grep -q "Local Deals" "$T/out" || fail "add names the title: $(cat "$T/out")"
"$DW" feed add "$base/feed.xml" --allow-private >/dev/null 2>&1
[ $? -eq 65 ] || fail "adding twice should exit 65"
# a page: its RSS link is found and made absolute
rm -f "$DEALWIRE_DB"
"$DW" feed add "$base/index.html" --allow-private >"$T/out" 2>"$T/err" || fail "add page: $(cat "$T/err")"
grep -q "$base/feed.xml" "$T/out" || fail "page discovery: $(cat "$T/out")"
"$DW" feed add "$base/plain.html" --allow-private >/dev/null 2>"$T/err"
[ $? -eq 65 ] || fail "a page without feeds should exit 65"
grep -q "no feed found" "$T/err" || fail "message: $(cat "$T/err")"
# unreachable now (loopback refused without --allow-private): added as given
DEALWIRE_DB="$T/other.db" "$DW" feed add "$base/feed.xml" >"$T/out" 2>"$T/err" ||
	fail "unreachable feeds are added as given"
grep -q "added as given" "$T/err" || fail "says why: $(cat "$T/err")"
# a saved page with absolute links
printf '<link rel="alternate" type="application/atom+xml" href="https://saved.example/atom">' >"$T/saved.html"
"$DW" feed add "$T/saved.html" >/dev/null || fail "add saved page"

"$DW" feed list >"$T/out" || fail "list"
grep -q "$base/feed.xml" "$T/out" || fail "list shows the URL"
grep -q "last fetch never" "$T/out" || fail "list shows the state: $(cat "$T/out")"
"$DW" feed list --format json >"$T/out" || fail "list json"
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d) == 2 and d[1]["url"] == "https://saved.example/atom" and d[0]["failures"] == 0' "$T/out" ||
	fail "list JSON: $(cat "$T/out")"

cat >"$T/subs.opml" <<'XML'
<?xml version="1.0"?><opml version="1.1"><head><title>subs</title></head><body>
<outline text="Markets"><outline text="Ledger &amp; Co" type="rss" xmlUrl="https://ledger.example/rss"/></outline>
<outline text="Saved again" xmlUrl="https://saved.example/atom"/>
<outline text="a folder without a feed"/></body></opml>
XML
"$DW" feed import "$T/subs.opml" >"$T/out" || fail "import"
grep -q "imported 1 feed" "$T/out" || fail "import counts: $(cat "$T/out")"
grep -q "1 already known" "$T/out" || fail "import knows duplicates: $(cat "$T/out")"
"$DW" feed export >"$T/export.opml" || fail "export"
grep -q 'xmlUrl="https://ledger.example/rss"' "$T/export.opml" || fail "export: $(cat "$T/export.opml")"
grep -q 'text="Ledger &amp; Co"' "$T/export.opml" || fail "export escapes titles"
rm -f "$DEALWIRE_DB"
"$DW" feed import "$T/export.opml" >"$T/out" || fail "re-import"
grep -q "imported 3 feeds" "$T/out" || fail "round trip: $(cat "$T/out")"
"$DW" feed import "$T/www/feed.xml" >/dev/null 2>"$T/err"
[ $? -eq 65 ] || fail "a feed is no OPML"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "one line"

"$DW" feed remove https://ledger.example/rss >/dev/null || fail "remove by URL"
"$DW" feed remove 1 >/dev/null || fail "remove by id"
"$DW" feed remove 1 >/dev/null 2>&1
[ $? -eq 66 ] || fail "removing a missing feed should exit 66"
"$DW" feed list --format json >"$T/out"
$PY -c 'import json,sys; assert len(json.load(open(sys.argv[1]))) == 1' "$T/out" || fail "after removes: $(cat "$T/out")"
"$DW" feed frobnicate >/dev/null 2>&1
[ $? -eq 64 ] || fail "unknown subcommand should exit 64"
exit 0
