/*
 * http.c: one HTTP transfer with libcurl under our policy: http and https
 * only, five redirects at most, no connection to loopback, private or
 * link-local addresses (checked on the socket address, whatever the URL
 * said), a body cap on the decoded bytes, conditional GET, and a message
 * naming the URL for every failure. The crawler runs many of these.
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <libdeflate.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fetch/internal.h"

void
fetch_opts_init(struct fetch_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->connect_timeout = 10;
	o->timeout = 60;
	o->max_body = FETCH_MAX_BODY;
	o->low_speed_limit = 64;
	o->low_speed_time = 30;
}

void
fetch_result_init(struct fetch_result *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->body, FETCH_MAX_BODY);
}

void
fetch_result_release(struct fetch_result *r)
{
	buf_release(&r->body);
	free(r->content_type);
	free(r->etag);
	free(r->last_modified);
	free(r->effective_url);
	free(r->permanent_url);
	memset(r, 0, sizeof(*r));
}

int
fetch_is_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0;
}

const char *
fetch_user_agent(void)
{
	return FETCH_AGENT "/" DW_VERSION " (+" FETCH_HOMEPAGE ")";
}

/*
 * libcurl wants its global state set up once, before any thread exists;
 * we have one thread, so the first transfer does it.
 */
static void
curl_once(void)
{
	static int done;

	if (!done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		done = 1;
	}
}

/* clang-format off */
/*
 * IPv4 ranges a crawler has no business connecting to: RFC 6890's special
 * purpose registry, less the globally reachable ones.
 */
static const struct {
	uint32_t net, mask;
	const char *name;
} v4_blocked[] = {
	{ 0x00000000, 0xff000000, "unspecified" },  /* 0.0.0.0/8 */
	{ 0x0a000000, 0xff000000, "private" },      /* 10.0.0.0/8 */
	{ 0x64400000, 0xffc00000, "shared" },       /* 100.64.0.0/10 */
	{ 0x7f000000, 0xff000000, "loopback" },     /* 127.0.0.0/8 */
	{ 0xa9fe0000, 0xffff0000, "link-local" },   /* 169.254.0.0/16 */
	{ 0xac100000, 0xfff00000, "private" },      /* 172.16.0.0/12 */
	{ 0xc0000000, 0xffffff00, "reserved" },     /* 192.0.0.0/24 */
	{ 0xc0a80000, 0xffff0000, "private" },      /* 192.168.0.0/16 */
	{ 0xc6120000, 0xfffe0000, "benchmarking" }, /* 198.18.0.0/15 */
	{ 0xe0000000, 0xf0000000, "multicast" },    /* 224.0.0.0/4 */
	{ 0xf0000000, 0xf0000000, "reserved" },     /* 240.0.0.0/4 */
};
/* clang-format on */

static const char *
v4_class(uint32_t a)
{
	for (size_t i = 0; i < countof(v4_blocked); i++)
		if ((a & v4_blocked[i].mask) == v4_blocked[i].net)
			return v4_blocked[i].name;
	return NULL;
}

static const char *
v6_class(const unsigned char *b)
{
	static const unsigned char zero[16];
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff };
	uint32_t v4;

	if (memcmp(b, zero, 15) == 0)
		return b[15] == 1 ? "loopback" : "unspecified";
	/* ::ffff:a.b.c.d, and the deprecated ::a.b.c.d, reach IPv4. */
	if (memcmp(b, mapped, 12) == 0 || memcmp(b, zero, 12) == 0) {
		v4 = (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 |
		    (uint32_t)b[14] << 8 | b[15];
		return v4_class(v4);
	}
	/* 64:ff9b::/96 NAT64 also reaches IPv4. */
	if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b &&
	    memcmp(b + 4, zero, 8) == 0) {
		v4 = (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 |
		    (uint32_t)b[14] << 8 | b[15];
		return v4_class(v4);
	}
	if ((b[0] & 0xfe) == 0xfc)
		return "private"; /* fc00::/7 unique local */
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		return "link-local"; /* fe80::/10 */
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
		return "private"; /* fec0::/10 site-local, deprecated */
	if (b[0] == 0xff)
		return "multicast";
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
		return "documentation"; /* 2001:db8::/32 */
	return NULL;
}

