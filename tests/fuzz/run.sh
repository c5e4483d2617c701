#!/bin/sh
# Fuzz every target tests/fuzz/fuzz_NAME.c. With clang: a libFuzzer binary
# under ASan and UBSan, run for $1 seconds on tests/fuzz/corpus/NAME (new
# inputs go to build/fuzz/corpus/NAME, so the repository stays clean). Without
# clang: replay the seed corpus through a standalone driver built with cc.
# FUZZ_ONLY="tests/fuzz/fuzz_NAME.c ..." runs only those targets.
set -eu
secs=${1:-60}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
make -s build/fuzz/libdealwire.a BUILD=build/fuzz \
    CC="${FUZZ_CC:-clang}" CFLAGS="-O1 -g -fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer" \
    >/dev/null 2>&1 || true
pcs="libcurl libxml-2.0 libpcre2-8 sqlite3 jansson libutf8proc zlib libdeflate"
cflags="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. $(pkg-config --cflags $pcs)"
libs="$(pkg-config --libs $pcs) -lm"
status=0
for src in ${FUZZ_ONLY:-tests/fuzz/fuzz_*.c}; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c | sed 's/^fuzz_//')
	seeds=tests/fuzz/corpus/$name
	mkdir -p "$seeds" build/fuzz/corpus/$name build/fuzz/artifacts
	if command -v clang >/dev/null 2>&1 && [ -f build/fuzz/libdealwire.a ]; then
		bin=build/fuzz/fuzz_$name
		clang $cflags -O1 -g -fsanitize=address,undefined,fuzzer \
		    -fno-sanitize-recover=all -fno-omit-frame-pointer \
		    -o "$bin" "$src" build/fuzz/libdealwire.a $libs
		echo "== fuzz $name for ${secs}s"
		if ! "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		    -artifact_prefix=build/fuzz/artifacts/$name- \
		    build/fuzz/corpus/$name "$seeds" 2>build/fuzz/$name.log; then
			status=1
			echo "fuzz $name: FAILED (see build/fuzz/$name.log)"
		fi
		tail -n 3 build/fuzz/$name.log
	else
		bin=build/fuzz/replay_$name
		make -s build/libdealwire.a >/dev/null
		cc $cflags -O1 -g -o "$bin" "$src" tests/fuzz/replay.c build/libdealwire.a $libs
		echo "== replay $name (no clang)"
		"$bin" "$seeds"/* || status=1
	fi
done
exit $status
