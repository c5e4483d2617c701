# The command line itself: help, version, unknown commands and options.
set -eu
"$DW" --version | grep -q '^dealwire [0-9]'
"$DW" help | grep -q 'crawl'
"$DW" --help | grep -q 'parse'
set +e
"$DW" no-such-command 2>"$T/err"; rc=$?
set -e
[ "$rc" -eq 64 ] || { echo "unknown command gave $rc, want 64"; exit 1; }
[ "$(wc -l <"$T/err")" -eq 1 ] || { echo "want one line"; cat "$T/err"; exit 1; }
grep -q "no-such-command" "$T/err"
set +e
"$DW" --db 2>/dev/null; rc=$?
set -e
[ "$rc" -eq 64 ] || { echo "--db without value gave $rc, want 64"; exit 1; }
echo ok
