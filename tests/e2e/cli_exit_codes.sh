# Exit statuses (sysexits) and one-line messages for bad input that needs
# no database: missing file, unknown option, bad dates, bad rule directory.
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
expect 66 "$DW" parse "$T/no-such-article.txt"
grep -q "no-such-article.txt" "$T/err" || fail "message does not name the file"
expect 66 "$DW" tag "$T/no-such-lines.txt"
expect 64 "$DW" parse --no-such-option "$T/x"
expect 64 "$DW" parse --published 2025-13-45 -
expect 64 "$DW" parse --format yaml -
expect 64 "$DW" tag --published yesterday -
expect 78 "$DW" --rules "$T/no-such-rules" parse -
grep -q "no-such-rules" "$T/err" || fail "message does not name the rule directory"
# A rule directory with no files at all: a missing file, named (under
# UBSan the old code stopped earlier, sorting a NULL array).
mkdir -p "$T/empty-rules"
expect 78 "$DW" --rules "$T/empty-rules" parse -
grep -q "empty-rules/.*missing rule file" "$T/err" || fail "empty rule directory: $(cat "$T/err")"
# More start= gates than the recognizers have bits for: refused with the
# limit named (the old code shifted a 64-bit one by 64 first, which UBSan
# stops at).
mkdir -p "$T/gates"
cp "$TOP"/rules/* "$T/gates/"
i=0
while [ $i -lt 20 ]; do
	printf '\npattern date extra%d 1 start=month core=month near=1 start=weekday core=weekday near=1 start=month core=month near=3 start=weekday core=weekday near=3\n    zzq%d\n' $i $i >>"$T/gates/dates.rules"
	i=$((i + 1))
done
expect 78 "$DW" --rules "$T/gates" rules check
grep -q "more than 64 start= gates" "$T/err" || fail "65 gates: $(cat "$T/err")"
# Options may follow operands, as the scorers write them.
printf 'Nothing happened today.\n' >"$T/a.txt"
expect 0 "$DW" parse "$T/a.txt" --format json --published 2025-01-02
grep -q '"published": "2025-01-02"' "$T/out" || fail "published not echoed"
grep -q '"deals": \[\]' "$T/out" || fail "a text with no deal must give deals: []"
# A failed write of the output is an I/O error, not a silent success.
if [ -w /dev/full ]; then
	"$DW" parse "$T/a.txt" --format json >/dev/full 2>"$T/err"
	rc=$?
	[ "$rc" -eq 74 ] || fail "write to /dev/full exited $rc, want 74"
	[ "$(wc -l <"$T/err")" -eq 1 ] || fail "want one line: $(cat "$T/err")"
fi
# An input over the size limit is refused as bad data, naming the input.
head -c 9000000 /dev/zero | tr '\0' 'a' >"$T/big.txt"
expect 65 "$DW" parse "$T/big.txt"
grep -q "big.txt" "$T/err" || fail "size message does not name the file"
echo ok
