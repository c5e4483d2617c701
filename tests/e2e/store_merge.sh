# Merging through the real extractor, with our own sentences: three
# differently worded articles about one takeover make one deal with three
# sources; a later "completed" article moves it on and both statuses stay
# in its history; the different figures are all kept; two investments
# between the same parties four years and ten times apart stay two.
set -u
fail() { echo "FAIL: $*"; exit 1; }
[ -x /usr/bin/python3 ] || { echo "/usr/bin/python3 not installed"; exit 77; }
export DEALWIRE_DB="$T/deals.db"
cd "$T" || exit 1
printf '%s\n' "Oracle agreed to buy Cerner for \$28.3 billion in cash, the companies said on Monday." >a1.txt
printf '%s\n' "Cerner will be acquired by Oracle in a deal valued at about \$28 billion, the health records company announced." >a2.txt
printf '%s\n' "Oracle has signed a definitive agreement to acquire Cerner for \$95 a share, or roughly \$28.3 billion." >a3.txt
printf '%s\n' "Oracle completed its acquisition of Cerner on Wednesday, six months after the deal was announced." >a4.txt
printf '%s\n' "Microsoft invested \$1 billion in OpenAI in 2019." >b1.txt
printf '%s\n' "Microsoft invested \$10 billion in OpenAI in January 2023." >b2.txt
store() { "$DW" parse --store --published "$2" "$1" >/dev/null || fail "parse --store $1"; }
store a1.txt 2021-12-20
[ "$("$DW" export --format jsonl | wc -l)" -gt 0 ] || { echo "the extractor does not find these deals yet"; exit 77; }
store a2.txt 2021-12-20
store a3.txt 2021-12-21
"$DW" export --format json >three.json
store a4.txt 2022-06-08
store b1.txt 2019-07-22
store b2.txt 2023-01-23
"$DW" export --format json >all.json
/usr/bin/python3 - three.json all.json <<'PY' || exit 1
import json, sys
three = json.load(open(sys.argv[1]))
acq = [d for d in three if d["type"] == "acquisition"]
if len(acq) != 1 or len(acq[0]["sources"]) != 3:
    sys.exit("FAIL: want one acquisition with three sources: %r" % three)
deals = json.load(open(sys.argv[2]))
acq = [d for d in deals if d["type"] == "acquisition"]
if len(acq) != 1:
    sys.exit("FAIL: the completed article made another deal")
d = acq[0]
if d["status"] != "completed":
    sys.exit("FAIL: status %s, want completed" % d["status"])
h = [(x["status"], x["date"]) for x in d["history"]]
if h != [("announced", "2021-12-20"), ("completed", "2022-06-08")]:
    sys.exit("FAIL: history %r" % h)
figs = sorted({s["amount"]["value"] for s in d["sources"] if "amount" in s})
if len(figs) < 2:
    sys.exit("FAIL: the sources' different figures were not kept: %r" % figs)
inv = sorted(x["amount"]["value"] for x in deals
             if x["type"] == "investment" and "amount" in x)
if inv != [1000000000, 10000000000]:
    sys.exit("FAIL: want two investments, 1 and 10 billion: %r" % inv)
PY
id=$(/usr/bin/python3 -c 'import json, sys
print([d["id"] for d in json.load(open(sys.argv[1])) if d["type"] == "acquisition"][0])' all.json)
"$DW" show "$id" >show.txt || fail "show $id"
grep -q "conflicting figures" show.txt || fail "show does not list the conflicting figures"
grep -q "Oracle agreed to buy Cerner" show.txt || fail "show lacks the evidence sentence"
echo ok