const char *
fetch__addr_class(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		return v4_class(ntohl(in->sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 =
		    (const struct sockaddr_in6 *)sa;

		return v6_class(in6->sin6_addr.s6_addr);
	}
	return "unsupported";
}

static void
addr_string(const struct sockaddr *sa, char *out, size_t n)
{
	const void *p = NULL;

	if (sa->sa_family == AF_INET)
		p = &((const struct sockaddr_in *)sa)->sin_addr;
	else if (sa->sa_family == AF_INET6)
		p = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	if (!p || !inet_ntop(sa->sa_family, p, out, (socklen_t)n))
		snprintf(out, n, "?");
}

/* An address listed in allow_addrs, compared in its canonical spelling. */
static int
addr_listed(const struct fetch_opts *o, const char *addr)
{
	if (!o->allow_addrs)
		return 0;
	for (size_t i = 0; o->allow_addrs[i]; i++)
		if (strcmp(o->allow_addrs[i], addr) == 0)
			return 1;
	return 0;
}

/*
 * CURLOPT_OPENSOCKETFUNCTION: every connection libcurl makes, for the first
 * request and each redirect, goes through here with the address it is
 * about to connect to, after any name resolution, so "2130706433",
 * "[::ffff:7f00:1]" and a public name resolving to 10.0.0.1 all end here.
 */
static curl_socket_t
open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct fetch_xfer *x = arg;
	const char *cls;
	char s[INET6_ADDRSTRLEN];

	(void)purpose;
	cls = fetch__addr_class(&a->addr);
	if (cls && !x->o->allow_private) {
		addr_string(&a->addr, s, sizeof(s));
		if (!addr_listed(x->o, s)) {
			snprintf(x->refused, sizeof(x->refused), "%s (%s)", s,
			    cls);
			return CURL_SOCKET_BAD;
		}
	}
	return socket(a->family, a->socktype, a->protocol);
}

/*
 * Content codings (struct fetch_unzip). Messages and decisions are
 * libcurl's (7.88, content_encoding.c), so a body reads as it did when
 * libcurl decoded it.
 */
#define UNZIP_PIECE 16384 /* libcurl's output piece (DSIZ) */

static void
unzip_end(struct fetch_unzip *u)
{
	if (u->state == 1 || u->state == 2)
		inflateEnd(&u->z);
	u->state = 3;
}

/* Let go of a held body (struct fetch_unzip's lazy). */
static void
unzip_unhold(struct fetch_unzip *u)
{
	buf_release(&u->held);
	free(u->cuts);
	u->cuts = NULL;
	u->ncuts = u->cutcap = 0;
	u->lazy = 0;
}

/* A new response: its coding is not known yet. */
static void
unzip_reset(struct fetch_xfer *x)
{
	unzip_end(&x->unzip);
	unzip_unhold(&x->unzip);
	memset(&x->unzip, 0, sizeof(x->unzip));
	x->unzip_err[0] = '\0';
}

/* A Content-Encoding header's value: its codings, identity aside. */
static void
unzip_header(struct fetch_xfer *x, const char *v, size_t n)
{
	struct fetch_unzip *u = &x->unzip;
	const char *end = v + n;

	while (v < end) {
		const char *name;
		size_t len = 0;
		int ce;

		while (v < end && (*v == ' ' || *v == '\t' || *v == ','))
			v++;
		name = v;
		for (; v < end && *v != ','; v++)
			if (*v != ' ' && *v != '\t' && *v != '\r' && *v != '\n')
				len = (size_t)(v - name) + 1;
		if (!len || (len == 8 && !strncasecmp(name, "identity", 8)) ||
		    (len == 4 && !strncasecmp(name, "none", 4)))
			continue;
		if ((len == 4 && !strncasecmp(name, "gzip", 4)) ||
		    (len == 6 && !strncasecmp(name, "x-gzip", 6)))
			ce = FETCH_CE_GZIP;
		else if (len == 7 && !strncasecmp(name, "deflate", 7))
			ce = FETCH_CE_DEFLATE;
		else
			ce = FETCH_CE_OTHER;
		u->ce = u->ce ? FETCH_CE_OTHER : ce;
	}
}

