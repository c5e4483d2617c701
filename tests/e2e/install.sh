# make install and uninstall honour DESTDIR and PREFIX: binary, rules, man page.
set -eu
cd "$TOP"
d=$T/dest
make -s install DESTDIR="$d" PREFIX=/opt/dw >/dev/null
[ -x "$d/opt/dw/bin/dealwire" ] || { echo "no binary"; exit 1; }
[ -f "$d/opt/dw/share/man/man1/dealwire.1" ] || { echo "no man page"; exit 1; }
ls "$d/opt/dw/share/dealwire/rules/" | grep -q . || { echo "no rules"; exit 1; }
"$d/opt/dw/bin/dealwire" --version | grep -q dealwire
make -s uninstall DESTDIR="$d" PREFIX=/opt/dw >/dev/null
[ ! -e "$d/opt/dw/bin/dealwire" ] || { echo "binary left behind"; exit 1; }
[ ! -e "$d/opt/dw/share/dealwire" ] || { echo "rules left behind"; exit 1; }
echo ok
