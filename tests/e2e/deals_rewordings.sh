# Rewordings of the seed article and short invented articles
# (tests/data/rewordings: NAME.txt and NAME.gold.json, gold written by
# hand in the scorer's format): every article's deals are matched to its
# gold by type and parties in their roles. Each article must reach strict
# F1 0.80, all of them together 0.95, and the amounts, stakes, dates and
# statuses of the deals found must be right nine times in ten.
set -u
fail() { echo "FAIL: $*"; exit 1; }
py=/usr/bin/python3
dir=$TOP/tests/data/rewordings
[ -x "$py" ] || { echo "no $py"; exit 77; }
n=0
for g in "$dir"/*.gold.json; do
	name=$(basename "$g" .gold.json)
	pub=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["published"])' "$g") ||
		fail "$g: no published date"
	"$DW" parse "$dir/$name.txt" --format json --published "$pub" >"$T/$name.json" ||
		fail "parse $name exited $?"
	n=$((n + 1))
done
[ "$n" -ge 5 ] || fail "only $n articles in $dir"
$py - "$dir" "$T" <<'PY' || fail "deals differ from the gold"
import glob, json, os, re, sys
gold_dir, out_dir = sys.argv[1], sys.argv[2]
ROLES = {"investment": ("investor", "target"), "acquisition": ("acquirer", "target"),
         "stake": ("holder", "target"), "supply": ("customer", "supplier"),
         "merger": None, "partnership": None}
CORP = re.compile(r"\b(inc|corp|corporation|co|company|ltd|limited|llc|plc|group|holdings?|the)\b")

def key(name):
    s = re.sub(r"[^\w\s]", " ", name.lower())
    return " ".join(CORP.sub(" ", s).split())

def want_parties(d):
    if ROLES[d["type"]] is None:
        return sorted(("party", frozenset(key(x) for x in p.split("|"))) for p in d["parties"])
    return [(r, frozenset(key(x) for x in d[r].split("|"))) for r in ROLES[d["type"]]]

def same(g, p):
    if g["type"] != p["type"]:
        return False
    have = [(q["role"] if ROLES[p["type"]] else "party", key(q["name"])) for q in p["parties"]]
    want = want_parties(g)
    if len(have) != len(want):
        return False
    for role, alts in want:
        hit = [h for h in have if h[0] == role and h[1] in alts]
        if not hit:
            return False
        have.remove(hit[0])
    return True

def slots(g, p):
    out = []
    if g.get("amount") is not None:
        v = (p.get("amount") or {}).get("value")
        out.append(("amount", v is not None and abs(v - g["amount"]) <= 0.01 * g["amount"]))
    if g.get("stake_pct") is not None:
        out.append(("stake", (p.get("stake") or {}).get("percent") == g["stake_pct"]))
    if g.get("date"):
        out.append(("date", ((p.get("date") or {}).get("value") or "").startswith(g["date"])))
    if g.get("status"):
        st = g["status"] if isinstance(g["status"], list) else [g["status"]]
        out.append(("status", p.get("status") in st))
    return out

tp = fp = fn = 0
good = total = 0
bad = []
for gf in sorted(glob.glob(os.path.join(gold_dir, "*.gold.json"))):
    name = os.path.basename(gf)[:-len(".gold.json")]
    gold = json.load(open(gf))["deals"]
    pred = json.load(open(os.path.join(out_dir, name + ".json")))["deals"]
    used = set()
    a_tp = a_fn = 0
    for g in gold:
        hit = next((i for i, p in enumerate(pred) if i not in used and same(g, p)), None)
        if hit is None:
            if not g.get("optional"):
                a_fn += 1
                print(f"{name}: missing {g['type']} {want_parties(g)}")
            continue
        used.add(hit)
        if g.get("optional"):
            continue
        a_tp += 1
        for s, ok in slots(g, pred[hit]):
            total += 1
            good += ok
            if not ok:
                print(f"{name}: {g['type']} {g.get('evidence', '')[:50]!r}: wrong {s}")
    a_fp = len(pred) - len(used)
    for i, p in enumerate(pred):
        if i not in used:
            print(f"{name}: extra {p['type']} {[(q['role'], q['name']) for q in p['parties']]}")
    f1 = 2 * a_tp / (2 * a_tp + a_fp + a_fn) if a_tp + a_fp + a_fn else 1.0
    if f1 < 0.80:
        bad.append(f"{name} F1={f1:.3f}")
    tp, fp, fn = tp + a_tp, fp + a_fp, fn + a_fn
f1 = 2 * tp / (2 * tp + fp + fn)
print(f"strict tp={tp} fp={fp} fn={fn} F1={f1:.3f}; slots {good}/{total}")
assert not bad, bad
assert f1 >= 0.95, f1
assert good >= 0.9 * total, (good, total)
PY