static size_t
unzip_fail(struct fetch_xfer *x, const char *why)
{
	if (!x->unzip_err[0])
		snprintf(x->unzip_err, sizeof(x->unzip_err),
		    "Error while processing content unencoding: %s",
		    why ? why
		        : "Unknown failure within decompression software.");
	unzip_end(&x->unzip);
	return 0;
}

/* Bytes after the end of the stream: only raw deflate tolerates some. */
static size_t
unzip_after_end(struct fetch_xfer *x, size_t n)
{
	struct fetch_unzip *u = &x->unzip;

	if (n <= u->skip_ok) {
		u->skip_ok -= n;
		return 1;
	}
	/* libcurl had no message but its chunk reader's, or its code's */
	snprintf(x->unzip_err, sizeof(x->unzip_err), "%s",
	    u->chunked ? "Failed reading the chunked-encoded stream"
	               : curl_easy_strerror(CURLE_WRITE_ERROR));
	return 0;
}

/* The input bytes inflate took: the last eight are a gzip trailer. */
static void
unzip_tail(struct fetch_unzip *u, const unsigned char *p, size_t n)
{
	size_t keep;

	if (n >= sizeof(u->tail)) {
		memcpy(u->tail, p + n - sizeof(u->tail), sizeof(u->tail));
		u->ntail = sizeof(u->tail);
		return;
	}
	keep = MIN(u->ntail, sizeof(u->tail) - n);
	memmove(u->tail, u->tail + u->ntail - keep, keep);
	memcpy(u->tail + keep, p, n);
	u->ntail = keep + n;
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* Keep a piece that gave no output yet (struct fetch_unzip's pre). */
static void
unzip_keep(struct fetch_unzip *u, const unsigned char *p, size_t n)
{
	if (u->npre <= sizeof(u->pre) && n <= sizeof(u->pre) - u->npre)
		memcpy(u->pre + u->npre, p, n);
	u->npre = u->npre <= sizeof(u->pre) && n <= sizeof(u->pre) - u->npre
	    ? u->npre + n
	    : sizeof(u->pre) + 1;
}

static int unzip_body(struct fetch_xfer *x, const unsigned char *p, size_t len);

/*
 * A gzip body is held as it comes while its bytes could not pass the cap
 * whatever they hold (deflate makes at most 1032 bytes of one), and
 * decoded whole by libdeflate when the transfer ends, which costs some
 * two and a half times less than zlib's inflate a byte. Past that (or
 * whenever libdeflate does not take the body as it is) the bytes held go
 * through zlib in the pieces they came in, as if decoded as they came:
 * the same body, or the same failure and message.
 */
#define UNZIP_MAX_RATIO 1032

static int
unzip_hold(struct fetch_xfer *x, const unsigned char *p, size_t len)
{
	struct fetch_unzip *u = &x->unzip;

	if (len > x->o->max_body / UNZIP_MAX_RATIO - u->held.len)
		return 0;
	if (u->ncuts == u->cutcap) {
		u->cutcap = u->cutcap ? u->cutcap * 2 : 8;
		u->cuts = xreallocarray(u->cuts, u->cutcap, sizeof(*u->cuts));
	}
	if (buf_add(&u->held, p, len) != DW_OK)
		return 0;
	u->cuts[u->ncuts++] = len;
	u->lazy = 1;
	return 1;
}

/* The bytes held, through zlib piece by piece; 0 as unzip_body(). */
static int
unzip_replay(struct fetch_xfer *x)
{
	struct fetch_unzip *u = &x->unzip;
	struct buf held = u->held;
	size_t *cuts = u->cuts, ncuts = u->ncuts, off = 0;
	int ok = 1;

	memset(&u->held, 0, sizeof(u->held));
	u->cuts = NULL;
	u->ncuts = u->cutcap = 0;
	u->lazy = 0;
	u->no_lazy = 1;
	for (size_t i = 0; i < ncuts && ok; i++) {
		ok = unzip_body(x, (const unsigned char *)held.data + off,
		    cuts[i]);
		off += cuts[i];
	}
	buf_release(&held);
	free(cuts);
	return ok;
}

/* One decompressor kept for the next body (making one clears some 30
 * KiB), whichever thread takes it. */
static struct libdeflate_decompressor *unzip_spare;

static struct libdeflate_decompressor *
unzip_take(void)
{
	struct libdeflate_decompressor *d =
	    __atomic_exchange_n(&unzip_spare, NULL, __ATOMIC_ACQ_REL);

	return d ? d : libdeflate_alloc_decompressor();
}

static void
unzip_give(struct libdeflate_decompressor *d)
{
	d = __atomic_exchange_n(&unzip_spare, d, __ATOMIC_ACQ_REL);
	if (d)
		libdeflate_free_decompressor(d);
}

/*
 * The transfer has ended: a body held is decoded now, by libdeflate when
 * it is one gzip member, without a header CRC (zlib checks it, libdeflate
 * does not) or reserved flags, whose trailer's length fits the cap, else
 * by zlib. 0 when decoding failed, as it would have stopped the transfer.
 */
static int
unzip_finish(struct fetch_xfer *x)
{
	struct fetch_unzip *u = &x->unzip;
	struct buf *b = &x->res->body;
	const unsigned char *h = (const unsigned char *)u->held.data;
	size_t n = u->held.len, size, used = 0, out = 0;
	enum libdeflate_result r = LIBDEFLATE_BAD_DATA;

	if (!u->lazy)
		return 1;
	if (n >= 18 && h[0] == 0x1f && h[1] == 0x8b && h[2] == 8 &&
	    !(h[3] & 0xe2) && b->len == 0) {
		size = le32(h + n - 4);
		if (size <= x->o->max_body && buf_grow(b, size + 1) == DW_OK) {
			struct libdeflate_decompressor *d = unzip_take();

			if (d) {
				r = libdeflate_gzip_decompress_ex(d, h, n,
				    b->data, size, &used, &out);
				unzip_give(d);
			}
		}
		if (r == LIBDEFLATE_SUCCESS && used == n && out == size) {
			b->len = out;
			b->data[out] = '\0';
			unzip_unhold(u);
			u->state = 3;
			return 1;
		}
		if (b->cap)
			b->data[0] = '\0';
	}
	return unzip_replay(x);
}

/*
 * Decode a piece of a coded body into the result, capped at max_body (a
 * gzip bomb stops here). 0 when the transfer is to stop.
 */
static int
unzip_body(struct fetch_xfer *x, const unsigned char *p, size_t len)
{
	struct fetch_unzip *u = &x->unzip;
	struct buf *b = &x->res->body;
	size_t max = x->o->max_body;
	z_stream *z = &u->z;

	if (u->ce == FETCH_CE_OTHER) {
		snprintf(x->unzip_err, sizeof(x->unzip_err),
		    "Unrecognized content encoding type. We understand "
		    "deflate, gzip content encodings.");
		return 0;
	}
	if (u->lazy ||
	    (u->state == 0 && u->ce == FETCH_CE_GZIP && !u->no_lazy)) {
		if (unzip_hold(x, p, len))
			return 1;
		if (u->lazy && !unzip_replay(x))
			return 0;
		u->no_lazy = 1;
	}
	if (u->state == 3)
		return (int)unzip_after_end(x, len);
	if (u->state == 0) {
		memset(z, 0, sizeof(*z));
		if (inflateInit2(z,
		        u->ce == FETCH_CE_GZIP ? MAX_WBITS + 32 : MAX_WBITS) !=
		    Z_OK)
			return (int)unzip_fail(x, z->msg);
		u->state = 1;
		/* gzip (not zlib data) without a header CRC: its CRC-32
		 * is ours to check */
		if (u->ce == FETCH_CE_GZIP && len >= 4 && p[0] == 0x1f &&
		    p[1] == 0x8b && !(p[3] & 0x02)) {
			inflateValidate(z, 0);
			u->own_check = 1;
		}
	}
	z->next_in = (Bytef *)(uintptr_t)p;
	z->avail_in = (uInt)len;
	for (;;) {
		const unsigned char *in = z->next_in;
		size_t room;
		int zr;

		if (b->len > max) {
			x->too_big = 1;
			unzip_end(u);
			return 0;
		}
		if (b->cap - b->len < 4096 + 1 &&
		    buf_grow(b,
		        MIN(MAX(b->cap, (size_t)UNZIP_PIECE),
		            max + 1 - b->len)) != DW_OK) {
			x->too_big = 1;
			unzip_end(u);
			return 0;
		}
		room = MIN(b->cap - b->len - 1, max + 1 - b->len);
		/* libcurl's pieces until the first output: whether deflate
		 * is read again as raw depends on it */
		if (u->state == 1)
			room = MIN(room, (size_t)UNZIP_PIECE);
		room = MIN(room, (size_t)UINT_MAX);
		z->next_out = (Bytef *)b->data + b->len;
		z->avail_out = (uInt)room;
		zr = inflate(z, Z_BLOCK);
		if (u->own_check)
			unzip_tail(u, in, (size_t)(z->next_in - in));
		if (z->avail_out != room &&
		    (zr == Z_OK || zr == Z_STREAM_END)) {
			size_t out = room - z->avail_out;

			if (u->own_check)
				u->crc = (uint32_t)libdeflate_crc32(u->crc,
				    b->data + b->len, out);
			b->len += out;
			b->data[b->len] = '\0';
			u->state = 2;
		}
		switch (zr) {
		case Z_OK:
			break; /* there may be more out of what it holds */
		case Z_BUF_ERROR:
			/* wants more input; deflate keeps what it took before
			 * its first output, in case it has to read it again */
			if (u->ce == FETCH_CE_DEFLATE && u->state == 1)
				unzip_keep(u, p, len);
			return 1;
		case Z_STREAM_END:
			if (u->own_check && u->ntail == sizeof(u->tail) &&
			    le32(u->tail) != u->crc)
				return (
				    int)unzip_fail(x, "incorrect data check");
			if (u->own_check && u->ntail == sizeof(u->tail) &&
			    le32(u->tail + 4) != (uint32_t)z->total_out)
				return (
				    int)unzip_fail(x, "incorrect length check");
			unzip_end(u);
			return (int)unzip_after_end(x, z->avail_in);
		case Z_DATA_ERROR:
			/* some servers send deflate without its zlib header */
			if (u->ce == FETCH_CE_DEFLATE && u->state == 1) {
				unsigned char pre[sizeof(u->pre)];
				size_t npre = u->npre;

				inflateEnd(z);
				if (inflateInit2(z, -MAX_WBITS) == Z_OK) {
					u->state = 2;
					u->raw = 1;
					u->skip_ok = 4;
					/* the earlier pieces first (libcurl read
					 * again from this piece only) */
					if (npre && npre <= sizeof(pre)) {
						memcpy(pre, u->pre, npre);
						u->npre = 0;
						if (!unzip_body(x, pre, npre))
							return 0;
						if (u->state == 3)
							return (int)
							    unzip_after_end(x,
							        len);
					}
					z->next_in = (Bytef *)(uintptr_t)p;
					z->avail_in = (uInt)len;
					break;
				}
				u->state = 0;
			}
			return (int)unzip_fail(x, z->msg);
		default:
			return (int)unzip_fail(x, z->msg);
		}
	}
}

/*
 * Room for the body at its first bytes, so that it is not copied again
 * and again as it grows: its declared length, eight times that when
 * coded (text inflates about so much), or, coded on the fly with no
 * length (nginx's gzip), 128 KiB, a feed's usual size; 1 MiB at most.
 */
static void
body_reserve(struct fetch_xfer *x)
{
	curl_off_t cl = -1;
	size_t want;

	if (x->res->body.cap)
		return;
	if (curl_easy_getinfo(x->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) !=
	        CURLE_OK ||
	    cl <= 0)
		want = x->unzip.ce ? (size_t)128 << 10 : 0;
	else if (x->unzip.ce)
		want = (size_t)MIN(cl, (curl_off_t)1 << 17) * 8;
	else
		want = (size_t)MIN(cl, (curl_off_t)1 << 20);
	if (want)
		(void)buf_grow(&x->res->body, MIN(want, x->o->max_body));
}

/* The body, decoded, capped at max_body: a gzip bomb stops here. */
static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct fetch_xfer *x = arg;
	size_t len = size * n;

	body_reserve(x);

	if (x->unzip.ce)
		return unzip_body(x, (const unsigned char *)p, len) ? len : 0;

	if (len > x->o->max_body || x->res->body.len > x->o->max_body - len) {
		x->too_big = 1;
		return 0;
	}
	if (buf_add(&x->res->body, p, len) != DW_OK) {
		x->too_big = 1;
		return 0;
	}
	return len;
}

int
fetch__unzip_run(const char *ce, const unsigned char *p, size_t n, size_t piece,
    size_t max_body, struct buf *out, struct buf *err)
{
	struct fetch_opts o;
	struct fetch_result r;
	struct fetch_xfer x;
	int rc = DW_OK;

	fetch_opts_init(&o);
	o.max_body = max_body;
	fetch_result_init(&r);
	memset(&x, 0, sizeof(x));
	x.res = &r;
	x.o = &o;
	unzip_header(&x, ce, strlen(ce));
	if (!piece)
		piece = 1;
	for (size_t i = 0; i < n; i += piece) {
		size_t k = MIN(piece, n - i);

		if (x.unzip.ce
		        ? !unzip_body(&x, p + i, k)
		        : buf_add(&r.body, (const char *)p + i, k) != DW_OK) {
			rc = x.too_big ? DW_ETOOBIG : DW_ERR;
			break;
		}
	}
	if (rc == DW_OK && !unzip_finish(&x))
		rc = x.too_big ? DW_ETOOBIG : DW_ERR;
	if (r.body.len > max_body)
		rc = DW_ETOOBIG;
	if (rc != DW_OK)
		buf_setf(err, "%s", x.unzip_err[0] ? x.unzip_err : "too big");
	unzip_end(&x.unzip);
	unzip_unhold(&x.unzip);
	buf_reset(out);
	buf_add(out, r.body.data ? r.body.data : "", r.body.len);
	fetch_result_release(&r);
	return rc;
}

static char *
effective_url(CURL *h)
{
	char *u = NULL;

	curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &u);
	return u ? xstrdup(u) : NULL;
}

