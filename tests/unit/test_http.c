/*
 * test_http.c: the HTTP side without a server: the address policy (which
 * addresses are refused, however spelled), robots.txt as RFC 9309 reads,
 * and fetch_url refusing loopback before any byte is sent. Transfers
 * against real servers are in tests/e2e/crawl_*.sh.
 */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include <stdlib.h>
#include <zlib.h>

#include "fetch/internal.h"

static const char *
v4(const char *s)
{
	struct sockaddr_in in;

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, s, &in.sin_addr), 1);
	return fetch__addr_class((const struct sockaddr *)&in);
}

static const char *
v6(const char *s)
{
	struct sockaddr_in6 in6;

	memset(&in6, 0, sizeof(in6));
	in6.sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, s, &in6.sin6_addr), 1);
	return fetch__addr_class((const struct sockaddr *)&in6);
}

static void
test_http_address_classes(void **state)
{
	(void)state;
	assert_string_equal(v4("127.0.0.1"), "loopback");
	assert_string_equal(v4("127.255.0.9"), "loopback");
	assert_string_equal(v4("10.1.2.3"), "private");
	assert_string_equal(v4("172.16.0.1"), "private");
	assert_string_equal(v4("172.31.255.255"), "private");
	assert_string_equal(v4("192.168.1.1"), "private");
	assert_string_equal(v4("169.254.169.254"), "link-local");
	assert_string_equal(v4("100.64.0.1"), "shared");
	assert_string_equal(v4("0.0.0.0"), "unspecified");
	assert_string_equal(v4("224.0.0.1"), "multicast");
	assert_null(v4("172.32.0.1"));
	assert_null(v4("93.184.216.34"));
	assert_null(v4("8.8.8.8"));
	assert_string_equal(v6("::1"), "loopback");
	assert_string_equal(v6("::"), "unspecified");
	assert_string_equal(v6("::ffff:127.0.0.1"), "loopback");
	assert_string_equal(v6("::ffff:7f00:1"), "loopback");
	assert_string_equal(v6("::ffff:10.0.0.1"), "private");
	assert_string_equal(v6("64:ff9b::a9fe:a9fe"), "link-local");
	assert_string_equal(v6("fd12:3456::1"), "private");
	assert_string_equal(v6("fe80::1"), "link-local");
	assert_string_equal(v6("ff02::1"), "multicast");
	assert_null(v6("2606:4700::1111"));
	assert_null(v6("::ffff:8.8.8.8"));
}

static void
test_http_refuses_loopback_however_spelled(void **state)
{
	static const char *const urls[] = {
		"http://127.0.0.1:9/feed.xml",
		"http://2130706433:9/feed.xml",
		"http://0x7f.1:9/feed.xml",
		"http://[::ffff:7f00:1]:9/feed.xml",
		"http://[::1]:9/feed.xml",
	};
	struct fetch_opts o;

	(void)state;
	fetch_opts_init(&o);
	o.connect_timeout = 2;
	for (size_t i = 0; i < countof(urls); i++) {
		struct fetch_result r;
		struct buf err = BUF_INIT;
		int rc;

		fetch_result_init(&r);
		rc = fetch_url(&r, urls[i], &o, &err);
		if (rc != DW_ENOHOST || !strstr(err.data, "not a public"))
			print_error("%s: rc %d: %s\n", urls[i], rc, err.data);
		assert_int_equal(rc, DW_ENOHOST);
		assert_non_null(strstr(err.data, "not a public address"));
		assert_non_null(strstr(err.data, urls[i]));
		fetch_result_release(&r);
		buf_release(&err);
	}
}

