#!/usr/bin/python3
"""faultd: a small fault-injecting HTTP server for dealwire's crawl tests.

Listens on 127.0.0.1 on an ephemeral port (written to --port-file once
listening) and logs one line per request to --log:
    METHOD PATH STATUS BODY_BYTES If-None-Match=... UA=...

Routes (everything else is a file under --root, with ETag and
Last-Modified, answering conditional GETs with 304):
    /robots.txt                 --robots FILE, else a 404
    /status/CODE[?retry=S]      CODE with a short body (Retry-After: S)
    /redirect/CODE?to=URL       CODE with Location: URL
    /loop/N                     302 to /loop/N+1, for ever
    /drip?every=S               200, then one byte every S seconds
    /hang                       reads the request and never answers
    /bomb                       gzip of 64 MiB of zeros (Content-Encoding)
    /coded/FILE?ce=C[&bad=B]    FILE (under --root) with Content-Encoding
                                gzip, deflate (zlib) or raw (deflate sent
                                without its zlib header); bad=crc, len or
                                trail spoils the gzip trailer or adds bytes
    /big?mb=N                   N MiB of plain bytes
    /flaky/NAME                 500 until --root/NAME.up exists, then NAME
"""
import argparse
import email.utils
import gzip
import hashlib
import os
import socketserver
import sys
import threading
import time
import urllib.parse
import zlib
from http.server import BaseHTTPRequestHandler, HTTPServer


class Server(socketserver.ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


ARGS = None
LOCK = threading.Lock()
BOMB = None


def log_line(handler, status, nbytes):
    with LOCK:
        with open(ARGS.log, "a") as f:
            f.write("%s %s %d %d If-None-Match=%s UA=%s\n" % (
                handler.command, handler.path, status, nbytes,
                handler.headers.get("If-None-Match", "-"),
                (handler.headers.get("User-Agent") or "-").replace(" ", "_")))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "faultd"

    def log_message(self, *a):
        pass

    def send(self, status, body=b"", headers=(), ctype="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        log_line(self, status, len(body))

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(u.query))
        p = u.path
        try:
            if p == "/robots.txt":
                if ARGS.robots:
                    with open(ARGS.robots, "rb") as f:
                        return self.send(200, f.read())
                return self.send(404, b"no robots here\n")
            if p.startswith("/status/"):
                code = int(p.split("/")[2])
                h = [("Retry-After", q["retry"])] if "retry" in q else []
                return self.send(code, b"status %d\n" % code, h)
            if p.startswith("/redirect/"):
                code = int(p.split("/")[2])
                return self.send(code, b"moved\n", [("Location", q["to"])])
            if p.startswith("/loop/"):
                n = int(p.split("/")[2])
                return self.send(302, b"again\n", [("Location", "/loop/%d" % (n + 1))])
            if p == "/drip":
                return self.drip(float(q.get("every", "1")))
            if p == "/hang":
                log_line(self, 0, 0)
                time.sleep(float(q.get("for", "120")))
                self.close_connection = True
                return None
            if p == "/bomb":
                return self.send(200, BOMB, [("Content-Encoding", "gzip")],
                                 "application/rss+xml")
            if p.startswith("/coded/"):
                return self.coded(p[len("/coded"):], q)
            if p == "/big":
                n = int(q.get("mb", "20")) << 20
                return self.send(200, b"<" * n, [], "application/rss+xml")
            if p.startswith("/flaky/"):
                name = p.split("/", 2)[2]
                if not os.path.exists(os.path.join(ARGS.root, name + ".up")):
                    return self.send(500, b"down\n")
                return self.file("/" + name)
            return self.file(p)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            return None

    def coded(self, p, q):
        path = os.path.normpath(os.path.join(ARGS.root, p.lstrip("/")))
        if not path.startswith(os.path.abspath(ARGS.root)) or not os.path.isfile(path):
            return self.send(404, b"not found\n")
        with open(path, "rb") as f:
            body = f.read()
        ce = q.get("ce", "gzip")
        if ce == "gzip":
            data = bytearray(gzip.compress(body, mtime=0))
            if q.get("bad") == "crc":
                data[-8] ^= 1
            if q.get("bad") == "len":
                data[-1] ^= 1
        elif ce == "deflate":
            data = bytearray(zlib.compress(body))
        else:
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            data = bytearray(c.compress(body) + c.flush())
            ce = "deflate"
        if q.get("bad") == "trail":
            data += b"trailing"
        return self.send(200, bytes(data), [("Content-Encoding", ce)],
                         "application/rss+xml")

    def drip(self, every):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        log_line(self, 200, -1)
        for _ in range(100000):
            self.wfile.write(b" ")
            self.wfile.flush()
            time.sleep(every)

    def file(self, p):
        path = os.path.normpath(os.path.join(ARGS.root, p.lstrip("/")))
        if not path.startswith(os.path.abspath(ARGS.root)) or not os.path.isfile(path):
            return self.send(404, b"not found\n")
        with open(path, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        lm = email.utils.formatdate(os.path.getmtime(path), usegmt=True)
        ctype = "application/rss+xml" if path.endswith(".xml") else \
            "text/html; charset=utf-8" if path.endswith(".html") else "text/plain"
        h = [("ETag", etag), ("Last-Modified", lm)]
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            for k, v in h:
                self.send_header(k, v)
            self.end_headers()
            log_line(self, 304, 0)
            return None
        return self.send(200, body, h, ctype)


def main():
    global ARGS, BOMB
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--robots")
    ap.add_argument("--bind", default="127.0.0.1")
    ARGS = ap.parse_args()
    ARGS.root = os.path.abspath(ARGS.root)
    BOMB = gzip.compress(b"\0" * (64 << 20), 9)
    srv = Server((ARGS.bind, 0), Handler)
    with open(ARGS.port_file + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(ARGS.port_file + ".tmp", ARGS.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
