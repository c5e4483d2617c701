#!/usr/bin/python3
"""mkfeed: write an RSS 2.0 feed of our own invented deal news.

    mkfeed.py OUT --name NAME --items N [--first K] [--link-base URL]
              [--teaser] [--pages a.html,b.html]

Each item has a unique guid and link. Full items carry about 900
characters of text in content:encoded; --teaser items carry a one-line
description only, linking to --link-base + a page from --pages in turn.
"""
import argparse
import html
import random

COMPANIES = ["Alder", "Birchwood", "Cinder", "Dovetail", "Eastgate", "Fernhill",
             "Galloway", "Hollis", "Ivory", "Juniper", "Kestrel", "Larkspur"]
FIRST = ["Mara", "Tomas", "Priya", "Ruth", "Dev", "Aoife", "Lena", "Omar",
         "Jun", "Carla", "Nils", "Ines", "Kofi", "Hana", "Piet", "Sofia"]
LAST = ["Ellison", "Reyes", "Nandakumar", "Okafor", "Patel", "Brennan",
        "Hart", "Haddad", "Tanaka", "Moreau", "Berg", "Costa", "Mensah"]
CITIES = ["Halifax", "Leeds", "Porto", "Tampere", "Osaka", "Denver",
          "Rotterdam", "Lyon", "Austin", "Gdansk", "Brno", "Perth"]
THINGS = ["warehouse robots", "battery cells", "payment terminals",
          "cloud storage", "wind turbines", "freight software",
          "medical scanners", "chip packaging", "grain silos", "ferries"]
TEMPLATES = [
    "{p} of {c} said the {t} business had grown {n} percent in {y}.",
    "The plant in {city} employs {n}0 people and makes {t} for {c}.",
    "{p}, who joined {c} in {y}, will run the combined {t} unit.",
    "Analysts at {c} put the market for {t} at {n} billion dollars by {y2}.",
    "The deal follows a failed attempt by {c} to buy a rival in {city} in {y}.",
    "Customers in {city} and {city2} will see no change before {y2}, {p} said.",
    "{c} expects savings of {n} million a year from shared {t} purchasing.",
    "Unions in {city} asked for talks about the {n} jobs at the {t} site.",
    "The offer values each share at {n}.{m} dollars, {p} told reporters.",
    "Regulators in {city} opened a review of the {t} market in {y}.",
]


def item_text(name, k):
    """A lead naming the deal, then varied sentences; seeded per item."""
    rnd = random.Random("%s-%d" % (name, k))
    a = COMPANIES[k % len(COMPANIES)]
    b = COMPANIES[(k * 7 + 3) % len(COMPANIES)]
    amount = 10 + (k * 37) % 900
    lead = (f"{a} Logistics {name.upper()}{k} agreed to buy {b} Robotics "
            f"{name.upper()}{k} for ${amount} million in cash, the companies "
            f"said on Monday.")
    rest = []
    for _ in range(10):
        rest.append(rnd.choice(TEMPLATES).format(
            p=rnd.choice(FIRST) + " " + rnd.choice(LAST),
            c=rnd.choice(COMPANIES) + " " + rnd.choice(["Group", "Holdings", "Partners", "Systems"]),
            t=rnd.choice(THINGS), n=rnd.randint(2, 97), m=rnd.randint(10, 99),
            y=rnd.randint(2009, 2024), y2=rnd.randint(2026, 2031),
            city=rnd.choice(CITIES), city2=rnd.choice(CITIES)))
    return lead, " ".join(rest)


def write_feed(path, name, items, first=0, link_base="https://news.example/",
               teaser=False, pages=()):
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
           f'<channel><title>Feed {name}</title><link>{link_base}</link>',
           f'<description>Invented deal news for tests ({name})</description>']
    for k in range(first, first + items):
        lead, rest = item_text(name, k)
        day = 1 + k % 28
        if pages:
            link = link_base + pages[k % len(pages)] + f"?item={name}-{k}"
        else:
            link = f"{link_base}{name}/{k}.html"
        out.append("<item>")
        out.append(f"<title>{html.escape(lead[:60])}</title>")
        out.append(f"<link>{html.escape(link)}</link>")
        out.append(f'<guid isPermaLink="false">urn:dealwire-test:{name}:{k}</guid>')
        out.append(f"<pubDate>Mon, {day:02d} Sep 2025 08:00:00 GMT</pubDate>")
        if teaser:
            out.append(f"<description>{html.escape(lead[:80])}...</description>")
        else:
            out.append(f"<description>{html.escape(lead)}</description>")
            body = f"<p>{html.escape(lead)}</p><p>{html.escape(rest)}</p>"
            out.append(f"<content:encoded><![CDATA[{body}]]></content:encoded>")
        out.append("</item>")
    out.append("</channel></rss>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--name", required=True)
    ap.add_argument("--items", type=int, default=5)
    ap.add_argument("--first", type=int, default=0)
    ap.add_argument("--link-base", default="https://news.example/")
    ap.add_argument("--teaser", action="store_true")
    ap.add_argument("--pages", default="")
    a = ap.parse_args()
    pages = [p for p in a.pages.split(",") if p]
    write_feed(a.out, a.name, a.items, a.first, a.link_base, a.teaser, pages)

if __name__ == "__main__":
    main()
