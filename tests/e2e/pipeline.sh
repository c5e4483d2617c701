# The pipeline end to end on our bundled examples: parse gives contract
# JSON whose evidence offsets point into the text; crawl of the example feeds
# (local paths) puts articles and deals into SQLite; a second crawl stores no
# article twice; export reads them back as CSV, JSON and JSONL.
set -u
fail() { echo "FAIL: $*"; exit 1; }
py=/usr/bin/python3
db=$T/deals.db
dw() { "$DW" --db "$db" "$@"; }

# parse: CONTRACT.md's shape, byte offsets into the parsed text.
sed -n '/<content:encoded>/,/<\/content:encoded>/p' "$TOP/examples/ai-deals.xml" |
	sed -e 's/.*CDATA\[//' -e 's/\]\]>.*//' -e 's/<\/p><p>/\n/g' -e 's/<\/\{0,1\}p>//g' |
	$py -c 'import html,sys; sys.stdout.write(html.unescape(sys.stdin.read()))' >"$T/seed.txt"
grep -q "Amazon is reportedly" "$T/seed.txt" || fail "could not cut the example article"
"$DW" parse "$T/seed.txt" --format json --published 2025-12-17 >"$T/parse.json" ||
	fail "parse exited $?"
$py - "$T/parse.json" "$T/seed.txt" <<'PY' || fail "parse JSON is not as CONTRACT.md says"
import json, sys
doc = json.load(open(sys.argv[1]))
text = open(sys.argv[2], "rb").read()
assert set(doc) == {"article", "deals"}, doc.keys()
assert doc["article"]["published"] == "2025-12-17"
roles = {"investment": {"investor", "target"}, "acquisition": {"acquirer", "target"},
         "merger": {"party"}, "stake": {"holder", "target"},
         "supply": {"customer", "supplier"}, "partnership": {"party"}}
assert doc["deals"], "the example article reports deals"
for d in doc["deals"]:
    assert d["type"] in roles, d
    assert {p["role"] for p in d["parties"]} <= roles[d["type"]], d
    assert len(d["parties"]) >= 2, d
    if "amount" in d:
        assert isinstance(d["amount"]["value"], (int, float))
        assert len(d["amount"]["currency"]) == 3
        assert d["amount"]["qualifier"] in ("exact", "up_to", "over", "about", "range")
    if "status" in d:
        assert d["status"] in ("talks", "announced", "completed", "terminated")
    assert d["evidence"], d
    for e in d["evidence"]:
        assert text[e["start"]:e["end"]].decode() == e["text"], e
# Hand-read from the article: Amazon's up-to-$10bn investment in OpenAI.
assert any(d["type"] == "investment" and
           {(p["role"], p["name"]) for p in d["parties"]} ==
           {("investor", "Amazon"), ("target", "OpenAI")} and
           d.get("amount", {}).get("value") == 10000000000 and
           d["amount"]["qualifier"] == "up_to"
           for d in doc["deals"]), "Amazon -> OpenAI up to $10 billion missing"
PY

# crawl the example feeds, twice.
for f in "$TOP"/examples/*.xml "$TOP"/examples/*.atom; do
	dw feed add "$f" >/dev/null || fail "feed add $f exited $?"
done
dw crawl >"$T/crawl1.out" 2>&1 || fail "first crawl exited $?: $(cat "$T/crawl1.out")"
articles=$(sqlite3 "$db" "SELECT count(*) FROM articles")
deals=$(sqlite3 "$db" "SELECT count(*) FROM deals")
[ "$articles" -ge 5 ] || fail "crawl stored $articles articles, want 5"
[ "$deals" -ge 5 ] || fail "crawl stored $deals deals"
dw crawl >"$T/crawl2.out" 2>&1 || fail "second crawl exited $?"
[ "$(sqlite3 "$db" "SELECT count(*) FROM articles")" -eq "$articles" ] ||
	fail "the second crawl stored articles again"
[ "$(sqlite3 "$db" "SELECT count(*) FROM deals")" -eq "$deals" ] ||
	fail "the second crawl changed the deal count"

# export reads them back.
dw export --format json >"$T/deals.json" || fail "export json exited $?"
dw export --format jsonl >"$T/deals.jsonl" || fail "export jsonl exited $?"
dw export --format csv >"$T/deals.csv" || fail "export csv exited $?"
$py - "$T/deals.json" "$T/deals.jsonl" "$T/deals.csv" "$deals" <<'PY' || fail "exports disagree"
import csv, json, sys
arr = json.load(open(sys.argv[1]))
lines = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
rows = list(csv.DictReader(open(sys.argv[3], newline="")))
n = int(sys.argv[4])
assert len(arr) == len(lines) == len(rows) == n, (len(arr), len(lines), len(rows), n)
assert sorted(d["id"] for d in arr) == sorted(d["id"] for d in lines)
for d in arr:
    assert d["sources"], d
names = {p["name"] for d in arr for p in d["parties"]}
assert {"Amazon", "OpenAI", "Nvidia", "CoreWeave"} <= names, names
PY
echo ok
