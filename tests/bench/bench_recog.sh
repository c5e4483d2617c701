#!/bin/sh
# bench_recog: the recognizers against Debian's python3-dateparser on the
# story text of ../shared/corpus/reuters. dealwire tags the text repeated to
# 50 MB in one process; dateparser's search_dates is far slower, so it is
# timed on a fixed prefix of the same text and the two are compared in MB/s.
# Both are timed in CPU seconds of their own process (the machine is shared).
set -u
sgm=$SHARED/corpus/reuters/reut2-000.sgm
if [ ! -f "$sgm" ]; then
	echo "bench_recog: skipped: $sgm not found"
	exit 0
fi
py=/usr/bin/python3
out=$BUILD/bench
mkdir -p "$out"
txt=$out/reuters-stories.txt
# Story text only: <BODY> contents, entities decoded, one story a line.
$py - "$sgm" "$txt" <<'PY'
import html, re, sys
raw = open(sys.argv[1], encoding="latin-1").read()
with open(sys.argv[2], "w") as f:
    for body in re.findall(r"<BODY>(.*?)</BODY>", raw, re.S):
        body = html.unescape(body).replace("\x03", "")
        f.write(" ".join(body.split()) + "\n")
PY
if ! $py -c 'import dateparser' 2>/dev/null; then
	echo "bench_recog: installing python3-dateparser"
	apt-get install -y python3-dateparser >/dev/null 2>&1 || true
fi
res=$("$BUILD/bench/bench_recog" "$TOP/rules" "$txt" 50 1987-03-02) || {
	echo "bench_recog: FAILED to run"; exit 1; }
echo "$res" | grep -v '^recog-mbps'
dw=$(echo "$res" | sed -n 's/^recog-mbps //p')
prefix=65536
dp=$($py - "$txt" "$prefix" <<'PY'
import sys, time, warnings
warnings.filterwarnings("ignore")
from dateparser.search import search_dates
text = open(sys.argv[1]).read()[: int(sys.argv[2])]
search_dates("warm up on March 3, 1987", languages=["en"])  # loads its data
t0 = time.process_time()
found = 0
for line in text.splitlines():
    r = search_dates(line, languages=["en"])
    found += len(r or [])
dt = time.process_time() - t0
print("%.6f %d %.2f" % (len(text.encode()) / 1e6 / dt, found, dt))
PY
) || { echo "bench_recog: dateparser FAILED"; exit 1; }
set -- $dp
echo "dateparser: search_dates on the first $prefix bytes of the same text" \
    "(too slow for 50 MB): $3 CPU s, $1 MB/s, $2 dates"
awk -v a="$dw" -v b="$1" 'BEGIN {
	r = a / b
	printf "recog vs dateparser: %.0fx the throughput (MB/s vs MB/s, dateparser on a fixed prefix) %s\n", r, (r >= 500 ? "ok (>= 500x)" : "BELOW the 500x target")
}'
