/*
 * feed_internal.h: what the feed parser's files share: dates, URL joining,
 * character encodings and HTML entities. Not for other modules.
 */
#ifndef DW_FEED_INTERNAL_H
#define DW_FEED_INTERNAL_H

#include <stdint.h>

#include "fetch/fetch.h"

/*
 * Dates (feed_date.c). Read a feed date the way feedparser's handlers do
 * (W3CDTF, RFC 822, ISO 8601, asctime, Perforce, Hungarian, Greek and
 * Korean forms) and write it as "YYYY-MM-DDTHH:MM:SSZ" into out. DW_OK,
 * or DW_EPARSE when s is no date; never the current time.
 */
int feed__parse_date(char out[21], const char *s, size_t n);

/*
 * URLs (feed_url.c). Resolve ref against base as Python's urljoin does
 * (RFC 3986, for the schemes that allow relative references); either may
 * be NULL or empty. The result is in a.
 */
char *feed__url_join(const char *base, const char *ref, struct arena *a);
/* 1 when feed__url_join(any base, ref) is ref itself (a plain absolute
 * http or https URL). */
int feed__url_plain(const char *ref);
/* 1 when the URL's scheme is one a feed may use as a base. */
int feed__url_safe(const char *url);

/*
 * Encodings (feed_encoding.c).
 */
struct feed_enc {
	char name[32];     /* as feedparser names it: "utf-8", "us-ascii" */
	size_t skip;       /* bytes of byte-order mark to drop */
	int declared_diff; /* 1 when the first choice did not decode */
	char first[32];    /* the first choice (RFC 3023's answer) */
	char xml[32];      /* the XML declaration's, "" when none */
	char http[32];     /* the Content-Type charset, "" when none */
	int utf8_valid;    /* name is UTF-8 and the whole document valid */
};

/*
 * Choose the encoding of doc in RFC 3023 order (byte-order mark, the
 * charset of content_type, the XML declaration), trying candidates until
 * one decodes the whole document without error, as feedparser does.
 * Never fails: iso-8859-2 decodes anything.
 */
void feed__choose_encoding(struct feed_enc *out, struct span doc,
    const char *content_type);

/* The bytes of byte-order mark at the start of doc (what
 * feed__choose_encoding() drops), 0 when none. */
size_t feed__bom_skip(struct span doc);

/* 1 when the bytes are valid UTF-8. */
int feed__utf8_valid(const char *p, size_t n);
/* Append code point c as UTF-8. */
void feed__utf8_put(struct buf *b, uint32_t c);

/*
 * An incremental decoder from a named encoding to UTF-8. Bytes that are
 * not valid in the encoding are replaced (by their windows-1252 meaning in
 * UTF-8 input, by U+FFFD otherwise) and counted in bad.
 */
struct feed_decoder {
	void *cd; /* iconv_t, or NULL for UTF-8 pass-through */
	unsigned char
	    pend[8]; /* an incomplete sequence kept for the next call */
	size_t npend;
	size_t bad; /* bytes replaced so far */
};

int feed__decoder_open(struct feed_decoder *d, const char *enc);
/* Append the UTF-8 for in to out; last flushes what is pending. */
void feed__decoder_run(struct feed_decoder *d, struct buf *out, const char *in,
    size_t n, int last);
void feed__decoder_close(struct feed_decoder *d);
/* The UTF-8 for in: in itself when it is valid and complete UTF-8 already
 * (nothing copied), else what feed__decoder_run makes of it, in out. */
struct span feed__decoder_span(struct feed_decoder *d, struct buf *out,
    const char *in, size_t n, int last);

/*
 * Text repair that feedparser applies to every text value, whatever the
 * document's encoding (its parser always runs on UTF-8): text that was
 * UTF-8 read as Latin-1 and encoded again is undone; C1 controls become
 * their windows-1252 characters. In a.
 */
char *feed__fix_text(const char *s, size_t n, struct arena *a);

/*
 * An attribute value from libxml2's SAX2 without entity substitution, in
 * a: it writes "&amp;" as "&#38;" (for a tree to write back), undone here.
 */
char *feed__attr_value(const char *p, const char *end, struct arena *a);

/* The UTF-8 for an HTML 4 named entity, NULL when there is none. */
const char *feed__html_entity(const char *name, size_t n, char tmp[8]);

#endif
