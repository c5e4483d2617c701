#!/bin/sh
# bench_feed: the feed parser against sfeed (C, the speed to match) and
# /usr/bin/python3 with feedparser (the reference reading), on a generated
# 10 MB RSS 2.0 feed and a 10 MB Atom feed of 5,000 items each, in one run.
# Speed is CPU time (user + system) of 5 runs, the best of 3 such rounds, so
# that other load on the machine counts little; feedparser runs once. Peak
# RSS is /usr/bin/time's maximum resident set. dealwire's figure is
# build/bench/bench_feed: the streaming parser, every entry printed as JSON
# (to /dev/null), as sfeed prints TSV. `dealwire feed parse`, which holds
# the whole document and its entries, is shown too.
# Needs: sfeed, /usr/bin/time, /usr/bin/python3 with feedparser.
set -u
BUILD=${BUILD:-build}
bench=$BUILD/bench/bench_feed
dw=$BUILD/dealwire
for tool in sfeed /usr/bin/time; do
	command -v "$tool" >/dev/null 2>&1 || { echo "feed: skipped, $tool is not installed"; exit 0; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dw-bench-feed.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
status=0

# cpu CMD...: best of 3 rounds of 5 runs, user+system seconds per run
cpu() {
	best=
	for round in 1 2 3; do
		/usr/bin/time -o "$tmp/t" -f "%U %S" sh -c \
		    'for i in 1 2 3 4 5; do "$@" >/dev/null 2>&1 || exit 1; done' sh "$@" ||
			{ echo fail; return; }
		t=$(awk '{ printf "%.4f", ($1 + $2) / 5 }' "$tmp/t")
		best=$(awk -v a="$t" -v b="${best:-$t}" 'BEGIN { print (a < b) ? a : b }')
	done
	echo "$best"
}

# rss CMD...: peak resident set in KB of one run
rss() {
	/usr/bin/time -o "$tmp/m" -f "%M" "$@" >/dev/null 2>&1
	cat "$tmp/m"
}

for kind in rss atom; do
	doc=$tmp/bench.$kind
	"$bench" --generate "$kind" "$doc" || exit 1
	mb=$(awk -v b="$(wc -c <"$doc")" 'BEGIN { printf "%.1f", b / 1e6 }')
	n=$("$bench" "$doc" 2>&1 >/dev/null | awk '{ print $1 }')
	t_dw=$(cpu "$bench" "$doc")
	t_cli=$(cpu "$dw" feed parse "$doc" --format json)
	t_sf=$(cpu sh -c 'exec sfeed <"$1"' sh "$doc")
	m_dw=$(rss "$bench" "$doc")
	m_cli=$(rss "$dw" feed parse "$doc" --format json)
	m_sf=$(rss sh -c 'exec sfeed <"$1"' sh "$doc")
	if /usr/bin/python3 -c 'import feedparser' 2>/dev/null; then
		/usr/bin/time -o "$tmp/p" -f "%U %S" /usr/bin/python3 -c \
		    'import sys, feedparser; feedparser.parse(open(sys.argv[1], "rb").read())' \
		    "$doc" >/dev/null 2>&1
		t_fp=$(awk '{ printf "%.4f", $1 + $2 }' "$tmp/p")
	else
		t_fp=
	fi
	awk -v kind="$kind" -v mb="$mb" -v n="$n" -v dw="$t_dw" -v cli="$t_cli" \
	    -v sf="$t_sf" -v fp="$t_fp" -v mdw="$m_dw" -v mcli="$m_cli" \
	    -v msf="$m_sf" '
	BEGIN {
		name = kind == "rss" ? "RSS 2.0" : "Atom 1.0"
		printf "feed %s, %s MB, %s entries: dealwire %.3f s, sfeed %.3f s, ", name, mb, n, dw, sf
		if (fp != "")
			printf "feedparser %.2f s\n", fp
		else
			printf "feedparser not installed\n"
		vs_sf = sf / dw
		printf "  speed: %.2fx sfeed (need >= 0.5)", vs_sf
		ok = vs_sf >= 0.5
		if (fp != "") {
			vs_fp = fp / dw
			printf ", %.0fx feedparser (need >= 30)", vs_fp
			ok = ok && vs_fp >= 30
		}
		printf "\n  peak RSS: dealwire %.1f MB, sfeed %.1f MB: +%.1f MB (need <= +8)\n", mdw / 1024, msf / 1024, (mdw - msf) / 1024
		ok = ok && mdw - msf <= 8 * 1024
		printf "  dealwire feed parse (whole document in memory): %.3f s, %.2fx sfeed, %.1f MB\n", cli, sf / cli, mcli / 1024
		printf "  %s\n", ok ? "ok" : "FAIL"
		exit !ok
	}' || status=1
done
exit $status
