#!/bin/sh
# make eval: the scorers of ../shared against this build, when it is there.
set -u
bin=$1
shared=$2
if [ ! -d "$shared/tools" ]; then
	echo "eval: no $shared here; nothing to score"
	exit 0
fi
t=$shared/tools
c=$shared/corpus
p="$bin parse --format json --published {published} {file}"
echo "== seed";      "$t/score-deals" --gold "$shared/seed" --cmd "$p" | tail -n 12
echo "== deals-dev"; "$t/score-deals" --gold "$c/deals-dev" --cmd "$p" | tail -n 12
# our own rewordings of the seed and invented articles, together and one
# by one (the scorer reads a folder)
rw=$(dirname "$0")/../tests/data/rewordings
echo "== rewordings"; "$t/score-deals" --gold "$rw" --cmd "$p" | tail -n 12
# 85 invented articles in other registers (wire, feature, briefs, Title
# Case headlines, press releases, columns, profiles, live blogs), each written with its gold before dealwire read it;
# the rules were then mended on them, so they are a check, not a
# held-out measure
echo "== invented"; "$t/score-deals" --gold "$(dirname "$0")/../tests/data/invented" --cmd "$p" | tail -n 12
for g in "$rw"/*.gold.json; do
	n=$(basename "$g" .gold.json)
	one=$(mktemp -d "${TMPDIR:-/tmp}/dw-eval.XXXXXX")
	cp "$rw/$n.txt" "$g" "$one/"
	printf '== rewording %s: ' "$n"
	"$t/score-deals" --gold "$one" --cmd "$p" | grep '^strict'
	rm -rf "$one"
done
echo "== fire-dev";  "$t/score-deals" --gold "$c/fire-dev" --cmd "$bin parse --format json {file}" | tail -n 12
for f in money percent date money-news percent-news date-news; do
	printf '== specs %s: ' "$f"
	"$t/score-specs" --cmd "$bin tag" "$c/specs/$f.jsonl" | tail -n 1
done
echo "== feeds"; "$t/score-feeds" --cmd "$bin feed parse --format json" --cases "$c/feeds/feedparser-tests" | tail -n 3
