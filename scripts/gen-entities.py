#!/usr/bin/python3
"""Build rules/companies.tsv from the public company listings.

usage: /usr/bin/python3 scripts/gen-entities.py [DATA_DIR] > rules/companies.tsv

DATA_DIR holds sp500.csv, nasdaq-listed.csv and other-listed.csv (default
../shared/data/companies). Each output line is

    canonical <TAB> aliases (|-separated) <TAB> sectors (,) <TAB> tickers (,)

Security names lose "Inc.", "Corp.", "Common Stock" and share classes;
ETFs, test issues, warrants, rights, units and preferred shares are
skipped. The S&P 500 short name ("Amazon", "Nvidia") is the canonical name
where there is one; the legal name becomes an alias. Names that are common
English words ("Target", "Gap") keep only their legal name as an alias, so
that they are not found in ordinary prose.
"""
import csv, os, re, sys

DATA = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/companies"

SKIP_SEC = re.compile(
    r"\b(warrants?|rights?|units?|preferred|notes? due|debentures?|"
    r"depositary shares? (each )?represent|subordinated|% |series [a-z] )",
    re.I)
SEC_TAIL = re.compile(
    r"\s*[-,]?\s*(class [a-z]\b.*|common stock.*|common shares?.*|"
    r"ordinary shares?.*|american depositary.*|ads\b.*|"
    r"subordinate voting.*|voting shares?.*|shares of beneficial.*|"
    r"beneficial interest.*|capital stock.*|new york registry.*|"
    r"\(the\) .*)$", re.I)
SUFFIX = re.compile(
    r"(,?\s+(inc|incorporated|corp|corporation|co|company|ltd|limited|"
    r"plc|llc|l\.p|lp|n\.v|nv|s\.a|sa|ag|se|s\.p\.a|spa|holding|"
    r"technologies? inc)\.?)+$", re.I)
PAREN = re.compile(r"\s*\((class [a-z]|the|[^)]*shares?[^)]*)\)", re.I)

# Common English words (and first names of places) that also name a listed
# company: as a bare word they are too often not the company.
COMMON = set("""
a able above across act active advance advanced affirm agree air alpha
amber america american anchor apex apollo applied arch ark arrow art
ascent aspen atlas aura avant axis bank base beacon bear best beyond big
blue bright bridge broad build cadence call camden can capital care
carter cash central century champion charter chase check circle city
civic clear clearwater climb cloud coast coastal college comfort
commerce community compass concord connect core cross crown cube
current data day dawn delta design digital direct discovery dollar dream
drive duke dynamic eagle earth east echo edge element elevate elite
empire energy enterprise envision equity essential evolution evolve
exchange express falcon family fast federal fidelity first five flex
flow focus forward foundation four franklin freedom frontier fuel fusion
future galaxy gap general genesis global gold golden good grand graphite
great green group growth guardian harbor harmony harvest health heritage
highway home horizon hub hudson ideal impact independence infinity
innovate insight inspire integral intelligent international invest iron
journey key kind landmark launch legacy liberty life light lincoln link
live local logic lumen magic main major maple mark market marvel master
match matrix maximus meridian metro midland mission model modern monarch
motion mountain national nature navigator neptune network new next north
northern nova oak ocean omega one open opendoor orbit origin pacific
paragon park partners pathway patriot peak penn people perfect phoenix
pilot pinnacle pioneer planet plus point polar power premier presidio
prime progress prospect pulse quantum quest radius rapid real regency
regional reliance republic resource rise river rock root royal safe
sage scholar science score security select sentinel service shift shore
signal silver simply sky smart snap solar solid sonic south southern
sovereign spark spirit spring square standard star state sterling stone
strategic strategy summit sun sunrise superior support swift synergy
target team terra the third three titan today total tower trade trans
trend triumph true trust two ultra union united unity universal urban
valley value vanguard vector venture verde victory village vision vista
vital voyager wave way west western whole wing wisdom world xtra yield
zone
aware bandwidth banner cheer coffee decent eastern elastic fluent happen
harmonic immersion interface intrusion lineage minerals oil outdoor pool
popular sea stem stride toast trio waters
bristol
""".split())


def clean(name):
    name = name.strip().strip('"').strip()
    name = PAREN.sub("", name)
    name = SEC_TAIL.sub("", name).strip(" -,")
    return name


def short(name):
    s = SUFFIX.sub("", name).strip(" -,")
    return s or name


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)


