#!/bin/sh
# Make sure the build's libraries are installed. The Makefile calls this
# once; on Debian as root it installs what is missing with apt-get,
# otherwise it prints the exact command to run.
# Usage: deps.sh [--check] [--test] [--valgrind]
#   --test  also the tools the tests and benchmarks run against: nginx,
#           Debian's python3 with feedparser and dateparser, sfeed, sqlite3,
#           util-linux's setpriv, clang for fuzzing.
#   --valgrind  also valgrind (make valgrind).
set -u
pkgs_build="pkg-config libcurl4-openssl-dev libxml2-dev libpcre2-dev libsqlite3-dev libjansson-dev libutf8proc-dev libcmocka-dev zlib1g-dev libdeflate-dev"
pcs="libcurl libxml-2.0 libpcre2-8 sqlite3 jansson libutf8proc cmocka zlib libdeflate"
pkgs_test="nginx-light python3 python3-feedparser python3-dateparser sfeed sqlite3 curl util-linux time"
check_only=0 want_test=0 want_vg=0
for a in "$@"; do
	case $a in
	--check) check_only=1 ;;
	--test) want_test=1 ;;
	--valgrind) want_vg=1 ;;
	esac
done

missing=""
if ! command -v pkg-config >/dev/null 2>&1; then
	missing="$pkgs_build"
else
	for pc in $pcs; do
		pkg-config --exists "$pc" || missing="$missing $pc"
	done
fi
if [ "$want_test" = 1 ]; then
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx"
	/usr/bin/python3 -c 'import feedparser, dateparser' 2>/dev/null || missing="$missing python3-feedparser python3-dateparser"
	command -v sfeed >/dev/null 2>&1 || missing="$missing sfeed"
	[ -x /usr/bin/time ] || missing="$missing time"
	command -v sqlite3 >/dev/null 2>&1 || missing="$missing sqlite3"
	command -v curl >/dev/null 2>&1 || missing="$missing curl"
	pkgs_build="$pkgs_build $pkgs_test"
fi
if [ "$want_vg" = 1 ]; then
	command -v valgrind >/dev/null 2>&1 || missing="$missing valgrind"
	pkgs_build="$pkgs_build valgrind"
fi
[ -z "$missing" ] && exit 0

echo "deps: missing libraries:$missing" >&2
if [ "$check_only" = 1 ]; then
	exit 1
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: install them with:" >&2
	echo "  sudo apt-get install -y $pkgs_build" >&2
	exit 1
fi
echo "deps: installing with apt-get: $pkgs_build" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q $pkgs_build >&2 ||
	{ apt-get update -q >&2 && apt-get install -y -q $pkgs_build >&2; } || {
	echo "deps: apt-get failed; run: apt-get update && apt-get install -y $pkgs_build" >&2
	exit 1
}
for pc in $pcs; do
	pkg-config --exists "$pc" || { echo "deps: $pc still missing after apt-get" >&2; exit 1; }
done
if [ "$want_test" = 1 ]; then
	/usr/bin/python3 -c 'import feedparser, dateparser' 2>/dev/null ||
		{ echo "deps: python3-feedparser or python3-dateparser still missing" >&2; exit 1; }
fi
exit 0