static void
test_http_only_http_and_https(void **state)
{
	struct fetch_opts o;
	struct fetch_result r;
	struct buf err = BUF_INIT;

	(void)state;
	fetch_opts_init(&o);
	fetch_result_init(&r);
	assert_int_equal(fetch_url(&r, "file:///etc/passwd", &o, &err),
	    DW_EUSAGE);
	assert_int_equal(r.body.len, 0);
	assert_true(fetch_is_url("HTTPS://example.com/"));
	assert_false(fetch_is_url("ftp://example.com/"));
	assert_false(fetch_is_url("/var/feeds/a.xml"));
	fetch_result_release(&r);
	buf_release(&err);
}

static void
test_http_user_agent_names_us(void **state)
{
	const char *ua = fetch_user_agent();

	(void)state;
	assert_int_equal(strncmp(ua, "dealwire/", 9), 0);
	assert_non_null(strstr(ua, DW_VERSION));
	assert_non_null(strstr(ua, "https://"));
}

static struct fetch_robots *
robots(const char *txt)
{
	return fetch__robots_parse(span_cstr(txt), "dealwire");
}

static void
test_http_robots_groups_and_precedence(void **state)
{
	struct fetch_robots *r;

	(void)state;
	/* Our own group wins over '*', matched without case. */
	r = robots("User-agent: *\nDisallow: /\n\n"
	           "User-Agent: DealWire/1.0\nDisallow: /private/\n"
	           "Allow: /private/press/\n");
	assert_true(fetch__robots_allowed(r, "/news/a.html"));
	assert_false(fetch__robots_allowed(r, "/private/x"));
	/* The longest match wins. */
	assert_true(fetch__robots_allowed(r, "/private/press/a.html"));
	fetch__robots_free(r);

	/* Not named: the '*' group; robots.txt itself always allowed. */
	r = robots("# comment\nuser-agent: otherbot\ndisallow: /\n\n"
	           "user-agent: *\ndisallow: /feeds/secret # no\n"
	           "crawl-delay: 3\n");
	assert_false(fetch__robots_allowed(r, "/feeds/secret.xml"));
	assert_true(fetch__robots_allowed(r, "/feeds/public.xml"));
	assert_true(fetch__robots_allowed(r, "/robots.txt"));
	assert_true(fetch__robots_delay(r) == 3.0);
	fetch__robots_free(r);

	/* Several user-agent lines share one group; groups merge. */
	r = robots("User-agent: a\nUser-agent: dealwire\nDisallow: /x\n"
	           "User-agent: b\nDisallow: /b\n"
	           "User-agent: dealwire\nDisallow: /y\n");
	assert_false(fetch__robots_allowed(r, "/x1"));
	assert_false(fetch__robots_allowed(r, "/y1"));
	assert_true(fetch__robots_allowed(r, "/b"));
	fetch__robots_free(r);

	/* Allow wins a tie; an empty Disallow matches nothing. */
	r = robots("User-agent: *\nDisallow: /page\nAllow: /page\n"
	           "Disallow:\n");
	assert_true(fetch__robots_allowed(r, "/page"));
	assert_true(fetch__robots_allowed(r, "/other"));
	fetch__robots_free(r);

	/* No groups at all: everything. */
	r = robots("");
	assert_true(fetch__robots_allowed(r, "/"));
	fetch__robots_free(r);
}

static void
test_http_robots_wildcards(void **state)
{
	struct fetch_robots *r;

	(void)state;
	r = robots("User-agent: *\nDisallow: /*.php$\nDisallow: /tmp*/x\n"
	           "Allow: /$\nDisallow: /\n");
	assert_true(fetch__robots_allowed(r, "/"));
	assert_false(fetch__robots_allowed(r, "/index.html"));
	fetch__robots_free(r);
	r = robots("User-agent: *\nDisallow: /*.php$\nDisallow: /tmp*/x\n");
	assert_false(fetch__robots_allowed(r, "/a/b.php"));
	assert_true(fetch__robots_allowed(r, "/a/b.php?x=1"));
	assert_false(fetch__robots_allowed(r, "/tmp123/x"));
	assert_true(fetch__robots_allowed(r, "/tm/x"));
	fetch__robots_free(r);
	r = fetch__robots_all(0);
	assert_false(fetch__robots_allowed(r, "/feed.xml"));
	assert_true(fetch__robots_allowed(r, "/robots.txt"));
	fetch__robots_free(r);
}

