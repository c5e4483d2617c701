# The store's commands on the command line: exit statuses, one-line
# messages, a database that cannot be created (73, nothing left behind),
# migrations of an older database and refusal of a newer one.
set -u
fail() { echo "FAIL: $*"; exit 1; }
expect() {
	want=$1; shift
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" -eq "$want" ] || fail "'$*' exited $rc, want $want: $(cat "$T/err")"
	[ "$want" -eq 0 ] && return 0
	[ "$(wc -l <"$T/err")" -eq 1 ] || fail "'$*' printed $(wc -l <"$T/err") lines: $(cat "$T/err")"
}
export DEALWIRE_DB="$T/deals.db"
expect 0 "$DW" deals
grep -q "no deals" "$T/out" || fail "empty database should say so"
expect 0 "$DW" export --format json
[ "$(cat "$T/out")" = "[]" ] || fail "empty JSON export: $(cat "$T/out")"
expect 0 "$DW" export --format jsonl
[ -s "$T/out" ] && fail "empty JSONL export should be empty"
expect 0 "$DW" export --format csv
head -n 1 "$T/out" | grep -q '^id,type,status' || fail "CSV header"
expect 0 "$DW" export --format dot
grep -q '^digraph' "$T/out" || fail "DOT"
expect 0 "$DW" circles --format json
grep -q '"circles": \[\]' "$T/out" || fail "no circles: $(cat "$T/out")"
expect 66 "$DW" show 42
grep -q "42" "$T/err" || fail "show names the id"
expect 64 "$DW" show forty-two
expect 64 "$DW" deals --type gift
expect 64 "$DW" deals --status maybe
expect 64 "$DW" deals --since 2025-13
expect 64 "$DW" export --format xml
expect 64 "$DW" circles --max-length 1
expect 64 "$DW" deal reject
expect 64 "$DW" deal explode 3
expect 66 "$DW" deal reject 7
expect 64 "$DW" reextract --since soon

# A database that cannot be created: 73, one line naming it, no file.
expect 73 "$DW" --db "$T/no/such/dir/deals.db" deals
grep -q "$T/no/such/dir/deals.db" "$T/err" || fail "73 must name the path"
mkdir "$T/ro"
chmod 555 "$T/ro"
if command -v setpriv >/dev/null 2>&1; then
	expect 73 setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$DW" --db "$T/ro/deals.db" deals
	[ -e "$T/ro/deals.db" ] && fail "a half-written database was left"
fi

# An older database (version 0, empty) is upgraded; a newer one refused.
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 "$T/old.db" "PRAGMA user_version = 0; CREATE TABLE unrelated(x);"
	expect 0 "$DW" --db "$T/old.db" deals
	[ "$(sqlite3 "$T/old.db" 'PRAGMA user_version')" -ge 1 ] || fail "not migrated"
	sqlite3 "$T/new.db" "PRAGMA user_version = 999;"
	expect 74 "$DW" --db "$T/new.db" deals
	grep -q "newer" "$T/err" || fail "newer schema message: $(cat "$T/err")"
fi
echo ok
