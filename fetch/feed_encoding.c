/*
 * feed_encoding.c: which encoding a feed is in (RFC 3023 order, as
 * feedparser decides it), decoding it to UTF-8 with iconv, and the text
 * repairs feedparser makes. Does not parse XML.
 */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <libxml/HTMLparser.h>

#include "fetch/feed_internal.h"

/* clang-format off */
/* windows-1252 for bytes 0x80 to 0x9f; 0 where it defines none. */
static const uint16_t cp1252_hi[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};
/* clang-format on */

int
feed__utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t k;

		if (p[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_seq_len(p + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

void
feed__utf8_put(struct buf *b, uint32_t c)
{
	char t[4];

	if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		c = 0xfffd;
	if (c < 0x80) {
		buf_addch(b, (int)c);
	} else if (c < 0x800) {
		t[0] = (char)(0xc0 | (c >> 6));
		t[1] = (char)(0x80 | (c & 0x3f));
		buf_add(b, t, 2);
	} else if (c < 0x10000) {
		t[0] = (char)(0xe0 | (c >> 12));
		t[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		t[2] = (char)(0x80 | (c & 0x3f));
		buf_add(b, t, 3);
	} else {
		t[0] = (char)(0xf0 | (c >> 18));
		t[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		t[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		t[3] = (char)(0x80 | (c & 0x3f));
		buf_add(b, t, 4);
	}
}

/*
 * Encoding names: Python's codec names as feeds and feedparser write them,
 * mapped to what iconv knows. Unknown names go to iconv as they are.
 */
static void
iconv_name(char *out, size_t max, const char *name)
{
	/* clang-format off */
	static const struct { const char *py, *iconv; } alias[] = {
		{ "646", "ASCII" }, { "ascii", "ASCII" },
		{ "cp819", "ISO-8859-1" }, { "l1", "ISO-8859-1" },
		{ "latin", "ISO-8859-1" }, { "latin1", "ISO-8859-1" },
		{ "latin-1", "ISO-8859-1" }, { "u16", "UTF-16" },
		{ "u32", "UTF-32" }, { "u8", "UTF-8" }, { "utf", "UTF-8" },
		{ "utf8", "UTF-8" }, { "utf16", "UTF-16" },
		{ "utf32", "UTF-32" }, { "x-sjis", "SHIFT_JIS" },
		{ "sjis", "SHIFT_JIS" }, { "us-ascii", "ASCII" },
		{ "utf-16", "UTF-16LE" }, { "utf-32", "UTF-32LE" },
		{ "cp037", "IBM037" },
	};
	/* clang-format on */
	char low[64];
	size_t n = 0;

	for (; name[n] && n + 1 < sizeof(low); n++)
		low[n] = name[n] == '_' ? '-'
		                        : (char)tolower((unsigned char)name[n]);
	low[n] = '\0';
	for (size_t i = 0; i < countof(alias); i++)
		if (strcmp(low, alias[i].py) == 0) {
			snprintf(out, max, "%s", alias[i].iconv);
			return;
		}
	snprintf(out, max, "%s", low);
}

/* An encoding name is ASCII letters, digits and a few marks; anything
 * else is no name at all (iconv would forgive too much). */
static void
keep_if_name(char *s)
{
	for (const char *c = s; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("-_.:()+", *c)) {
			s[0] = '\0';
			return;
		}
}

static int
is_utf8_name(const char *name)
{
	char n[64];

	iconv_name(n, sizeof(n), name);
	return strcmp(n, "UTF-8") == 0 || strcmp(n, "utf-8") == 0;
}

/* 1 when iconv decodes all of doc from enc without an error. */
static int
decodes(const char *enc, struct span doc)
{
	char name[64], out[4096];
	iconv_t cd;
	char *in = (char *)(uintptr_t)doc.p;
	size_t left = doc.len;
	int ok = 1;

	iconv_name(name, sizeof(name), enc);
	cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return 0;
	while (left) {
		char *o = out;
		size_t ol = sizeof(out);

		if (iconv(cd, &in, &left, &o, &ol) == (size_t)-1 &&
		    errno != E2BIG) {
			ok = 0;
			break;
		}
	}
	if (ok) {
		char *o = out;
		size_t ol = sizeof(out);

		if (iconv(cd, NULL, NULL, &o, &ol) == (size_t)-1)
			ok = 0;
	}
	iconv_close(cd);
	return ok;
}

/*
 * UTF-8 that is mostly right (more valid multibyte sequences than bad
 * bytes) is read as UTF-8 with the bad bytes repaired; 8-bit text that
 * is no UTF-8 at all moves on to the next candidate, as in feedparser.
 */
static size_t skip_ascii(const unsigned char *p, size_t i, size_t n);

static int
utf8_acceptable(struct span doc, int *valid)
{
	const unsigned char *p = (const unsigned char *)doc.p;
	size_t i = 0, good = 0, bad = 0;

	while (i < doc.len) {
		size_t k;

		/* Most feeds are mostly ASCII: skip it many bytes at once. */
		i = skip_ascii(p, i, doc.len);
		if (i >= doc.len)
			break;
		k = utf8_seq_len(p + i, doc.len - i);
		if (k) {
			good++;
			i += k;
		} else {
			bad++;
			i++;
		}
	}
	*valid = bad == 0;
	return bad == 0 || good > bad;
}

/* The XML declaration's encoding, feedparser's regex on the first line. */
static void
xml_decl_encoding(char *out, size_t max, const char *p, size_t n)
{
	const char *nl, *enc = NULL, *end;
	char q;
	size_t k = 0;

	out[0] = '\0';
	if (n < 2 || p[0] != '<' || p[1] != '?')
		return;
	nl = memchr(p, '\n', n);
	if (nl)
		n = (size_t)(nl - p);
	/* the last "?>" on the line ends the match; the first encoding= */
	end = NULL;
	for (size_t i = 2; i + 1 < n; i++)
		if (p[i] == '?' && p[i + 1] == '>')
			end = p + i;
	if (!end)
		return;
	for (const char *c = p + 2; c + 10 < end; c++)
		if (memcmp(c, "encoding=", 9) == 0 &&
		    (c[9] == '"' || c[9] == '\'')) {
			enc = c + 9;
			break;
		}
	if (!enc)
		return;
	q = *enc++;
	(void)q;
	while (enc + k < end && enc[k] != '"' && enc[k] != '\'')
		k++;
	if (enc + k >= end)
		return;
	if (k >= max)
		k = max - 1;
	for (size_t i = 0; i < k; i++)
		out[i] = (char)tolower((unsigned char)enc[i]);
	out[k] = '\0';
}

/* ASCII of a UTF-16 or UTF-32 prefix, enough to read the declaration. */
static size_t
narrow_prefix(char *out, size_t max, const unsigned char *p, size_t n,
    int width, int big)
{
	size_t k = 0;

	for (size_t i = 0; i + (size_t)width <= n && k + 1 < max;
	     i += (size_t)width) {
		unsigned c = big ? p[i + width - 1] : p[i];
		int zero = 1;

		for (int j = 0; j < width; j++)
			if ((big ? j != width - 1 : j != 0) && p[i + j])
				zero = 0;
		if (!zero || c >= 0x80)
			break;
		out[k++] = (char)c;
	}
	out[k] = '\0';
	return k;
}

static void
parse_content_type(const char *ct, char *mime, size_t mmax, char *charset,
    size_t cmax)
{
	const char *semi = strchr(ct, ';');
	size_t n = semi ? (size_t)(semi - ct) : strlen(ct);
	const char *p;

	mime[0] = charset[0] = '\0';
	while (n && isspace((unsigned char)*ct))
		ct++, n--;
	while (n && isspace((unsigned char)ct[n - 1]))
		n--;
	if (n >= mmax)
		n = mmax - 1;
	for (size_t i = 0; i < n; i++)
		mime[i] = (char)tolower((unsigned char)ct[i]);
	mime[n] = '\0';
	for (p = semi; p && *p;) {
		const char *q = strchr(p + 1, ';'), *eq;
		const char *e = q ? q : p + strlen(p);
		const char *k = p + 1, *v;
		size_t kn, vn, w = 0;

		p = q;
		eq = memchr(k, '=', (size_t)(e - k));
		if (!eq)
			continue;
		while (k < eq && isspace((unsigned char)*k))
			k++;
		kn = (size_t)(eq - k);
		while (kn && isspace((unsigned char)k[kn - 1]))
			kn--;
		if (kn != 7 || strncasecmp(k, "charset", 7) != 0)
			continue;
		v = eq + 1;
		while (v < e && isspace((unsigned char)*v))
			v++;
		vn = (size_t)(e - v);
		while (vn && isspace((unsigned char)v[vn - 1]))
			vn--;
		if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
			v++;
			vn -= 2;
		}
		for (size_t i = 0; i < vn && w + 1 < cmax; i++)
			if (v[i] != '\'' && v[i] != '"')
				charset[w++] = v[i];
		charset[w] = '\0';
	}
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/*
 * The encoding a document's first bytes announce (a byte-order mark, or
 * the first characters of "<?" in a wide encoding), "" when none; *skip:
 * the bytes of byte-order mark to drop.
 */
static const char *
bom_of(const unsigned char *p, size_t n, size_t *skip)
{
	const char *bom = "";

	*skip = 0;
	if (n >= 4 && !memcmp(p, "\x00\x00\xfe\xff", 4)) {
		bom = "utf-32be";
		*skip = 4;
	} else if (n >= 4 && !memcmp(p, "\xff\xfe\x00\x00", 4)) {
		bom = "utf-32le";
		*skip = 4;
	} else if (n >= 2 && !memcmp(p, "\xfe\xff", 2) &&
	    !(n >= 4 && !p[2] && !p[3])) {
		bom = "utf-16be";
		*skip = 2;
	} else if (n >= 2 && !memcmp(p, "\xff\xfe", 2) &&
	    !(n >= 4 && !p[2] && !p[3])) {
		bom = "utf-16le";
		*skip = 2;
	} else if (n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) {
		bom = "utf-8";
		*skip = 3;
	} else if (n >= 4 && !memcmp(p, "\x4c\x6f\xa7\x94", 4)) {
		bom = "cp037";
	} else if (n >= 4 && !memcmp(p, "\x00\x3c\x00\x3f", 4)) {
		bom = "utf-16be";
	} else if (n >= 4 && !memcmp(p, "\x3c\x00\x3f\x00", 4)) {
		bom = "utf-16le";
	} else if (n >= 4 && !memcmp(p, "\x00\x00\x00\x3c", 4)) {
		bom = "utf-32be";
	} else if (n >= 4 && !memcmp(p, "\x3c\x00\x00\x00", 4)) {
		bom = "utf-32le";
	}
	return bom;
}

size_t
feed__bom_skip(struct span doc)
{
	size_t skip;

	(void)bom_of((const unsigned char *)doc.p, doc.len, &skip);
	return skip;
}

void
feed__choose_encoding(struct feed_enc *out, struct span doc,
    const char *content_type)
{
	const unsigned char *p = (const unsigned char *)doc.p;
	size_t n = doc.len;
	const char *bom;
	char xml[32] = "", rfc[32] = "";
	char head[512], mime[128], http[32];
	const char *cands[7];
	size_t nc = 0;
	struct span body;

	memset(out, 0, sizeof(*out));
	bom = bom_of(p, n, &out->skip);
	body = (struct span){ doc.p + out->skip, n - out->skip };
	{
		const unsigned char *b = (const unsigned char *)body.p;
		size_t bn = MIN(body.len, (size_t)2048);

		if (!strncmp(bom, "utf-16", 6))
			narrow_prefix(head, sizeof(head), b, bn, 2,
			    bom[6] == 'b');
		else if (!strncmp(bom, "utf-32", 6))
			narrow_prefix(head, sizeof(head), b, bn, 4,
			    bom[6] == 'b');
		else if (!strcmp(bom, "cp037"))
			head[0] = '\0';
		else {
			bn = MIN(bn, sizeof(head) - 1);
			memcpy(head, b, bn);
			head[bn] = '\0';
		}
	}
	xml_decl_encoding(xml, sizeof(xml), head, strlen(head));
	keep_if_name(xml);
	if (bom[0]) {
		static const char *const uni[] = { "u16", "utf-16", "utf16",
			"utf_16", "u32", "utf-32", "utf32", "utf_32",
			"iso-10646-ucs-2", "iso-10646-ucs-4", "csucs4",
			"csunicode", "ucs-2", "ucs-4" };
		for (size_t i = 0; i < countof(uni); i++)
			if (!strcmp(xml, uni[i]))
				snprintf(xml, sizeof(xml), "%s", bom);
	}
	mime[0] = http[0] = '\0';
	if (content_type)
		parse_content_type(content_type, mime, sizeof(mime), http,
		    sizeof(http));
	keep_if_name(http);
	if (!strcmp(mime, "application/xml") ||
	    !strcmp(mime, "application/xml-dtd") ||
	    !strcmp(mime, "application/xml-external-parsed-entity") ||
	    (!strncmp(mime, "application/", 12) && ends_with(mime, "+xml")))
		snprintf(rfc, sizeof(rfc), "%s",
		    http[0]      ? http
		        : xml[0] ? xml
		                 : "utf-8");
	else if (!strncmp(mime, "text/", 5))
		snprintf(rfc, sizeof(rfc), "%s", http[0] ? http : "us-ascii");
	else
		snprintf(rfc, sizeof(rfc), "%s", xml[0] ? xml : "utf-8");
	if (!strcasecmp(rfc, "gb2312"))
		snprintf(rfc, sizeof(rfc), "gb18030");
	if (!strcasecmp(xml, "gb2312"))
		snprintf(xml, sizeof(xml), "gb18030");
	snprintf(out->first, sizeof(out->first), "%s", rfc);
	snprintf(out->xml, sizeof(out->xml), "%s", xml);
	snprintf(out->http, sizeof(out->http), "%s", http);
	cands[nc++] = rfc;
	cands[nc++] = xml;
	cands[nc++] = bom;
	cands[nc++] = "utf-8";
	cands[nc++] = "windows-1252";
	cands[nc++] = "iso-8859-2";
	for (size_t i = 0; i < nc; i++) {
		int seen = 0, ok;

		if (!cands[i][0])
			continue;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(cands[i], cands[j]))
				seen = 1;
		if (seen)
			continue;
		if (is_utf8_name(cands[i]))
			ok = utf8_acceptable(body, &out->utf8_valid);
		else
			ok = decodes(cands[i], body);
		if (!ok)
			continue;
		snprintf(out->name, sizeof(out->name), "%s", cands[i]);
		out->declared_diff = i != 0;
		return;
	}
	snprintf(out->name, sizeof(out->name), "iso-8859-2");
	out->declared_diff = 1;
}

int
feed__decoder_open(struct feed_decoder *d, const char *enc)
{
	char name[64];

	memset(d, 0, sizeof(*d));
	if (is_utf8_name(enc))
		return DW_OK;
	iconv_name(name, sizeof(name), enc);
	d->cd = iconv_open("UTF-8", name);
	if (d->cd == (iconv_t)-1) {
		d->cd = NULL;
		return DW_ERR;
	}
	return DW_OK;
}

void
feed__decoder_close(struct feed_decoder *d)
{
	if (d->cd)
		iconv_close((iconv_t)d->cd);
	d->cd = NULL;
}

/* Index of the first byte at or after i with the high bit set, or n. */
static size_t
skip_ascii(const unsigned char *p, size_t i, size_t n)
{
#ifdef __SSE2__
	/* 64 bytes a turn: a byte's top bit is its sign */
	while (i + 64 <= n) {
		const __m128i *q = (const __m128i *)(const void *)(p + i);
		__m128i v = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(q),
		                             _mm_loadu_si128(q + 1)),
		    _mm_or_si128(_mm_loadu_si128(q + 2),
		        _mm_loadu_si128(q + 3)));

		if (_mm_movemask_epi8(v))
			break;
		i += 64;
	}
#endif
	while (i + 32 <= n) {
		uint64_t w[4];

		memcpy(w, p + i, 32);
		if ((w[0] | w[1] | w[2] | w[3]) & UINT64_C(0x8080808080808080))
			break;
		i += 32;
	}
	while (i + 8 <= n) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		if (w & UINT64_C(0x8080808080808080))
			break;
		i += 8;
	}
	while (i < n && p[i] < 0x80)
		i++;
	return i;
}

/* UTF-8 through, each bad byte as its windows-1252 character. */
static void
run_utf8(struct feed_decoder *d, struct buf *out, const char *in, size_t n,
    int last)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0, run = 0;

	while (i < n) {
		size_t k;

		i = skip_ascii(p, i, n);
		if (i >= n)
			break;
		k = utf8_seq_len(p + i, n - i);
		if (k) {
			i += k;
			continue;
		}
		/* an incomplete sequence at the end waits for more bytes */
		if (!last && n - i < 4 && p[i] >= 0xc2 && p[i] <= 0xf4) {
			size_t j = i + 1;

			while (j < n && (p[j] & 0xc0) == 0x80)
				j++;
			if (j == n) {
				buf_add(out, p + run, i - run);
				memcpy(d->pend, p + i, n - i);
				d->npend = n - i;
				return;
			}
		}
		buf_add(out, p + run, i - run);
		if (p[i] >= 0x80 && p[i] < 0xa0 && cp1252_hi[p[i] - 0x80])
			feed__utf8_put(out, cp1252_hi[p[i] - 0x80]);
		else if (p[i] >= 0xa0)
			feed__utf8_put(out, p[i]);
		else
			feed__utf8_put(out, 0xfffd);
		d->bad++;
		i++;
		run = i;
	}
	buf_add(out, p + run, n - run);
}

static void
run_iconv(struct feed_decoder *d, struct buf *out, const char *in, size_t n,
    int last)
{
	char *ip = (char *)(uintptr_t)in;
	size_t left = n;

	while (left) {
		char *o;
		size_t ol, r;

		if (buf_grow(out, left * 4 + 16) != DW_OK)
			return;
		o = out->data + out->len;
		ol = out->cap - out->len - 1;
		r = iconv((iconv_t)d->cd, &ip, &left, &o, &ol);
		out->len = (size_t)(o - out->data);
		out->data[out->len] = '\0';
		if (r != (size_t)-1)
			continue;
		if (errno == E2BIG)
			continue;
		if (errno == EINVAL && !last && left < sizeof(d->pend)) {
			memcpy(d->pend, ip, left);
			d->npend = left;
			return;
		}
		feed__utf8_put(out, 0xfffd);
		d->bad++;
		ip++;
		left--;
	}
}

void
feed__decoder_run(struct feed_decoder *d, struct buf *out, const char *in,
    size_t n, int last)
{
	struct buf joined = BUF_INIT;

	if (d->npend) {
		/* a sequence straddled the chunks: run it with this one */
		buf_add(&joined, d->pend, d->npend);
		buf_add(&joined, in, n);
		d->npend = 0;
		in = joined.data;
		n = joined.len;
	}
	if (d->cd)
		run_iconv(d, out, in, n, last);
	else
		run_utf8(d, out, in, n, last);
	buf_release(&joined);
}

struct span
feed__decoder_span(struct feed_decoder *d, struct buf *out, const char *in,
    size_t n, int last)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0;

	/* UTF-8 already, valid and complete: nothing to copy. */
	while (!d->cd && !d->npend) {
		size_t k;

		i = skip_ascii(p, i, n);
		if (i >= n)
			return (struct span){ in, n };
		k = utf8_seq_len(p + i, n - i);
		if (!k)
			break;
		i += k;
	}
	buf_reset(out);
	feed__decoder_run(d, out, in, n, last);
	return buf_span(out);
}

