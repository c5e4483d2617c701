/*
 * internal.h: what the files of fetch/ share and the rest of the program
 * does not see: one libcurl transfer set up with our policy (http.c), the
 * address policy, and robots.txt (robots.c).
 */
#ifndef DW_FETCH_INTERNAL_H
#define DW_FETCH_INTERNAL_H

#include <curl/curl.h>
#include <sys/socket.h>
#include <zlib.h>

#include "fetch/fetch.h"

/*
 * One transfer: an easy handle configured with the options, its result and
 * the state its callbacks keep. Set up with fetch__xfer_setup(), run by
 * curl_easy_perform() or a multi handle, then fetch__xfer_finish() turns
 * the outcome into a DW_* code and a message, and fetch__xfer_release()
 * frees what setup allocated (not the result, which the caller owns).
 */
/*
 * The body's content coding, undone here rather than by libcurl (which
 * has zlib check each gzip body's CRC-32 at a few instructions a byte):
 * zlib inflates as libcurl would have it, into the result itself, while
 * libdeflate's CRC-32 (several bytes an instruction) checks the gzip
 * trailer. Bytes are decoded as they come, so the cap holds on the
 * decoded body.
 */
enum {
	FETCH_CE_NONE = 0, /* identity */
	FETCH_CE_GZIP,     /* gzip, x-gzip (or zlib data, as libcurl takes) */
	FETCH_CE_DEFLATE,  /* zlib, or raw deflate as some servers send it */
	FETCH_CE_OTHER,    /* anything else, or more than one: refused */
};

struct fetch_unzip {
	int ce;                /* FETCH_CE_* of the response being read */
	int state;             /* 0 not started, 1 nothing out yet, 2 inflating,
	                  * 3 the stream ended */
	int own_check;         /* gzip: its CRC-32 and length checked here */
	int raw;               /* deflate read raw: trailer bytes tolerated */
	int chunked;           /* the response came in chunks */
	uint32_t crc;          /* of the bytes out so far */
	unsigned char tail[8]; /* the last input bytes inflate took */
	size_t ntail;
	size_t skip_ok; /* raw deflate: trailer bytes still tolerated */
	/* deflate: the earlier pieces' bytes while nothing came out yet, to
	 * be read again as raw deflate (npre > sizeof(pre): too many) */
	unsigned char pre[64];
	size_t npre;
	z_stream z;
	/* gzip held whole while it cannot pass the cap, decoded when the
	 * transfer ends (unzip_finish): its bytes and the pieces they came
	 * in, to be decoded in them after all */
	int lazy;    /* held */
	int no_lazy; /* decoded as it comes from now on */
	struct buf held;
	size_t *cuts, ncuts, cutcap;
};

struct fetch_xfer {
	CURL *h;
	struct fetch_result *res;   /* borrowed; filled by the callbacks */
	const struct fetch_opts *o; /* borrowed for the transfer's life */
	char *url;                  /* the URL asked for; owned */
	struct curl_slist *headers;
	struct curl_slist *resolve;
	char errbuf[CURL_ERROR_SIZE];
	char refused[96]; /* "127.0.0.1 (loopback)": a connect was refused */
	int too_big;      /* the write callback passed max_body */
	int nresp;        /* final responses seen (redirect hops + 1) */
	int perm_chain;   /* every hop so far was a 301 or 308 */
	struct fetch_unzip unzip;
	char unzip_err[160]; /* why decoding the body failed, or "" */
};

/*
 * For tests and the fuzz target: the body p..p+n, coded as the
 * Content-Encoding value ce says, decoded as a transfer's write callback
 * decodes it, in pieces of `piece` bytes, capped at max_body. DW_OK with
 * the body in out; DW_ETOOBIG past the cap; DW_ERR with the reason in err.
 */
int fetch__unzip_run(const char *ce, const unsigned char *p, size_t n,
    size_t piece, size_t max_body, struct buf *out, struct buf *err);
int fetch__xfer_setup(struct fetch_xfer *x, const char *url,
    const struct fetch_opts *o, struct fetch_result *res, struct buf *err);
/* The same on a handle an earlier transfer left (curl_easy_reset() is
 * cheaper than a new handle), or a new one when reuse is NULL; the
 * transfer owns reuse from here, whatever it returns. */
int fetch__xfer_setup_on(struct fetch_xfer *x, CURL *reuse, const char *url,
    const struct fetch_opts *o, struct fetch_result *res, struct buf *err);
int fetch__xfer_finish(struct fetch_xfer *x, CURLcode cc, struct buf *err);
void fetch__xfer_release(struct fetch_xfer *x);

/*
 * Append entry to the curl list head..tail in constant time
 * (curl_slist_append walks the whole list: quadratic in the thousand
 * --resolve entries of a benchmark). 0 when out of memory.
 */
int fetch__slist_push(struct curl_slist **head, struct curl_slist **tail,
    const char *entry);

/*
 * The --resolve entries ("HOST:PORT:ADDR", curl's '+' and '-' forms too)
 * as a curl list: all of them, or with hostport ("host:port") only those
 * for it. NULL when none; free with curl_slist_free_all().
 */
struct curl_slist *fetch__resolve_list(const char *const *resolve,
    const char *hostport);

/*
 * The address policy: a short name for the class of a socket address that
 * must not be connected to without --allow-private ("loopback", "private",
 * "link-local", ...), or NULL when it is a public address. IPv4-mapped and
 * IPv4-compatible IPv6 addresses are judged as the IPv4 address they hold.
 */
const char *fetch__addr_class(const struct sockaddr *sa);

/*
 * robots.txt as RFC 9309 has it: the groups for our product token (else
 * the '*' group), allow and disallow rules with '*' and '$', the longest
 * match winning and allow winning a tie. Crawl-delay is kept as a hint.
 */
struct fetch_robots;

/* Parse a robots.txt body for the product token agent ("dealwire"). */
struct fetch_robots *fetch__robots_parse(struct span txt, const char *agent);
/* A robots.txt that allows everything (4xx) or nothing (unreachable). */
struct fetch_robots *fetch__robots_all(int allow);
/* 1 when path (path and query of a URL, "/" at least) may be fetched. */
int fetch__robots_allowed(const struct fetch_robots *r, const char *path);
/* Crawl-delay in seconds, 0 when none was given. */
double fetch__robots_delay(const struct fetch_robots *r);
void fetch__robots_free(struct fetch_robots *r);

#endif