/* src coded by zlib: gzip (bits 31), zlib (15) or raw deflate (-15). */
static unsigned char *
zcode(const void *src, size_t n, int bits, size_t *len)
{
	z_stream z;
	size_t cap = n + 1024;
	unsigned char *o = malloc(cap);

	assert_non_null(o);
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, bits, 8,
	                     Z_DEFAULT_STRATEGY),
	    Z_OK);
	z.next_in = (Bytef *)(uintptr_t)src;
	z.avail_in = (uInt)n;
	z.next_out = o;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*len = cap - z.avail_out;
	deflateEnd(&z);
	return o;
}

static void
test_http_codings_undone_piece_by_piece(void **state)
{
	static const char text[] =
	    "Kestrel Freight agreed to buy Marlow Docks for $40 million.";
	static const int bits[] = { 31, 15, -15 };
	struct buf out = BUF_INIT, err = BUF_INIT;

	(void)state;
	for (size_t b = 0; b < 3; b++) {
		size_t n;
		unsigned char *z = zcode(text, sizeof(text) - 1, bits[b], &n);

		/* one byte at a time: raw deflate is told from zlib data
		 * only at the second byte, and the first is read again */
		for (size_t piece = 1; piece <= n; piece += n - 1) {
			assert_int_equal(fetch__unzip_run(bits[b] == 31
			                         ? "gzip"
			                         : "deflate",
			                     z, n, piece, 1 << 20, &out, &err),
			    DW_OK);
			assert_int_equal(out.len, sizeof(text) - 1);
			assert_memory_equal(out.data, text, out.len);
		}
		free(z);
	}
	buf_release(&out);
	buf_release(&err);
}

/* The same body decoded twice: held and decoded whole at the end (under
 * a cap it cannot pass), and as it comes (a cap under 1032 times its
 * coded length): the same result, the same bytes, the same message. */
static void
same_held_and_streamed(const char *ce, const unsigned char *z, size_t n)
{
	struct buf out1 = BUF_INIT, err1 = BUF_INIT, out2 = BUF_INIT,
	           err2 = BUF_INIT;
	int rc1, rc2;

	rc1 = fetch__unzip_run(ce, z, n, 7, (size_t)1 << 20, &out1, &err1);
	rc2 = fetch__unzip_run(ce, z, n, 7, 1000, &out2, &err2);
	assert_int_equal(rc1, rc2);
	assert_int_equal(out1.len, out2.len);
	assert_memory_equal(out1.data, out2.data, out1.len);
	assert_string_equal(err1.data, err2.data);
	/* held for its first 63 bytes, then decoded as it comes */
	rc2 = fetch__unzip_run(ce, z, n, 7, (size_t)1 << 16, &out2, &err2);
	assert_int_equal(rc1, rc2);
	assert_int_equal(out1.len, out2.len);
	assert_memory_equal(out1.data, out2.data, out1.len);
	assert_string_equal(err1.data, err2.data);
	buf_release(&out1);
	buf_release(&err1);
	buf_release(&out2);
	buf_release(&err2);
}

