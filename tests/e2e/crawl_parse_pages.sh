# `dealwire parse` of an HTML page goes through the article extractor: the
# page's title, canonical URL and date reach the JSON; a URL is refused on
# loopback (68) and a host that does not resolve is 68 too.
set -u
. "$TOP/tests/servers/lib.sh"
p=$TOP/tests/data/pages/wordpress-entry.html
"$DW" parse --format json "$p" >"$T/out" 2>"$T/err" || fail "parse of an HTML file: $(cat "$T/err")"
grep -q '"title": "Harborline to buy Quillfeather for $240 million"' "$T/out" || fail "title"
grep -q '"url": "https://docksidedaily.example/2025/04/08/harborline-quillfeather/"' "$T/out" ||
    fail "canonical URL"
grep -q '"published": "2025-04-08"' "$T/out" || fail "published date"
"$DW" parse --format json http://127.0.0.1:9/a.html >"$T/out" 2>"$T/err"
rc=$?
[ $rc -eq 68 ] || fail "loopback URL exited $rc, want 68"
grep -q "refused to connect to 127.0.0.1 (loopback)" "$T/err" || fail "message"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "want one line"
# Without a network, no name resolves: 68 and one line, nothing sent.
if unshare -n true 2>/dev/null; then
	unshare -n "$DW" parse http://news.example/a.html >"$T/out" 2>"$T/err"
	rc=$?
	[ $rc -eq 68 ] || fail "unresolvable host exited $rc, want 68"
	grep -q "does not resolve" "$T/err" || fail "message: $(cat "$T/err")"
fi
echo ok
