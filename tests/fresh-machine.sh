#!/bin/sh
# Prove the two set-up commands on a fresh Debian 12: debootstrap a minimal
# root with only build-essential, git and ca-certificates, clone this
# repository into it, and run `make run` and `make test` there as root.
#
# Usage: tests/fresh-machine.sh [ROOTDIR]   (as root; takes several minutes)
# Not part of `make test`: it needs debootstrap and the Debian mirror.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-/tmp/dealwire-fresh}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

[ "$(id -u)" = 0 ] || { echo "fresh-machine: run as root" >&2; exit 1; }
command -v debootstrap >/dev/null 2>&1 || apt-get install -y -q debootstrap

cleanup() {
	for m in dev/pts dev proc sys; do
		umount "$root/$m" 2>/dev/null || true
	done
}
trap cleanup EXIT INT TERM

if [ ! -x "$root/usr/bin/gcc" ]; then
	echo "== debootstrap bookworm into $root"
	rm -rf "$root"
	debootstrap --variant=minbase \
	    --include=build-essential,git,ca-certificates \
	    bookworm "$root" "$mirror" >/tmp/dealwire-debootstrap.log 2>&1 || {
		tail -n 20 /tmp/dealwire-debootstrap.log
		exit 1
	}
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"

echo "== clean clone"
rm -rf "$root/src/dealwire"
mkdir -p "$root/src"
git clone -q "$top" "$root/src/dealwire"
# The clone has no ../shared, as a user's would not.
rm -rf "$root/src/shared"

echo "== installed packages: $(chroot "$root" dpkg-query -f '.' -W | wc -c)"
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 TERM=dumb sh -c '
	set -e
	cd /src/dealwire
	echo "== make run"
	make run
	echo "== make test"
	make test
'
echo "== fresh-machine: make run and make test passed on a fresh Debian 12"
