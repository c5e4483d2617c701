# The seed article stored with `parse --store`: `circles --format json`
# lists exactly Amazon -> OpenAI -> Amazon and CoreWeave -> Nvidia ->
# CoreWeave. Storing it again changes nothing.
set -u
fail() { echo "FAIL: $*"; exit 1; }
[ -x /usr/bin/python3 ] || { echo "/usr/bin/python3 not installed"; exit 77; }
export DEALWIRE_DB="$T/deals.db"
seed="$TOP/tests/data/store/seed.txt"
"$DW" parse --store --published 2025-12-17 --format json "$seed" >"$T/parse.json" ||
	fail "parse --store exited $?"
n=$("$DW" export --format jsonl | wc -l)
[ "$n" -gt 0 ] || { echo "the extractor finds no deals yet"; exit 77; }
"$DW" circles --format json >"$T/circles.json" || fail "circles exited $?"
/usr/bin/python3 - "$T/circles.json" <<'PY' || fail "circles: $(cat "$T/circles.json")"
import json, sys
c = json.load(open(sys.argv[1]))["circles"]
got = [x["parties"] for x in c]
want = [["Amazon", "OpenAI"], ["CoreWeave", "Nvidia"]]
if got != want:
    sys.exit("got %r, want %r" % (got, want))
for x in c:
    ps = x["parties"]
    edges = {(d["from"], d["to"]) for d in x["deals"]}
    for i, p in enumerate(ps):
        if (p, ps[(i + 1) % len(ps)]) not in edges:
            sys.exit("edge %s -> %s has no deal" % (p, ps[(i + 1) % len(ps)]))
PY
"$DW" export --format jsonl | sort >"$T/before"
"$DW" parse --store --published 2025-12-17 --format json "$seed" >/dev/null
"$DW" export --format jsonl | sort >"$T/after"
cmp -s "$T/before" "$T/after" || fail "storing the same article again changed the deals"
"$DW" circles >"$T/text" || fail "text circles"
[ "$(wc -l <"$T/text")" -eq 2 ] || fail "text: one circle a line: $(cat "$T/text")"
# DOT: the four circle edges in red, and Graphviz reads it when present.
"$DW" export --format dot >"$T/deals.dot" || fail "dot export"
[ "$(grep -c -- '->.*color=red' "$T/deals.dot")" -eq 4 ] ||
	fail "want the 4 circle edges in red: $(grep -- '->' "$T/deals.dot")"
if command -v dot >/dev/null 2>&1; then
	dot -Tsvg "$T/deals.dot" -o "$T/deals.svg" || fail "Graphviz cannot read the DOT"
fi
echo ok
