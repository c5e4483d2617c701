#!/bin/sh
# bench_extract: the whole deal extraction against the recognizers alone,
# in one process, over the story text of ../shared/corpus/reuters run
# again and again to 50 MB (bench_extract.c says how).
set -u
sgm=$SHARED/corpus/reuters/reut2-000.sgm
if [ ! -f "$sgm" ]; then
	echo "bench_extract: skipped: $sgm not found"
	exit 0
fi
out=$BUILD/bench
mkdir -p "$out"
txt=$out/reuters-stories.txt
/usr/bin/python3 - "$sgm" "$txt" <<'PY'
import html, re, sys
raw = open(sys.argv[1], encoding="latin-1").read()
with open(sys.argv[2], "w") as f:
    for body in re.findall(r"<BODY>(.*?)</BODY>", raw, re.S):
        body = html.unescape(body).replace("\x03", "")
        f.write(" ".join(body.split()) + "\n")
PY
"$BUILD/bench/bench_extract" "$TOP/rules" "$txt" 50 1987-03-02 || {
	echo "bench_extract: FAILED to run"; exit 1; }