/*
 * Each response's status line comes through here, redirects included, so
 * we follow the chain: the URL reached through nothing but 301 and 308
 * from the start is where the feed has moved for good.
 */
static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct fetch_xfer *x = arg;
	size_t len = size * n;
	const char *sp;
	long code;

	if (len > 17 && strncasecmp(p, "Content-Encoding:", 17) == 0) {
		unzip_header(x, p + 17, len - 17);
		return len;
	}
	if (len > 18 && strncasecmp(p, "Transfer-Encoding:", 18) == 0) {
		x->unzip.chunked = 1; /* (only its messages differ) */
		return len;
	}
	if (len < 12 || strncmp(p, "HTTP/", 5) != 0)
		return len;
	sp = memchr(p, ' ', len);
	if (!sp)
		return len;
	/* each response (an interim one too) has its own coding */
	unzip_reset(x);
	code = strtol(sp + 1, NULL, 10);
	if (code >= 100 && code < 200)
		return len;
	if (x->nresp > 0 && x->perm_chain) {
		free(x->res->permanent_url);
		x->res->permanent_url = effective_url(x->h);
	}
	if (code != 301 && code != 308)
		x->perm_chain = 0;
	x->nresp++;
	/* A new response: the previous one's body is not ours. */
	buf_reset(&x->res->body);
	return len;
}

