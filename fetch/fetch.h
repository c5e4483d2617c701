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

/*
 * The base URL of a fetched feed: its Content-Location (may be NULL)
 * resolved against the URL it was fetched from, as feedparser does, or the
 * URL alone when that is missing or its scheme is unsafe (javascript:).
 * In a; NULL when both are NULL.
 */
char *fetch_feed_base(const char *doc_url, const char *content_location,
    struct arena *a);

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
    const char *encoding,
    int (*on_entry)(const struct feed_entry *e, void *arg), void *arg,
    struct arena *a);
int fetch_feed_parser_push(struct feed_parser *p, const char *data, size_t len,
    int last, struct buf *err);
int fetch_feed_parser_finish(struct feed_parser *p, struct feed *out,
    const char *name, struct buf *err);
void fetch_feed_parser_free(struct feed_parser *p);

/* Feed text (summary or content with markup) as plain text: tags removed,
 * entities decoded, paragraphs kept as blank-line breaks. In a. */
char *fetch_html_to_text(const char *html, size_t len, struct arena *a);

/*
 * Feed lists. OPML outlines with a feed URL (xmlUrl), at any depth; the
 * strings live in a. DW_EPARSE when the document is no OPML, with a
 * message naming name.
 */
struct opml_outline {
	char *url;      /* the feed */
	char *title;    /* title or text; NULL when none */
	char *html_url; /* the site; NULL when none */
};

int fetch_opml_parse(struct opml_outline **out, size_t *n, struct span doc,
    const char *name, struct arena *a, struct buf *err);
/* An OPML 2.0 document listing the feeds. */
void fetch_opml_write(struct buf *b, const char *title,
    const struct opml_outline *v, size_t n);

/*
 * The feeds a web page advertises (<link rel="alternate"> with an RSS,
 * Atom or other feed type), absolute against base_url and the page's
 * <base>, RSS and Atom first; in a. DW_OK with *n == 0 when there is none.
 */
int fetch_feed_discover(char ***out, size_t *n, struct span html,
    const char *base_url, struct arena *a);

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
	long connect_timeout;       /* seconds */
	long timeout;               /* seconds for the whole transfer */
	size_t max_body;            /* bytes after decoding */
	int allow_private;          /* allow loopback, private, link-local */
	const char *const *resolve; /* "HOST:PORT:ADDR" entries, NULL-ended */
	const char *etag;           /* conditional GET, may be NULL */
	const char *last_modified;
	long low_speed_limit; /* bytes per second, below which ... */
	long low_speed_time;  /* ... for this many seconds the transfer fails */
	const char *const *allow_addrs; /* addresses allowed though private,
	                                 * NULL-ended; may be NULL */
	const char *accept;             /* Accept header, may be NULL */
};

struct fetch_result {
	long status;         /* HTTP status, 0 for a local file */
	struct buf body;     /* decoded body */
	char *content_type;  /* malloc'd, may be NULL */
	char *etag;          /* malloc'd, may be NULL */
	char *last_modified; /* malloc'd, may be NULL */
	char *effective_url; /* malloc'd: the URL after redirects */
	char *permanent_url; /* malloc'd: set when a 301/308 chain ends */
	long retry_after;    /* seconds, 0 when none */
	uint64_t bytes_in;   /* header and body bytes as received */
	int budget;          /* crawler: not done, the run's time is up */
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

/* The User-Agent we send: product token, version and a URL to read about
 * the crawler. */
#define FETCH_AGENT "dealwire"
#define FETCH_HOMEPAGE "https://github.com/dealwire/dealwire"
const char *fetch_user_agent(void);

/*
 * The crawler: many URLs over the libcurl multi interface, politely. At
 * most `jobs` transfers at once and one per host; a host gets host_delay
 * seconds of rest between requests, longer when it answered 429 or 503 or
 * its robots.txt asks for a Crawl-delay; robots.txt is fetched once per
 * host and obeyed; the whole run stops at `budget` seconds, and whatever
 * had not finished by then completes with DW_EAGAIN.
 */
struct fetch_crawl_opts {
	struct fetch_opts http; /* for every transfer; etag fields unused */
	int jobs;               /* transfers at once, >= 1 */
	double host_delay;      /* seconds between requests to one host */
	double budget;          /* seconds for the whole run */
	int robots;             /* 1: fetch and obey robots.txt */
};

/*
 * Called once for each request added, from fetch_crawler_run(), with the
 * result (status 304 for not modified), a DW_* code and, when it is not
 * DW_OK, a message in err. The result is the callback's to read; it is
 * released after the callback returns. The callback may add requests.
 */
struct fetch_crawler;
typedef void fetch_done_fn(struct fetch_result *res, int rc,
    const struct buf *err, void *arg);

void fetch_crawl_opts_init(struct fetch_crawl_opts *o);
/* o is copied; the strings it points to must outlive the crawler. */
struct fetch_crawler *fetch_crawler_new(const struct fetch_crawl_opts *o);
/* Queue a GET of url, conditional when etag or last_modified is given;
 * both are copied. Requests to one host are made in the order added. */
void fetch_crawler_add(struct fetch_crawler *c, const char *url,
    const char *etag, const char *last_modified, fetch_done_fn *done,
    void *arg);
/* Run until every request is done or the budget is spent. progress, when
 * not NULL, is called now and then with the requests done and queued. */
void fetch_crawler_run(struct fetch_crawler *c,
    void (*progress)(size_t done, size_t total, void *arg), void *arg);
/*
 * robots.txt answers outlive a run, as RFC 9309 2.4 allows for up to 24
 * hours, so a crawl every fifteen minutes does not ask each host every
 * time. Seed the crawler with put before adding requests (answers older
 * than a day are ignored); after the run, each hands over every answer
 * worth keeping: status 2xx with its body, or 4xx (no rules).
 */
#define FETCH_ROBOTS_TTL 86400
void fetch_crawler_robots_put(struct fetch_crawler *c, const char *host_key,
    long status, struct span body, int64_t fetched_at);
void fetch_crawler_robots_each(struct fetch_crawler *c,
    void (*fn)(const char *host_key, long status, struct span body,
        int64_t fetched_at, void *arg),
    void *arg);

/*
 * Work the caller hands to other threads: fetch_crawler_run() calls fn on
 * every turn of its loop (after the finished transfers' callbacks), and
 * fetch_crawler_wakeup(), which any thread may call, makes the next turn
 * come at once instead of after the wait for the network. fn may add
 * requests; it returns non-zero while work it handed out may still add
 * some, and the run then goes on (waiting, not spinning) though no
 * request is left.
 */
void fetch_crawler_on_turn(struct fetch_crawler *c, int (*fn)(void *arg),
    void *arg);
void fetch_crawler_wakeup(struct fetch_crawler *c);

/* Bytes received in all transfers (headers and bodies, as on the wire). */
uint64_t fetch_crawler_bytes(const struct fetch_crawler *c);
void fetch_crawler_free(struct fetch_crawler *c);

#endif
