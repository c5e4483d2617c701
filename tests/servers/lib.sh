# tests/servers/lib.sh: start and stop the crawl tests' servers, sourced by
# tests/e2e/crawl_*.sh and tests/bench/bench_crawl.sh. Both servers listen
# on 127.0.0.1 only, keep their files in $T, and are stopped by srv_stop,
# which the caller traps on EXIT:
#
#   . "$TOP/tests/servers/lib.sh"
#   trap srv_stop EXIT INT TERM
#   srv_fault ROOT [ROBOTS]   -> $FAULT_PORT, log $T/fault.log
#   srv_nginx ROOT            -> $NGINX_PORT, log $T/nginx/access.log
#
# nginx runs as a single unprivileged-style process (master_process off)
# with its own prefix, pid file and logs, so killing its pid stops it.

SRV_PIDS=""

srv_stop() {
	for p in $SRV_PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $SRV_PIDS; do
		# Bounded: a server that ignores TERM gets KILL after 5 s.
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		kill -9 "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	SRV_PIDS=""
}

srv_skip_unless() {
	for c in "$@"; do
		[ -x "$c" ] || command -v "$c" >/dev/null 2>&1 || {
			echo "skip: $c not installed"
			exit 77
		}
	done
}

# Wait up to 10 s for file $1 to appear.
srv_wait_file() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -s "$1" ]
}

srv_fault() {
	srv_skip_unless /usr/bin/python3
	rm -f "$T/fault.port"
	: >"$T/fault.log"
	if [ -n "${2:-}" ]; then
		/usr/bin/python3 "$TOP/tests/servers/faultd.py" --root "$1" \
		    --log "$T/fault.log" --port-file "$T/fault.port" \
		    --robots "$2" 2>"$T/fault.err" &
	else
		/usr/bin/python3 "$TOP/tests/servers/faultd.py" --root "$1" \
		    --log "$T/fault.log" --port-file "$T/fault.port" \
		    2>"$T/fault.err" &
	fi
	SRV_PIDS="$SRV_PIDS $!"
	srv_wait_file "$T/fault.port" || {
		echo "faultd did not start"
		cat "$T/fault.err"
		exit 1
	}
	FAULT_PORT=$(cat "$T/fault.port")
}

# A free port on 127.0.0.1 (nginx cannot report one it picked itself).
srv_free_port() {
	/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

srv_nginx() {
	srv_skip_unless /usr/sbin/nginx /usr/bin/python3
	n=$T/nginx
	mkdir -p "$n/logs" "$n/tmp"
	for attempt in 1 2 3; do
		NGINX_PORT=$(srv_free_port)
		sed -e "s|@PREFIX@|$n|g" -e "s|@PORT@|$NGINX_PORT|g" \
		    -e "s|@ROOT@|$1|g" "$TOP/tests/servers/nginx.conf.in" \
		    >"$n/nginx.conf"
		: >"$n/access.log"
		/usr/sbin/nginx -p "$n" -c "$n/nginx.conf" 2>"$n/logs/start.err" &
		pid=$!
		i=0
		while [ $i -lt 50 ]; do
			if ! kill -0 $pid 2>/dev/null; then
				break
			fi
			if /usr/bin/python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $NGINX_PORT), 1)" 2>/dev/null; then
				SRV_PIDS="$SRV_PIDS $pid"
				return 0
			fi
			sleep 0.1
			i=$((i + 1))
		done
		kill $pid 2>/dev/null
		wait $pid 2>/dev/null
	done
	echo "nginx did not start"
	cat "$n/logs/start.err" "$n/logs/error.log" 2>/dev/null
	exit 1
}

# Feeds for the crawl tests: mkfeed OUT --name NAME --items N [...]
mkfeed() {
	/usr/bin/python3 "$TOP/tests/servers/mkfeed.py" "$@"
}

# Add feed URLs or paths to the database $DB. URLs go in through an OPML
# import, which stores them as given: `feed add URL` would fetch the URL
# now, and test host names (h1.test) would go to DNS.
feed_add() {
	o=$T/.feeds.opml
	printf '<?xml version="1.0"?>\n<opml version="2.0"><head><title>t</title></head><body>\n' >"$o"
	n=0
	for u in "$@"; do
		case $u in
		http://* | https://*)
			x=$(printf '%s' "$u" | sed -e 's/&/\&amp;/g' -e 's/"/\&quot;/g' -e 's/</\&lt;/g')
			printf '<outline type="rss" text="t" xmlUrl="%s"/>\n' "$x" >>"$o"
			n=$((n + 1))
			;;
		*)
			"$DW" --db "$DB" feed add "$u" >/dev/null || return 1
			;;
		esac
	done
	printf '</body></opml>\n' >>"$o"
	[ $n -eq 0 ] || "$DW" --db "$DB" feed import "$o" >/dev/null || return 1
}

# sq SQL: one query against $DB.
sq() {
	sqlite3 "$DB" "$1"
}

fail() {
	echo "FAIL: $*"
	exit 1
}
