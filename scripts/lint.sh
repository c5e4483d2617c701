#!/bin/sh
# Lint: clang-format drift and banned functions. Usage: lint.sh FILE...
rc=0
banned='\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets)[[:space:]]*\('
for f in "$@"; do
	case $f in build/*|./build/*) continue ;; esac
	if grep -nE "$banned" "$f" | grep -v 'lint-ok' ; then
		echo "lint: $f uses a banned function" >&2
		rc=1
	fi
	if command -v clang-format >/dev/null 2>&1; then
		clang-format --dry-run --Werror "$f" 2>/dev/null || {
			echo "lint: $f is not clang-formatted (make format)" >&2
			rc=1
		}
	fi
done
[ $rc -eq 0 ] && echo "lint: ok"
exit $rc