static char *
header_value(CURL *h, const char *name)
{
	struct curl_header *hd = NULL;

	if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hd) != CURLHE_OK)
		return NULL;
	return hd && hd->value && *hd->value ? xstrdup(hd->value) : NULL;
}

/* The entry's "HOST:PORT" part is hostport (case aside). */
static int
resolve_matches(const char *entry, const char *hostport)
{
	size_t n = strlen(hostport);

	if (*entry == '+' || *entry == '-')
		entry++;
	return strncasecmp(entry, hostport, n) == 0 && entry[n] == ':';
}

int
fetch__slist_push(struct curl_slist **head, struct curl_slist **tail,
    const char *entry)
{
	struct curl_slist *n = curl_slist_append(NULL, entry);

	if (!n)
		return 0;
	if (*tail)
		(*tail)->next = n;
	else
		*head = n;
	*tail = n;
	return 1;
}

struct curl_slist *
fetch__resolve_list(const char *const *resolve, const char *hostport)
{
	struct curl_slist *head = NULL, *tail = NULL;

	for (size_t i = 0; resolve && resolve[i]; i++)
		if ((!hostport || resolve_matches(resolve[i], hostport)) &&
		    !fetch__slist_push(&head, &tail, resolve[i]))
			break;
	return head;
}

int
fetch__xfer_setup(struct fetch_xfer *x, const char *url,
    const struct fetch_opts *o, struct fetch_result *res, struct buf *err)
{
	return fetch__xfer_setup_on(x, NULL, url, o, res, err);
}

