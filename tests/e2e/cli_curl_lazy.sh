# libcurl is opened only when something is fetched (fetch/curl_load.c):
# with a libcurl.so.4 that cannot load first on the library path, a parse
# of a text and the database commands work as ever, while a crawl and a
# fetch of a URL stop with one line naming the library (exit 69) and leave
# the database as it was.
set -u
fail() { echo "FAIL: $*"; exit 1; }
mkdir -p "$T/lib"
printf 'not a library\n' >"$T/lib/libcurl.so.4"
bad() { LD_LIBRARY_PATH="$T/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$@"; }
printf 'Acme Corp agreed to buy Widget Inc for $5 million on Monday.\n' >"$T/a.txt"
bad "$DW" parse --format json --published 2025-03-03 "$T/a.txt" >"$T/out" 2>"$T/err" ||
	fail "parse without libcurl: exit $?: $(cat "$T/err")"
grep -q '"type": "acquisition"' "$T/out" || fail "parse without libcurl found no deal: $(cat "$T/out")"
bad "$DW" --db "$T/d.db" deals >/dev/null 2>"$T/err" ||
	fail "deals without libcurl: $(cat "$T/err")"
# A URL to fetch: the library is needed now, and its absence is one line.
bad "$DW" parse http://127.0.0.1:9/x.html >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -eq 69 ] || fail "parse URL without libcurl exited $rc, want 69: $(cat "$T/err")"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "more than one line: $(cat "$T/err")"
grep -q "libcurl.so.4" "$T/err" || fail "message does not name the library: $(cat "$T/err")"
# The real one, found as usual, fetches (nothing listens on port 9).
"$DW" parse http://127.0.0.1:9/x.html >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -ne 69 ] || fail "parse URL with libcurl exited 69: $(cat "$T/err")"
echo ok