def main():
    comp = {}   # legal name -> entry
    order = []

    def add(legal, canon, ticker, sectors=()):
        key = legal.lower()
        e = comp.get(key)
        if e is None:
            e = {"canon": canon, "aliases": [], "sectors": [], "tickers": []}
            comp[key] = e
            order.append(key)
        for a in (legal, short(legal)):
            if a and a != e["canon"] and a not in e["aliases"]:
                e["aliases"].append(a)
        if ticker and ticker not in e["tickers"]:
            e["tickers"].append(ticker)
        for s in sectors:
            if s not in e["sectors"]:
                e["sectors"].append(s)
        return e

    sp = {}
    for r in rows(os.path.join(DATA, "sp500.csv")):
        sp[r["Symbol"]] = r

    for r in rows(os.path.join(DATA, "nasdaq-listed.csv")):
        if r.get("ETF") == "Y" or r.get("Test Issue") == "Y":
            continue
        if SKIP_SEC.search(r.get("Security Name", "")):
            continue
        legal = clean(r["Company Name"])
        if not legal:
            continue
        sym = r["Symbol"]
        add(legal, short(legal), sym)
    for r in rows(os.path.join(DATA, "other-listed.csv")):
        if r.get("ETF") == "Y" or r.get("Test Issue") == "Y":
            continue
        sec = r.get("Security Name", "")
        sym = r["ACT Symbol"]
        if "$" in sym or "." in sym or SKIP_SEC.search(sec):
            continue
        legal = clean(r["Company Name"])
        if not legal:
            continue
        add(legal, short(legal), sym)

    # S&P 500 short names become canonical, with their sector.
    bysym = {}
    for key in order:
        for t in comp[key]["tickers"]:
            bysym[t] = comp[key]
    for sym, r in sp.items():
        name = clean(r["Security"])
        name = re.sub(r"\s*\(Class [A-Z]\)", "", name)
        sect = sector(r["GICS Sub-Industry"], r["GICS Sector"])
        e = bysym.get(sym)
        if e is None:
            e = add(name, short(name), sym, sect)
        for s in sect:
            if s not in e["sectors"]:
                e["sectors"].append(s)
        canon = short(name)
        e["sp"] = True
        if canon != e["canon"]:
            if e["canon"] not in e["aliases"]:
                e["aliases"].append(e["canon"])
            e["canon"] = canon

    print("# Generated by scripts/gen-entities.py from the S&P 500, Nasdaq and")
    print("# NYSE listings; do not edit (hand-kept names go in private.tsv).")
    print("# canonical\taliases\tsectors\ttickers")
    seen = set()
    for key in order:
        e = comp[key]
        canon = e["canon"]
        if canon.lower() in seen or len(canon) < 2:
            continue
        seen.add(canon.lower())
        aliases = [a for a in e["aliases"] if a != canon]
        # A canonical name that is a common word is found only through its
        # legal name: mark it with a leading '!' (not matched by itself).
        flag = ""
        words = canon.lower().split()
        # Short all-capital names outside the S&P 500 read as acronyms
        # ("AGI", "NFT", "SOS"): found only through their legal name.
        if len(words) == 1 and canon.isupper() and len(canon) <= 3 and \
                not e.get("sp"):
            flag = "!"
        if len(words) == 1 and (words[0] in COMMON or
                                (len(canon) < 3 and not canon.isupper())):
            flag = "!"
        aliases = [a for a in aliases
                   if not (len(a.split()) == 1 and a.lower() in COMMON)]
        print("%s%s\t%s\t%s\t%s" % (flag, canon, "|".join(aliases),
                                    ",".join(e["sectors"]),
                                    ",".join(e["tickers"])))


def sector(sub, sect):
    sub = sub.lower()
    out = []
    if "semiconductor" in sub:
        out.append("chips")
    if "software" in sub or "it services" in sub or "internet services" in sub:
        out.append("software")
    if "interactive media" in sub:
        out.append("internet")
    if "technology hardware" in sub or "electronic" in sub or \
            "communications equipment" in sub:
        out.append("hardware")
    if "utilities" in sect.lower() or "electric" in sub or "power" in sub:
        out.append("energy")
    if "data center" in sub or "specialized reits" in sub:
        out.append("datacenter")
    if "bank" in sub or "asset management" in sub or "financial" in sub or \
            "investment banking" in sub or "capital markets" in sub:
        out.append("finance")
    return out


if __name__ == "__main__":
    main()