/*
 * s[0, n) as UTF-8 text: each byte that starts no UTF-8 sequence becomes
 * U+FFFD (what libxml2 let through broken, one byte of an entity's text
 * in a botched attribute, is no text; the JSON writer has it so too),
 * and with cp1252, C1 controls that are Windows-1252 bytes read as
 * Latin-1 become their characters.
 */
static char *
utf8_repair(const char *s, size_t n, int cp1252, struct arena *a)
{
	const unsigned char *p = (const unsigned char *)s;
	struct buf o = BUF_INIT;
	char *r;

	for (size_t i = 0; i < n; i++) {
		size_t k;

		if (cp1252 && p[i] == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 &&
		    p[i + 1] < 0xa0 && cp1252_hi[p[i + 1] - 0x80]) {
			feed__utf8_put(&o, cp1252_hi[p[i + 1] - 0x80]);
			i++;
		} else if (p[i] < 0x80) {
			buf_addch(&o, p[i]);
		} else if ((k = utf8_seq_len(p + i, n - i)) != 0) {
			buf_add(&o, p + i, k);
			i += k - 1;
		} else {
			buf_adds(&o, "\xef\xbf\xbd");
		}
	}
	r = arena_strndup(a, o.data ? o.data : "", o.len);
	buf_release(&o);
	return r;
}

