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
# Sentences written for these tests; each item takes five of them, so
# items differ as news items do.
POOL = [
    "The two companies have worked together on warehouse software since 2019.",
    "Employees of the smaller firm will keep their offices in the city centre.",
    "Its founders will join the buyer's leadership team for at least two years.",
    "Analysts said the price was in line with recent deals in the sector.",
    "Buyers have paid between four and six times annual revenue this year.",
    "The transaction is expected to close within three months.",
    "Regulators in two countries still have to approve the purchase.",
    "Neither company expects job cuts as a result of the agreement.",
    "Shares of the buyer rose slightly in early trading on the news.",
    "The seller had explored a stock market listing before the talks began.",
    "A bank advised the buyer and a law firm advised the seller.",
    "The deal will be paid for with cash on hand and a new credit line.",
    "Customers were told their contracts would not change this year.",
    "The combined business will have about nine hundred employees.",
    "Revenue at the target grew by a third last year, the company said.",
    "Competitors have made similar purchases as the market consolidates.",
    "The board of the target recommended that shareholders accept the offer.",
    "A break fee is payable if either side walks away from the agreement.",
    "The buyer said the purchase would add to earnings within two years.",
    "Both companies declined to comment beyond the joint statement.",
    "Talks between the two sides had started in the spring.",
    "The target's largest investor has agreed to support the deal.",
    "Integration work will be led by the buyer's chief operating officer.",
    "The companies plan to keep both brands for the time being.",
]


def item_text(name, k):
    a = COMPANIES[k % len(COMPANIES)]
    b = COMPANIES[(k * 7 + 3) % len(COMPANIES)]
    amount = 10 + (k * 37) % 900
    return (f"{a} Logistics {name.upper()}{k} agreed to buy {b} Robotics "
            f"{name.upper()}{k} for ${amount} million in cash, the companies "
            f"said on Monday.",
            " ".join(POOL[(k * 5 + j * 7 + len(name)) % len(POOL)]
                     for j in range(5)))


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
