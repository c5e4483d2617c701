# Crash safety: a storing dealwire is killed with SIGKILL at 20 moments
# spread over its run (parse --store of every article, then reextract;
# each rerun goes on with the articles not yet stored).
# After every kill the database passes PRAGMA integrity_check and holds no
# half-stored article; a final rerun exports exactly what an uninterrupted
# run exports. STORE_CRASH_SEED=N repeats a run.
set -u
fail() { echo "FAIL: $*"; exit 1; }
command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 shell not installed"; exit 77; }
seed=${STORE_CRASH_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "store_crash: seed $seed"
mkdir "$T/articles"

# Our own articles: deals between well-known companies, some repeated in
# later articles with the same figures, some in different words.
awk -v dir="$T/articles" 'BEGIN {
	split("Microsoft Google Amazon Apple Nvidia Oracle IBM Intel Cisco " \
	    "Adobe Salesforce Siemens Samsung Sony Netflix Qualcomm", c, " ");
	for (i = 1; i <= 36; i++) {
		a = c[(i * 7) % 16 + 1]; b = c[(i * 11 + 3) % 16 + 1];
		if (a == b) b = c[(i + 5) % 16 + 1];
		n = (i % 30) * 25 + 100;
		f = sprintf("%s/a%03d.txt", dir, i);
		if (i % 3 == 0)
			printf("%s agreed to acquire %s for $%d million, the " \
			    "companies said on Monday.\n", a, b, n) > f;
		else if (i % 3 == 1)
			printf("%s invested $%d million in %s this week, " \
			    "according to a filing.\n", a, n, b) > f;
		else
			printf("%s signed a $%d million cloud deal with %s.\n",
			    a, n, b) > f;
		printf("Analysts in note %d said the move fits a pattern of " \
		    "large technology groups buying capacity and talent while " \
		    "regulators look on, and shares of both moved in early " \
		    "trading.\n", i) > f;
		close(f);
	}
}'

# One full storing run against database $1; the running dealwire's pid
# is kept in $T/cur so that it can be killed.
run_all() {
	# Like a crawl, a rerun skips the articles already stored.
	: >"$T/done"
	[ -e "$1" ] && sqlite3 -cmd ".timeout 20000" "$1" \
	    "SELECT title FROM articles" >"$T/done"
	for f in "$T"/articles/*.txt; do
		grep -qxF "$(basename "$f")" "$T/done" && continue
		"$DW" --db "$1" parse --store --format json --published 2025-06-02 \
		    --title "$(basename "$f")" "$f" >/dev/null 2>>"$T/run.err" &
		echo $! >"$T/cur"
		wait $!
	done
	"$DW" --db "$1" reextract >/dev/null 2>>"$T/run.err" &
	echo $! >"$T/cur"
	wait $!
}

stored() {
	sqlite3 -cmd ".timeout 20000" "$1" "SELECT title, (SELECT count(*) FROM mentions m WHERE
	    m.article_id = a.id) FROM articles a ORDER BY title"
}

export_sorted() {
	"$DW" --db "$1" export --format jsonl | sort
}

start=$(date +%s%N)
run_all "$T/ref.db"
total_ms=$(( ($(date +%s%N) - start) / 1000000 ))
export_sorted "$T/ref.db" >"$T/ref.jsonl"
stored "$T/ref.db" >"$T/ref.stored"
[ "$(wc -l <"$T/ref.stored")" -eq 36 ] || fail "reference run stored $(wc -l <"$T/ref.stored") articles"
echo "store_crash: uninterrupted run ${total_ms} ms, $(wc -l <"$T/ref.jsonl") deals"

# 20 moments spread over the run: each rerun goes on from where the
# last kill stopped it and is killed after a random 0.5 to 1.5
# twentieths of the uninterrupted run's time.
awk -v seed="$seed" -v ms="$total_ms" 'BEGIN {
	srand(seed);
	for (k = 0; k < 20; k++) printf("%.3f\n", (0.5 + rand()) * ms / 20000);
}' >"$T/moments"

k=0
while read -r delay; do
	k=$((k + 1))
	: >"$T/cur"
	run_all "$T/crash.db" &
	loop=$!
	sleep "$delay"
	kill -STOP "$loop" 2>/dev/null
	victim=$(cat "$T/cur")
	[ -n "$victim" ] && kill -KILL "$victim" 2>/dev/null
	kill -KILL "$loop" 2>/dev/null
	wait "$loop" 2>/dev/null
	[ -e "$T/crash.db" ] || continue
	# NOTE: a dealwire forked just before the loop stopped may still run;
	# the timeout lets it finish rather than fail the check on its lock.
	ic=$(sqlite3 -cmd ".timeout 20000" "$T/crash.db" "PRAGMA integrity_check")
	[ "$ic" = ok ] || fail "kill $k after ${delay}s: integrity_check: $ic"
	stored "$T/crash.db" >"$T/crash.stored"
	# Every stored article has all its mentions: its line is in ref.
	bad=$(grep -vxF -f "$T/ref.stored" "$T/crash.stored" | head -n 1)
	[ -z "$bad" ] || fail "kill $k after ${delay}s: half-stored article: $bad"
done <"$T/moments"
echo "store_crash: $k kills, integrity and articles checked after each"

run_all "$T/crash.db"
export_sorted "$T/crash.db" >"$T/crash.jsonl"
cmp -s "$T/ref.jsonl" "$T/crash.jsonl" || {
	diff "$T/ref.jsonl" "$T/crash.jsonl" | head -n 10
	fail "export after the crashes differs from the uninterrupted run"
}
stored "$T/crash.db" | cmp -s - "$T/ref.stored" || fail "articles differ"
echo ok
