# `reextract` after a rule change updates old deals and keeps their ids
# (a copy of the rules with the "talks" cues removed turns a deal in talks
# into an announced one); a rejected deal stays rejected through
# re-extraction and through the same article stored again.
set -u
fail() { echo "FAIL: $*"; exit 1; }
[ -x /usr/bin/python3 ] || { echo "/usr/bin/python3 not installed"; exit 77; }
export DEALWIRE_DB="$T/deals.db"
mkdir "$T/rules"
cp "$TOP"/rules/* "$T/rules/"
export DEALWIRE_RULES="$T/rules"
printf '%s\n' "Microsoft is reportedly in talks to acquire Nuance Communications for \$16 billion, people familiar with the matter said." >"$T/a.txt"
printf '%s\n' "Oracle agreed to buy Cerner for \$28.3 billion in cash, the companies said on Monday, in the largest deal in its history." >"$T/b.txt"
"$DW" parse --store --published 2021-04-11 "$T/a.txt" >/dev/null || fail "parse --store a"
"$DW" parse --store --published 2021-12-20 "$T/b.txt" >/dev/null || fail "parse --store b"
field() { # field ID KEY: a top-level string or number of deal ID in the export
	"$DW" export --format jsonl | /usr/bin/python3 -c 'import json, sys
for l in sys.stdin:
    d = json.loads(l)
    if str(d["id"]) == sys.argv[1]:
        print(d.get(sys.argv[2]) or "")' "$1" "$2"
}
ids=$("$DW" export --format jsonl | /usr/bin/python3 -c 'import json, sys
for l in sys.stdin:
    d = json.loads(l)
    print(d["id"], d["parties"][1]["name"], d.get("status"))')
echo "$ids"
talks=$(echo "$ids" | awk '$2 == "Nuance" && $NF == "talks" { print $1 }')
other=$(echo "$ids" | awk '$2 == "Cerner" { print $1 }')
[ -n "$talks" ] && [ -n "$other" ] || { echo "the extractor does not find these deals yet"; exit 77; }
grep -q '^status talks' "$T/rules/deals.rules" || { echo "no 'status talks' line to change"; exit 77; }

"$DW" deal reject "$other" >/dev/null || fail "deal reject"
sed '/^status talks/d' "$T/rules/deals.rules" >"$T/deals.rules"
mv "$T/deals.rules" "$T/rules/deals.rules"
"$DW" reextract >"$T/out" || fail "reextract exited $?"
grep -q "re-extracted 2 articles" "$T/out" || fail "reextract said: $(cat "$T/out")"
[ "$(field "$talks" status)" = announced ] || fail "deal $talks not updated: $(field "$talks" status)"
n=$("$DW" export --format jsonl | wc -l)
[ "$n" -eq 1 ] || fail "want the one deal not rejected, got $n"
"$DW" show "$talks" | grep -q "Nuance" || fail "show $talks"
# The rejected deal stays out, also when its article comes again.
"$DW" parse --store --published 2021-12-20 "$T/b.txt" >/dev/null || fail "again"
cp "$T/b.txt" "$T/b-copy.txt"
"$DW" parse --store --published 2021-12-21 "$T/b-copy.txt" >/dev/null || fail "copy"
n=$("$DW" export --format jsonl | wc -l)
[ "$n" -eq 1 ] || fail "the rejected deal came back: $n deals"
"$DW" show "$other" | grep -q "rejected" || fail "show $other does not say rejected"
echo ok
