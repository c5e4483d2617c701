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

COMPANIES = ["Alder", "Birchwood", "Cinder", "Dovetail", "Eastgate", "Fernhill",
             "Galloway", "Hollis", "Ivory", "Juniper", "Kestrel", "Larkspur"]
FILLER = ("The two companies have worked together on warehouse software since "
          "2019, and the deal brings that work under one roof. Employees of the "
          "smaller firm will keep their offices, and its founders will join the "
          "buyer's leadership team for at least two years. Analysts said the "
          "price was in line with recent deals in the sector, where buyers have "
          "paid between four and six times annual revenue. The transaction is "
          "expected to close within three months, subject to the usual "
          "regulatory approvals, and neither company expects job cuts.")


def item_text(name, k):
    a = COMPANIES[k % len(COMPANIES)]
    b = COMPANIES[(k * 7 + 3) % len(COMPANIES)]
    amount = 10 + (k * 37) % 900
    return (f"{a} Logistics {name.upper()}{k} agreed to buy {b} Robotics "
            f"{name.upper()}{k} for ${amount} million in cash, the companies "
            f"said on Monday.", FILLER)


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
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
           f'<channel><title>Feed {a.name}</title><link>{a.link_base}</link>',
           f'<description>Invented deal news for tests ({a.name})</description>']
    for k in range(a.first, a.first + a.items):
        lead, rest = item_text(a.name, k)
        day = 1 + k % 28
        if pages:
            link = a.link_base + pages[k % len(pages)] + f"?item={a.name}-{k}"
        else:
            link = f"{a.link_base}{a.name}/{k}.html"
        out.append("<item>")
        out.append(f"<title>{html.escape(lead[:60])}</title>")
        out.append(f"<link>{html.escape(link)}</link>")
        out.append(f'<guid isPermaLink="false">urn:dealwire-test:{a.name}:{k}</guid>')
        out.append(f"<pubDate>Mon, {day:02d} Sep 2025 08:00:00 GMT</pubDate>")
        if a.teaser:
            out.append(f"<description>{html.escape(lead[:80])}...</description>")
        else:
            out.append(f"<description>{html.escape(lead)}</description>")
            body = f"<p>{html.escape(lead)}</p><p>{html.escape(rest)}</p>"
            out.append(f"<content:encoded><![CDATA[{body}]]></content:encoded>")
        out.append("</item>")
    out.append("</channel></rss>")
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