char *
feed__fix_text(const char *s, size_t n, struct arena *a)
{
	const unsigned char *p = (const unsigned char *)s;
	struct buf b = BUF_INIT;
	size_t i;
	int high = 0, latin = 1;
	char *r;

	if (skip_ascii(p, 0, n) == n)
		return arena_strndup(a, s, n);
	/* Undo UTF-8 read as Latin-1: every code point below U+0100. */
	for (i = 0; i < n && latin;) {
		if (p[i] < 0x80) {
			i++;
		} else if ((p[i] == 0xc2 || p[i] == 0xc3) && i + 1 < n &&
		    (p[i + 1] & 0xc0) == 0x80) {
			high = 1;
			i += 2;
		} else {
			latin = 0;
		}
	}
	if (latin && high) {
		for (i = 0; i < n; i++) {
			if (p[i] < 0x80) {
				buf_addch(&b, p[i]);
			} else {
				buf_addch(&b,
				    ((p[i] & 0x1f) << 6) | (p[i + 1] & 0x3f));
				i++;
			}
		}
		if (feed__utf8_valid(b.data, b.len)) {
			s = b.data;
			n = b.len;
		} else {
			buf_reset(&b);
		}
	}
	r = utf8_repair(s, n, 1, a);
	buf_release(&b);
	return r;
}