int
fetch__xfer_setup_on(struct fetch_xfer *x, CURL *reuse, const char *url,
    const struct fetch_opts *o, struct fetch_result *res, struct buf *err)
{
	struct buf h = BUF_INIT;
	CURL *c;

	memset(x, 0, sizeof(*x));
	x->res = res;
	x->o = o;
	x->perm_chain = 1;
	if (!fetch_is_url(url)) {
		if (reuse)
			curl_easy_cleanup(reuse);
		buf_setf(err, "cannot fetch '%s': only http and https URLs",
		    url);
		return DW_EUSAGE;
	}
	curl_once();
	/* a handle a finished transfer left: every option back to its
	 * default, the options below set again (libcurl drops the last
	 * response's headers as the next transfer starts) */
	if (reuse)
		curl_easy_reset(reuse);
	c = reuse ? reuse : curl_easy_init();
	if (!c) {
		buf_setf(err, "cannot fetch '%s': cannot start libcurl", url);
		return DW_ERR;
	}
	x->h = c;
	x->url = xstrdup(url);
	res->body.max = o->max_body + 1;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PRIVATE, x);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	/* NOTE: no proxy from the environment: it would be the address we
	 * check, not the server's. */
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	curl_easy_setopt(c, CURLOPT_USERAGENT, fetch_user_agent());
	/* gzip and deflate asked for, and undone by on_body() */
	curl_easy_setopt(c, CURLOPT_HTTP_CONTENT_DECODING, 0L);
	x->headers =
	    curl_slist_append(x->headers, "Accept-Encoding: gzip, deflate");
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, o->low_speed_limit);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o->low_speed_time);
	/* The declared length is checked too, before any byte comes. */
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, x);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
	if (o->accept) {
		buf_addf(&h, "Accept: %s", o->accept);
		x->headers = curl_slist_append(x->headers, h.data);
	}
	if (o->etag && *o->etag) {
		buf_reset(&h);
		buf_addf(&h, "If-None-Match: %s", o->etag);
		x->headers = curl_slist_append(x->headers, h.data);
	}
	if (o->last_modified && *o->last_modified) {
		buf_reset(&h);
		buf_addf(&h, "If-Modified-Since: %s", o->last_modified);
		x->headers = curl_slist_append(x->headers, h.data);
	}
	buf_release(&h);
	if (x->headers)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, x->headers);
	x->resolve = fetch__resolve_list(o->resolve, NULL);
	if (x->resolve)
		curl_easy_setopt(c, CURLOPT_RESOLVE, x->resolve);
	return DW_OK;
}

