# Hostile and broken feeds: each parses, or fails with its documented
# message, within bounded time (timeout) and memory (peak RSS, /usr/bin/time):
# billion laughs, XXE at a local file and at a loopback URL (nothing read,
# no connection made), a 10 MB text node, 10,000 levels of nesting, a
# Latin-1 feed without a declaration, an HTTP charset that contradicts the
# declaration, &nbsp; without a DTD, invalid UTF-8.
set -u
fail() { echo "FAIL: $*"; exit 1; }
has() { grep -qF -- "$1" "$T/out" || fail "missing $1 in: $(head -c 600 "$T/out")"; }
run() {
	# 20 seconds (sanitizer builds are slow) and 512 MB resident at most
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M -o "$T/rss" timeout 20 "$DW" feed parse "$@" >"$T/out" 2>"$T/err"
	else
		timeout 20 "$DW" feed parse "$@" >"$T/out" 2>"$T/err"
	fi
	rc=$?
	[ "$rc" -eq 0 ] || fail "feed parse $* exited $rc: $(cat "$T/err")"
	if [ -x /usr/bin/time ]; then
		kb=$(tail -n 1 "$T/rss")
		[ "$kb" -lt 524288 ] || fail "feed parse $* used $kb KB"
	fi
}
PY=/usr/bin/python3

# Billion laughs: nested entity declarations are refused, nothing expands.
{
	echo '<?xml version="1.0"?><!DOCTYPE rss ['
	echo '<!ENTITY l0 "lol">'
	i=1
	while [ $i -le 12 ]; do
		p=$((i - 1))
		echo "<!ENTITY l$i \"&l$p;&l$p;&l$p;&l$p;&l$p;&l$p;&l$p;&l$p;&l$p;&l$p;\">"
		i=$((i + 1))
	done
	echo ']><rss version="2.0"><channel><title>&l12;</title><item><title>&l0;</title></item></channel></rss>'
} >"$T/laughs.xml"
run "$T/laughs.xml"
has '"title": "&l12;"'
has '"title": "lol"'
has "entity 'l12' not declared"
[ "$(wc -c <"$T/out")" -lt 4096 ] || fail "billion laughs output grew"

# XXE: a local file and a loopback URL are never read.
echo "TOPSECRET-$$" >"$T/secret.txt"
port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
$PY - "$port" "$T/connected" <<'PY' &
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(5)
s.settimeout(4)
try:
    c, _ = s.accept()
    open(sys.argv[2], "w").write("connected\n")
    c.close()
except socket.timeout:
    pass
PY
listener=$!
sleep 0.3
cat >"$T/xxe.xml" <<XML
<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY file SYSTEM "file://$T/secret.txt">
<!ENTITY net SYSTEM "http://127.0.0.1:$port/x">
<!ENTITY % dtd SYSTEM "http://127.0.0.1:$port/dtd"> %dtd;
]>
<rss version="2.0"><channel><title>[&file;][&net;]</title>
<item><title>&file;</title></item></channel></rss>
XML
run "$T/xxe.xml"
grep -q "TOPSECRET" "$T/out" && fail "XXE read the local file"
has '"title": "[&file;][&net;]"'
printf '<!DOCTYPE rss SYSTEM "http://127.0.0.1:%s/rss.dtd"><rss version="2.0"><channel><title>dtd</title></channel></rss>' "$port" >"$T/dtd.xml"
run "$T/dtd.xml"
has '"title": "dtd"'
wait "$listener"
[ -e "$T/connected" ] && fail "XXE made a request to the loopback listener"

# A 10 MB text node is read whole.
$PY -c 'import sys; sys.stdout.write("<rss version=\"2.0\"><channel><title>big</title><item><title>t</title><description>" + "x" * (10 << 20) + "</description></item></channel></rss>")' >"$T/big.xml"
run "$T/big.xml"
has '"title": "big"'
[ "$(wc -c <"$T/out")" -gt $((10 << 20)) ] || fail "the 10 MB text was cut"

# 10,000 levels of nesting: the deep part is skipped, with a warning.
$PY -c 'import sys; sys.stdout.write("<rss version=\"2.0\"><channel><title>deep</title><item><title>t</title>" + "<x>" * 10000 + "z" + "</x>" * 10000 + "</item></channel></rss>")' >"$T/deep.xml"
run "$T/deep.xml"
has '"title": "t"'
has 'nested deeper than'

# Latin-1 without a declaration: not UTF-8, so windows-1252, as feedparser.
printf '<rss version="2.0"><channel><title>Caf\351 cr\350me \2433</title></channel></rss>' >"$T/latin1.xml"
run "$T/latin1.xml"
has '"encoding": "windows-1252"'
has '"title": "Café crème £3"'
has 'not valid utf-8: read as windows-1252'

# The HTTP charset and the declaration disagree: for text/xml the charset
# rules (RFC 3023); without one, text/xml is us-ascii, which fails here.
printf '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Caf\351</title></channel></rss>' >"$T/disagree.xml"
run "$T/disagree.xml" --content-type 'text/xml; charset=iso-8859-1'
has '"encoding": "iso-8859-1"'
has '"title": "Café"'
has 'overrides the declared utf-8'
run "$T/disagree.xml" --content-type 'text/xml'
has '"title": "Café"'
has 'not valid us-ascii'

# &nbsp; and friends without a DTD.
printf '<rss version="2.0"><channel><title>A&nbsp;B &mdash; C</title></channel></rss>' >"$T/nbsp.xml"
run "$T/nbsp.xml"
nbsp=$(printf '\302\240')
has "\"title\": \"A${nbsp}B — C\""
has 'undefined entity &nbsp; (recovered)'

# Invalid UTF-8 among valid UTF-8: each bad byte is repaired.
printf '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>\342\202\254 na\303\257ve caf\303\251 \223quoted\224</title></channel></rss>' >"$T/bad.xml"
run "$T/bad.xml"
has '"encoding": "utf-8"'
has '"title": "€ naïve café “quoted”"'
has '2 bytes not valid utf-8 replaced (recovered)'
exit 0