const char *
feed__html_entity(const char *name, size_t n, char tmp[8])
{
	char nm[16];
	const htmlEntityDesc *e;
	struct buf b = BUF_INIT;

	if (n == 0 || n >= sizeof(nm))
		return NULL;
	memcpy(nm, name, n);
	nm[n] = '\0';
	e = htmlEntityLookup((const xmlChar *)nm);
	if (!e)
		return NULL;
	feed__utf8_put(&b, e->value);
	memcpy(tmp, b.data, b.len + 1);
	buf_release(&b);
	return tmp;
}

char *
feed__attr_value(const char *p, const char *end, struct arena *a)
{
	size_t n = (size_t)(end - p), o = 0;
	char *r;

	/* libxml2 can leave one byte of an entity's text in an attribute
	 * it recovered from (as in text: feed__fix_text) */
	if (feed__utf8_valid(p, n)) {
		r = arena_strndup(a, p, n);
	} else {
		r = utf8_repair(p, n, 0, a);
		n = r ? strlen(r) : 0;
	}
	if (!r || !memchr(r, '&', n))
		return r;
	for (size_t i = 0; i < n; i++) {
		if (r[i] == '&' && i + 4 < n && !memcmp(r + i, "&#38;", 5)) {
			r[o++] = '&';
			i += 4;
		} else {
			r[o++] = r[i];
		}
	}
	r[o] = '\0';
	return r;
}