static int
transport_error(struct fetch_xfer *x, CURLcode cc, struct buf *err)
{
	const char *why = x->errbuf[0] ? x->errbuf : curl_easy_strerror(cc);

	if (x->refused[0]) {
		buf_setf(err,
		    "cannot fetch '%s': refused to connect to %s: "
		    "not a public address",
		    x->url, x->refused);
		return DW_ENOHOST;
	}
	if (x->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
		buf_setf(err, "cannot fetch '%s': body larger than %zu bytes",
		    x->url, x->o->max_body);
		return DW_ETOOBIG;
	}
	if (x->unzip_err[0]) {
		buf_setf(err, "cannot fetch '%s': %s", x->url, x->unzip_err);
		return DW_ERR;
	}
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		buf_setf(err, "cannot fetch '%s': host does not resolve",
		    x->url);
		return DW_ENOHOST;
	case CURLE_TOO_MANY_REDIRECTS:
		buf_setf(err,
		    "cannot fetch '%s': more than 5 redirects "
		    "(a loop?)",
		    x->url);
		return DW_ERR;
	case CURLE_UNSUPPORTED_PROTOCOL:
		buf_setf(err,
		    "cannot fetch '%s': redirected to a scheme other "
		    "than http or https",
		    x->url);
		return DW_ERR;
	case CURLE_OPERATION_TIMEDOUT:
		buf_setf(err, "cannot fetch '%s': timed out (%s)", x->url, why);
		return DW_EAGAIN;
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		buf_setf(err, "cannot fetch '%s': %s", x->url, why);
		return DW_EAGAIN;
	default:
		buf_setf(err, "cannot fetch '%s': %s", x->url, why);
		return DW_ERR;
	}
}