static void
test_http_codings_held_as_they_come(void **state)
{
	static const char text[] =
	    "Marlow Docks agreed to sell its ferry arm to Kestrel Freight "
	    "for $12 million, the companies said on Tuesday. Marlow Docks "
	    "said the ferry arm had lost money for three years.";
	unsigned char *z, *w;
	size_t n;

	(void)state;
	z = zcode(text, sizeof(text) - 1, 31, &n);
	w = malloc(2 * n + 16);
	assert_non_null(w);
	same_held_and_streamed("gzip", z, n);
	same_held_and_streamed("x-gzip", z, n);
	/* its CRC-32, then its length, wrong */
	memcpy(w, z, n);
	w[n - 8] ^= 0x01;
	same_held_and_streamed("gzip", w, n);
	memcpy(w, z, n);
	w[n - 1] ^= 0x01;
	same_held_and_streamed("gzip", w, n);
	/* cut short, in the trailer and in the data */
	same_held_and_streamed("gzip", z, n - 3);
	same_held_and_streamed("gzip", z, n / 2);
	/* bytes after the end; a second member */
	memcpy(w, z, n);
	memcpy(w + n, "xy", 2);
	same_held_and_streamed("gzip", w, n + 2);
	memcpy(w + n, z, n);
	same_held_and_streamed("gzip", w, 2 * n);
	/* a header CRC (zlib checks it), right and wrong; reserved flags;
	 * another method */
	{
		uint32_t crc;

		memcpy(w, z, 10);
		w[3] |= 0x02;
		crc = (uint32_t)crc32(0, w, 10);
		w[10] = (unsigned char)(crc & 0xff);
		w[11] = (unsigned char)(crc >> 8 & 0xff);
		memcpy(w + 12, z + 10, n - 10);
		same_held_and_streamed("gzip", w, n + 2);
		w[10] ^= 0x01;
		same_held_and_streamed("gzip", w, n + 2);
	}
	memcpy(w, z, n);
	w[3] |= 0x20;
	same_held_and_streamed("gzip", w, n);
	memcpy(w, z, n);
	w[2] = 7;
	same_held_and_streamed("gzip", w, n);
	/* a corrupt block */
	memcpy(w, z, n);
	w[12] ^= 0x55;
	same_held_and_streamed("gzip", w, n);
	free(z);
	/* zlib data called gzip, as libcurl takes it; an empty body */
	z = zcode(text, sizeof(text) - 1, 15, &n);
	same_held_and_streamed("gzip", z, n);
	free(z);
	z = zcode("", 0, 31, &n);
	same_held_and_streamed("gzip", z, n);
	free(z);
	free(w);
}

static void
test_http_codings_refused(void **state)
{
	static const char text[] = "Marlow Docks said the talks had ended.";
	struct buf out = BUF_INIT, err = BUF_INIT;
	unsigned char *zeros = calloc(1, 1 << 20), *z;
	size_t n;

	(void)state;
	assert_non_null(zeros);
	/* a gzip bomb: a megabyte of zeros stops at a 4 KiB cap */
	z = zcode(zeros, 1 << 20, 31, &n);
	assert_true(n < 4096);
	assert_int_equal(fetch__unzip_run("gzip", z, n, 512, 4096, &out, &err),
	    DW_ETOOBIG);
	assert_true(out.len <= 4096 + 1);
	free(z);
	/* a gzip trailer whose CRC-32 is not the text's */
	z = zcode(text, sizeof(text) - 1, 31, &n);
	z[n - 8] ^= 0x01;
	assert_int_equal(fetch__unzip_run("gzip", z, n, n, 1 << 20, &out, &err),
	    DW_ERR);
	assert_non_null(strstr(err.data, "incorrect data check"));
	/* a coding we never ask for */
	buf_reset(&err);
	assert_int_equal(fetch__unzip_run("br", z, n, n, 1 << 20, &out, &err),
	    DW_ERR);
	assert_non_null(strstr(err.data, "Unrecognized content encoding"));
	free(z);
	free(zeros);
	buf_release(&out);
	buf_release(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_address_classes),
		cmocka_unit_test(test_http_codings_undone_piece_by_piece),
		cmocka_unit_test(test_http_codings_refused),
		cmocka_unit_test(test_http_codings_held_as_they_come),
		cmocka_unit_test(test_http_refuses_loopback_however_spelled),
		cmocka_unit_test(test_http_only_http_and_https),
		cmocka_unit_test(test_http_user_agent_names_us),
		cmocka_unit_test(test_http_robots_groups_and_precedence),
		cmocka_unit_test(test_http_robots_wildcards),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
