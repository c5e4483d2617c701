#!/bin/sh
# Make sure the build's libraries are installed. The Makefile calls this
# once; on Debian as root it installs what is missing with apt-get,
# otherwise it prints the exact command to run. Usage: deps.sh [--check]
set -u
pkgs_build="pkg-config libcurl4-openssl-dev libxml2-dev libpcre2-dev libsqlite3-dev libjansson-dev libutf8proc-dev libcmocka-dev"
pcs="libcurl libxml-2.0 libpcre2-8 sqlite3 jansson libutf8proc cmocka"

missing=""
if ! command -v pkg-config >/dev/null 2>&1; then
	missing="$pkgs_build"
else
	for pc in $pcs; do
		pkg-config --exists "$pc" || missing="$missing $pc"
	done
fi
[ -z "$missing" ] && exit 0

echo "deps: missing libraries:$missing" >&2
if [ "${1:-}" = "--check" ]; then
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
exit 0