int
fetch__xfer_finish(struct fetch_xfer *x, CURLcode cc, struct buf *err)
{
	struct fetch_result *r = x->res;
	curl_off_t ra = 0, dl = 0;
	long hsize = 0;

	/* a body held till now is decoded: failing, it fails the transfer
	 * as it would have failed as it came */
	if (!unzip_finish(x))
		cc = CURLE_WRITE_ERROR;
	curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(x->h, CURLINFO_HEADER_SIZE, &hsize);
	curl_easy_getinfo(x->h, CURLINFO_SIZE_DOWNLOAD_T, &dl);
	r->bytes_in =
	    (uint64_t)(hsize > 0 ? hsize : 0) + (uint64_t)(dl > 0 ? dl : 0);
	free(r->effective_url);
	r->effective_url = effective_url(x->h);
	if (cc != CURLE_OK)
		return transport_error(x, cc, err);
	if (curl_easy_getinfo(x->h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK &&
	    ra > 0)
		r->retry_after = (long)MIN(ra, (curl_off_t)86400 * 7);
	r->content_type = header_value(x->h, "Content-Type");
	r->etag = header_value(x->h, "ETag");
	r->last_modified = header_value(x->h, "Last-Modified");
	if (r->status == 304 || (r->status >= 200 && r->status < 300))
		return DW_OK;
	if (r->status == 429 || r->status >= 500) {
		buf_setf(err, "cannot fetch '%s': HTTP %ld%s", x->url,
		    r->status, r->status == 429 ? " (too many requests)" : "");
		return DW_EAGAIN;
	}
	if (r->status == 404 || r->status == 410) {
		buf_setf(err, "cannot fetch '%s': HTTP %ld (%s)", x->url,
		    r->status, r->status == 404 ? "not found" : "gone");
		return DW_ENOTFOUND;
	}
	buf_setf(err, "cannot fetch '%s': HTTP %ld", x->url, r->status);
	return DW_ERR;
}

void
fetch__xfer_release(struct fetch_xfer *x)
{
	unzip_end(&x->unzip);
	unzip_unhold(&x->unzip);
	if (x->h)
		curl_easy_cleanup(x->h);
	curl_slist_free_all(x->headers);
	curl_slist_free_all(x->resolve);
	free(x->url);
	x->h = NULL;
	x->headers = NULL;
	x->resolve = NULL;
	x->url = NULL;
}

int
fetch_url(struct fetch_result *out, const char *url, const struct fetch_opts *o,
    struct buf *err)
{
	struct fetch_xfer x;
	CURLcode cc;
	int rc;

	rc = fetch__xfer_setup(&x, url, o, out, err);
	if (rc != DW_OK)
		goto out;
	cc = curl_easy_perform(x.h);
	rc = fetch__xfer_finish(&x, cc, err);
out:
	fetch__xfer_release(&x);
	return rc;
}
