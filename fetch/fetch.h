/*
 * fetch.h: bytes in from the network or disk, feeds and articles out.
 * Feed parsing and article extraction take bytes and return arena-owned
 * text; the HTTP side fetches with libcurl.
 */
#ifndef DW_FETCH_H
#define DW_FETCH_H

#include "base/base.h"

#define FETCH_MAX_BODY ((size_t)16 << 20)

/*
 * Feeds.
 */
struct feed_entry {
	char *id, *title, *link, *author; /* NULL when absent */
	char *summary, *content;          /* NULL when absent */
	char published[21];               /* "2004-01-01T19:48:21Z"; "" none */
	char updated[21];
	char **categories;
	size_t ncategories;
};

struct feed {
	char format[12];   /* "rss2.0", "atom1.0", ... as CONTRACT.md */
	char encoding[32]; /* the encoding the document was read in */
	char *title, *link, *id;
	struct feed_entry *entries;
	size_t nentries;
	char **warnings; /* "line 12: undefined entity &nbsp; (recovered)" */
	size_t nwarnings;
};

/*
 * Parse one feed document as if fetched from base_url (may be NULL) with
 * the Content-Type content_type (may be NULL). Everything lives in a.
 * DW_EPARSE with a message when it is no feed at all.
 */
int fetch_feed_parse(struct feed *out, struct span doc, const char *base_url,
    const char *content_type, struct arena *a, struct buf *err);

/* The feed as CONTRACT.md's `feed parse` JSON; one entry's object. */
void fetch_feed_json(struct buf *b, const struct feed *f);
void fetch_feed_entry_json(struct buf *b, const struct feed_entry *e);

/*
 * Streaming: push the document in pieces of any size; with on_entry set,
 * each entry is handed to it when complete (valid only during the call;
 * a non-zero return stops the parse) and not kept, so memory does not
 * grow with the feed. encoding: a name chosen by the caller (NULL: chosen
 * from the first 4 KiB as fetch_feed_parse would). a: where the feed's
 * strings live (NULL: the parser's own, freed with it). finish() fills
 * out (without entries when streaming), DW_EPARSE when it is no feed;
 * name is what messages call the document.
 */
struct feed_parser;
struct feed_parser *fetch_feed_parser_new(const char *base_url,
    const char *encoding, int (*on_entry)(const struct feed_entry *e,
    void *arg), void *arg, struct arena *a);
int fetch_feed_parser_push(struct feed_parser *p, const char *data,
    size_t len, int last, struct buf *err);
int fetch_feed_parser_finish(struct feed_parser *p, struct feed *out,
    const char *name, struct buf *err);
void fetch_feed_parser_free(struct feed_parser *p);

/* Feed text (summary or content with markup) as plain text: tags removed,
 * entities decoded, paragraphs kept as blank-line breaks. In a. */
char *fetch_html_to_text(const char *html, size_t len, struct arena *a);

/*
 * Article pages.
 */
struct article_page {
	char *title;     /* NULL when unknown */
	char *canonical; /* absolute URL, NULL when unknown */
	char *published; /* "YYYY-MM-DD" or full timestamp; NULL when unknown */
	char *text;      /* main text, paragraphs separated by "\n" */
};

int fetch_article_extract(struct article_page *out, struct span html,
    const char *url, struct arena *a, struct buf *err);

/*
 * HTTP.
 */
struct fetch_opts {
	long connect_timeout; /* seconds */
	long timeout;         /* seconds for the whole transfer */
	size_t max_body;      /* bytes after decoding */
	int allow_private;    /* allow loopback, private, link-local */
	const char *const *resolve; /* "HOST:PORT:ADDR" entries, NULL-ended */
	const char *etag;           /* conditional GET, may be NULL */
	const char *last_modified;
};

struct fetch_result {
	long status;             /* HTTP status, 0 for a local file */
	struct buf body;         /* decoded body */
	char *content_type;      /* malloc'd, may be NULL */
	char *etag;              /* malloc'd, may be NULL */
	char *last_modified;     /* malloc'd, may be NULL */
	char *effective_url;     /* malloc'd: the URL after redirects */
	char *permanent_url;     /* malloc'd: set when a 301/308 chain ends */
	long retry_after;        /* seconds, 0 when none */
};

void fetch_opts_init(struct fetch_opts *o);
void fetch_result_init(struct fetch_result *r);
void fetch_result_release(struct fetch_result *r);

/*
 * Fetch one URL (http or https) with libcurl. DW_ENOHOST when the name does
 * not resolve, DW_EAGAIN for timeouts and 429/5xx, DW_ETOOBIG past
 * max_body, DW_ERR otherwise; the message names the URL.
 */
int fetch_url(struct fetch_result *out, const char *url,
    const struct fetch_opts *o, struct buf *err);

/* 1 when s looks like an http(s) URL. */
int fetch_is_url(const char *s);

#endif
