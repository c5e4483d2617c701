/*
 * crawler.c: many transfers over the libcurl multi interface, politely:
 * `jobs` at once but one per host, a rest between requests to a host,
 * longer after 429/503 (Retry-After) or when robots.txt asks, robots.txt
 * fetched once per host and obeyed, and a budget for the whole run. What
 * to do with the bytes is the caller's business (its done callback).
 */
#include <curl/curl.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fetch/internal.h"

/* RFC 9309 2.5 asks for at least 500 KiB to be read. */
#define ROBOTS_BODY_MAX ((size_t)512 << 10)
/* A Retry-After or Crawl-delay never rests a host longer than this. */
#define HOST_REST_MAX 86400.0
/* 429 or 503 without Retry-After rests the host this long. */
#define HOST_REST_DEFAULT 60.0

struct req {
	char *url;
	char *path; /* path and query, for robots.txt */
	char *etag, *last_modified;
	fetch_done_fn *done; /* NULL for the host's robots.txt */
	void *arg;
	struct host *host;
	struct req *next;          /* in the host's queue */
	struct req *rprev, *rnext; /* in the running list */
	struct fetch_opts opts; /* the crawl's, with this request's headers */
	int clamped;            /* its timeout was cut to the run's budget */
	struct fetch_xfer x;
	struct fetch_result res;
};

struct host {
	char *key;               /* "scheme://host:port", lower case */
	struct req *head, *tail; /* waiting, in order added */
	int busy;                /* a transfer to it is running */
	int robots_state;        /* 0 not fetched, 1 fetching, 2 known */
	struct fetch_robots *robots;
	double ready_at;      /* monotonic seconds it may be asked again */
	double rest;          /* seconds between requests */
	const char *rest_why; /* "HTTP 429" when resting for the server */
	struct curl_slist *resolve; /* its own --resolve entries */
	char *robots_body;          /* the answer worth keeping, malloc'd */
	size_t robots_len;
	long robots_status;  /* 0 when nothing to keep */
	int64_t robots_time; /* Unix seconds it was fetched */
	struct host *hnext;  /* hash chain */
};

struct fetch_crawler {
	struct fetch_crawl_opts o;
	CURLM *multi;
	struct host **table; /* hash of hosts by key */
	size_t tsize;
	struct host **hosts; /* in order first seen, for fair scheduling */
	size_t nhosts, hcap, next_host;
	struct req *run; /* transfers running */
	size_t running, queued, done, total;
	double start, deadline;
	uint64_t bytes;
	int resolve_loaded; /* the multi handle's DNS cache has them all */
	struct rkey *rkeys; /* the --resolve entries by host, sorted */
	size_t nrkeys;
	int (*turn)(void *arg); /* the caller's work on each turn */
	void *turn_arg;
	/* Easy handles finished transfers left, for the next ones (making
	 * and freeing one cost more than resetting it). */
	CURL *spare[64];
	size_t nspare;
};

/* A --resolve entry under its "host:port", lower case. */
struct rkey {
	char *key;
	const char *entry;
	size_t order; /* as given: entries for one host keep their order */
};

static double
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
fetch_crawl_opts_init(struct fetch_crawl_opts *o)
{
	memset(o, 0, sizeof(*o));
	fetch_opts_init(&o->http);
	o->jobs = 8;
	o->host_delay = 1.0;
	o->budget = 600;
	o->robots = 1;
}

static int
rkey_cmp(const void *a, const void *b)
{
	const struct rkey *x = a, *y = b;
	int d = strcmp(x->key, y->key);

	return d ? d : x->order < y->order ? -1 : x->order > y->order;
}

/*
 * The --resolve entries sorted by their "host:port" (curl's '+' and '-'
 * forms too), so that each host finds its own at once: scanning them all
 * for each of a thousand hosts cost a million comparisons.
 */
static void
rkeys_build(struct fetch_crawler *c)
{
	const char *const *v = c->o.http.resolve;
	size_t n = 0;

	while (v && v[n])
		n++;
	c->rkeys = xcalloc(n ? n : 1, sizeof(*c->rkeys));
	for (size_t i = 0; i < n; i++) {
		const char *e = v[i] + (*v[i] == '+' || *v[i] == '-');
		const char *colon = *e == '[' ? strchr(e, ']') : e;
		size_t len;

		colon = colon ? strchr(colon, ':') : NULL;
		colon = colon ? strchr(colon + 1, ':') : NULL;
		len = colon ? (size_t)(colon - e) : strlen(e);
		c->rkeys[c->nrkeys].key = xstrndup(e, len);
		for (char *k = c->rkeys[c->nrkeys].key; *k; k++)
			*k = (char)(*k >= 'A' && *k <= 'Z' ? *k + 32 : *k);
		c->rkeys[c->nrkeys].entry = v[i];
		c->rkeys[c->nrkeys].order = i;
		c->nrkeys++;
	}
	qsort(c->rkeys, c->nrkeys, sizeof(*c->rkeys), rkey_cmp);
}

/* The entries for hostport ("host:port", lower case), as a curl list. */
static struct curl_slist *
rkeys_list(const struct fetch_crawler *c, const char *hostport)
{
	struct curl_slist *head = NULL, *tail = NULL;
	size_t lo = 0, hi = c->nrkeys;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(c->rkeys[mid].key, hostport) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < c->nrkeys && !strcmp(c->rkeys[lo].key, hostport); lo++)
		if (!fetch__slist_push(&head, &tail, c->rkeys[lo].entry))
			break;
	return head;
}

struct fetch_crawler *
fetch_crawler_new(const struct fetch_crawl_opts *o)
{
	struct fetch_crawler *c = xcalloc(1, sizeof(*c));

	c->o = *o;
	if (c->o.jobs < 1)
		c->o.jobs = 1;
	c->tsize = 256;
	c->table = xcalloc(c->tsize, sizeof(*c->table));
	curl_global_init(CURL_GLOBAL_DEFAULT);
	/*
	 * libxml2's global set-up (its encoding handlers among others) is
	 * not reentrant: done here, on the thread that starts the crawl,
	 * before any worker parses a feed or a page. Two workers doing it at
	 * once lost one of the handler tables (LeakSanitizer saw it).
	 */
	xmlInitParser();
	c->multi = curl_multi_init();
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
	curl_multi_setopt(c->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    (long)c->o.jobs);
	c->start = now_mono();
	c->deadline = c->start + c->o.budget;
	if (c->o.http.resolve)
		rkeys_build(c);
	return c;
}

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static void
rehash(struct fetch_crawler *c)
{
	size_t n = c->tsize * 2;
	struct host **t = xcalloc(n, sizeof(*t));

	for (size_t i = 0; i < c->nhosts; i++) {
		struct host *h = c->hosts[i];
		size_t k = hash_str(h->key) & (n - 1);

		h->hnext = t[k];
		t[k] = h;
	}
	free(c->table);
	c->table = t;
	c->tsize = n;
}

static struct host *
host_get(struct fetch_crawler *c, const char *key)
{
	size_t k = hash_str(key) & (c->tsize - 1);
	struct host *h;

	for (h = c->table[k]; h; h = h->hnext)
		if (strcmp(h->key, key) == 0)
			return h;
	h = xcalloc(1, sizeof(*h));
	h->key = xstrdup(key);
	if (c->nrkeys) {
		const char *hp = strstr(key, "://");

		h->resolve = rkeys_list(c, hp ? hp + 3 : key);
	}
	h->rest = c->o.host_delay;
	h->robots_state = c->o.robots ? 0 : 2;
	h->hnext = c->table[k];
	c->table[k] = h;
	if (c->nhosts == c->hcap) {
		c->hcap = c->hcap ? c->hcap * 2 : 64;
		c->hosts = xreallocarray(c->hosts, c->hcap, sizeof(*c->hosts));
	}
	c->hosts[c->nhosts++] = h;
	if (c->nhosts > c->tsize)
		rehash(c);
	return h;
}

/*
 * Split url into its host key ("http://example.com:80") and its path and
 * query, with curl's own URL parser so that we see what it will fetch.
 */
static int
split_url(const char *url, struct buf *key, char **path)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *p = NULL, *q = NULL;
	int rc = DW_ERR;

	if (!u)
		return DW_ERR;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	        CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &p, 0) != CURLUE_OK)
		goto out;
	curl_url_get(u, CURLUPART_QUERY, &q, 0);
	for (char *s = host; *s; s++)
		*s = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
	buf_reset(key);
	buf_addf(key, "%s://%s:%s", scheme, host, port);
	if (q) {
		struct buf b = BUF_INIT;

		buf_addf(&b, "%s?%s", p, q);
		*path = buf_detach(&b, NULL);
	} else {
		*path = xstrdup(p);
	}
	rc = DW_OK;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(p);
	curl_free(q);
	curl_url_cleanup(u);
	return rc;
}

static void
req_free(struct req *r)
{
	fetch__xfer_release(&r->x);
	fetch_result_release(&r->res);
	free(r->url);
	free(r->path);
	free(r->etag);
	free(r->last_modified);
	free(r);
}

static void
enqueue(struct host *h, struct req *r)
{
	r->host = h;
	r->next = NULL;
	if (h->tail)
		h->tail->next = r;
	else
		h->head = r;
	h->tail = r;
}

/* Finish a request without a transfer: call back with rc and message. */
static void
complete(struct fetch_crawler *c, struct req *r, int rc, const struct buf *err)
{
	c->done++;
	if (r->done)
		r->done(&r->res, rc, err, r->arg);
	req_free(r);
}

void
fetch_crawler_add(struct fetch_crawler *c, const char *url, const char *etag,
    const char *last_modified, fetch_done_fn *done, void *arg)
{
	struct req *r = xcalloc(1, sizeof(*r));
	struct buf key = BUF_INIT, err = BUF_INIT;

	r->url = xstrdup(url);
	r->etag = etag && *etag ? xstrdup(etag) : NULL;
	r->last_modified =
	    last_modified && *last_modified ? xstrdup(last_modified) : NULL;
	r->done = done;
	r->arg = arg;
	fetch_result_init(&r->res);
	c->total++;
	if (!fetch_is_url(url) || split_url(url, &key, &r->path) != DW_OK) {
		buf_setf(&err, "cannot fetch '%s': not an http or https URL",
		    url);
		complete(c, r, DW_EUSAGE, &err);
	} else {
		enqueue(host_get(c, key.data), r);
		c->queued++;
	}
	buf_release(&key);
	buf_release(&err);
}

static void
start(struct fetch_crawler *c, struct req *r, double now)
{
	struct buf err = BUF_INIT;
	double left = c->deadline - now;
	int rc;

	r->opts = c->o.http;
	r->opts.etag = r->etag;
	r->opts.last_modified = r->last_modified;
	/* No transfer outlives the run's budget. */
	if (left < (double)r->opts.timeout) {
		r->opts.timeout = left < 1 ? 1 : (long)left;
		r->clamped = 1;
	}
	if (left < (double)r->opts.connect_timeout)
		r->opts.connect_timeout = left < 1 ? 1 : (long)left;
	if (!r->done) {
		r->opts.max_body = ROBOTS_BODY_MAX;
		r->opts.accept = "text/plain";
	}
	/*
	 * --resolve: the first transfer loads every entry into the multi
	 * handle's DNS cache, where they stay for the run (and serve
	 * redirects to other hosts); later ones carry only their host's, as
	 * loading a thousand entries for each transfer would cost more than
	 * the transfer.
	 */
	if (c->resolve_loaded)
		r->opts.resolve = NULL;
	rc = fetch__xfer_setup_on(&r->x,
	    c->nspare ? c->spare[--c->nspare] : NULL, r->url, &r->opts, &r->res,
	    &err);
	if (rc != DW_OK) {
		r->host->busy = 0;
		complete(c, r, rc, &err);
		buf_release(&err);
		return;
	}
	curl_easy_setopt(r->x.h, CURLOPT_PRIVATE, r);
	/*
	 * A name resolved once serves the whole run (a budget's minutes):
	 * with a timeout, libcurl walks its whole DNS cache at the end of
	 * every transfer to drop stale entries, and a crawl of a thousand
	 * hosts holds a thousand (18,000 instructions a transfer).
	 */
	curl_easy_setopt(r->x.h, CURLOPT_DNS_CACHE_TIMEOUT, -1L);
	if (c->resolve_loaded && r->host->resolve)
		curl_easy_setopt(r->x.h, CURLOPT_RESOLVE, r->host->resolve);
	if (curl_multi_add_handle(c->multi, r->x.h) == CURLM_OK)
		c->resolve_loaded = 1;
	r->host->busy = 1;
	r->rprev = NULL;
	r->rnext = c->run;
	if (c->run)
		c->run->rprev = r;
	c->run = r;
	c->running++;
	buf_release(&err);
}

static void
start_robots(struct fetch_crawler *c, struct host *h, double now)
{
	struct req *r = xcalloc(1, sizeof(*r));
	struct buf u = BUF_INIT;

	buf_addf(&u, "%s/robots.txt", h->key);
	r->url = buf_detach(&u, NULL);
	r->path = xstrdup("/robots.txt");
	r->host = h;
	fetch_result_init(&r->res);
	h->robots_state = 1;
	start(c, r, now);
}

/* Fail every request waiting for h, with one message each. */
static void
drain_host(struct fetch_crawler *c, struct host *h, int rc, const char *why,
    int budget)
{
	struct buf err = BUF_INIT;

	while (h->head) {
		struct req *r = h->head;

		h->head = r->next;
		if (!h->head)
			h->tail = NULL;
		c->queued--;
		r->res.budget = budget;
		buf_setf(&err, "cannot fetch '%s': %s", r->url, why);
		complete(c, r, rc, &err);
	}
	buf_release(&err);
}

/*
 * Start the host's next request that robots.txt allows (failing those it
 * does not); 1 when one started. The host is free, ready and its
 * robots.txt known.
 */
static int
host_next(struct fetch_crawler *c, struct host *h, double now)
{
	while (h->head) {
		struct req *r = h->head;
		struct buf err = BUF_INIT;

		h->head = r->next;
		if (!h->head)
			h->tail = NULL;
		c->queued--;
		if (!h->robots || fetch__robots_allowed(h->robots, r->path)) {
			start(c, r, now);
			return 1;
		}
		buf_setf(&err, "cannot fetch '%s': disallowed by robots.txt",
		    r->url);
		complete(c, r, DW_ERR, &err);
		buf_release(&err);
	}
	return 0;
}

/* Start what may start now; return the soonest a waiting host is ready. */
static double
schedule(struct fetch_crawler *c, double now)
{
	double soonest = c->deadline;
	size_t n = c->nhosts;

	for (size_t k = 0; k < n && c->running < (size_t)c->o.jobs; k++) {
		size_t i = (c->next_host + k) % n;
		struct host *h = c->hosts[i];

		if (h->busy || !h->head)
			continue;
		if (h->robots_state == 0) {
			start_robots(c, h, now);
			continue;
		}
		if (h->robots_state == 1)
			continue;
		if (h->ready_at > now) {
			if (h->ready_at < soonest)
				soonest = h->ready_at;
			continue;
		}
		if (host_next(c, h, now))
			c->next_host = (i + 1) % n;
	}
	/* Hosts not reached in the loop above still count for the wait. */
	for (size_t i = 0; i < n; i++) {
		struct host *h = c->hosts[i];

		if (!h->busy && h->head && h->ready_at > now &&
		    h->ready_at < soonest)
			soonest = h->ready_at;
	}
	return soonest;
}

static void
unlink_running(struct fetch_crawler *c, struct req *r)
{
	curl_multi_remove_handle(c->multi, r->x.h);
	if (r->rprev)
		r->rprev->rnext = r->rnext;
	else
		c->run = r->rnext;
	if (r->rnext)
		r->rnext->rprev = r->rprev;
	r->rprev = r->rnext = NULL;
	c->running--;
	r->host->busy = 0;
}

static void
robots_done(struct fetch_crawler *c, struct req *r, int rc,
    const struct buf *err)
{
	struct host *h = r->host;

	/*
	 * RFC 9309 2.3.1: a 4xx means there are no rules; a 5xx or no
	 * answer means assume complete disallow. We do not keep it past the
	 * run, so a server down now is asked again next time.
	 */
	if (rc == DW_OK && r->res.status >= 200 && r->res.status < 300)
		h->robots =
		    fetch__robots_parse(buf_span(&r->res.body), FETCH_AGENT);
	else if (r->res.status >= 400 && r->res.status < 500)
		h->robots = fetch__robots_all(1);
	else
		h->robots = fetch__robots_all(0);
	h->robots_state = 2;
	if ((rc == DW_OK && r->res.status >= 200 && r->res.status < 300) ||
	    (r->res.status >= 400 && r->res.status < 500)) {
		free(h->robots_body);
		h->robots_len = r->res.status < 300 ? r->res.body.len : 0;
		h->robots_body = xstrndup(r->res.body.data, h->robots_len);
		h->robots_status = r->res.status;
		h->robots_time = (int64_t)time(NULL);
	}
	if (fetch__robots_delay(h->robots) > h->rest)
		h->rest = MIN(fetch__robots_delay(h->robots), 60.0);
	if (!fetch__robots_allowed(h->robots, "/") &&
	    !(r->res.status >= 200 && r->res.status < 300)) {
		struct buf why = BUF_INIT;
		const char *reason = strstr(err->data, "': ");

		/* The host's own trouble (refused, no such name) is the feed's
		 * trouble; anything else is robots.txt being unreachable. */
		if (rc == DW_ENOHOST && reason)
			buf_adds(&why, reason + 3);
		else
			buf_setf(&why,
			    "robots.txt unreachable (%s), so "
			    "nothing may be fetched",
			    rc == DW_OK  ? "HTTP error"
			        : reason ? reason + 3
			                 : "no answer");
		drain_host(c, h, rc == DW_ENOHOST ? rc : DW_EAGAIN, why.data,
		    0);
		buf_release(&why);
	}
}

static void
finished(struct fetch_crawler *c, CURLMsg *m, double now)
{
	struct req *r = NULL;
	struct host *h;
	struct buf err = BUF_INIT;
	int rc;

	curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
	unlink_running(c, r);
	h = r->host;
	rc = fetch__xfer_finish(&r->x, m->data.result, &err);
	/* its handle is done with: kept for the next transfer */
	if (c->nspare < countof(c->spare)) {
		c->spare[c->nspare++] = r->x.h;
		r->x.h = NULL;
	}
	c->bytes += r->res.bytes_in;
	if (!r->done) {
		/* robots.txt: the host's first request follows at once, on
		 * the connection robots.txt came over, before a new host's
		 * transfer takes the free slot and the idle connection is
		 * closed to keep within --jobs. */
		robots_done(c, r, rc, &err);
		req_free(r);
		buf_release(&err);
		if (h->head && !h->busy && h->ready_at <= now &&
		    c->running < (size_t)c->o.jobs)
			host_next(c, h, now);
		return;
	}
	if (rc == DW_EAGAIN && r->clamped && now >= c->deadline - 1) {
		r->res.budget = 1;
		buf_setf(&err,
		    "cannot fetch '%s': run budget of %.0f s used up", r->url,
		    c->o.budget);
	}
	h->ready_at = now + h->rest;
	if (r->res.status == 429 || r->res.status == 503) {
		double wait = r->res.retry_after > 0
		    ? (double)r->res.retry_after
		    : HOST_REST_DEFAULT;

		h->ready_at = now + MIN(wait, HOST_REST_MAX);
		h->rest_why = r->res.status == 429 ? "HTTP 429" : "HTTP 503";
	}
	complete(c, r, rc, &err);
	buf_release(&err);
	/* A host resting past the deadline will not be asked again. */
	if (h->head && h->ready_at >= c->deadline) {
		struct buf why = BUF_INIT;

		if (h->rest_why)
			buf_setf(&why,
			    "not asked: the host answered %s and "
			    "asked us to wait",
			    h->rest_why);
		else
			buf_setf(&why,
			    "not fetched: run budget of %.0f s "
			    "used up",
			    c->o.budget);
		drain_host(c, h, DW_EAGAIN, why.data, !h->rest_why);
		buf_release(&why);
	}
}

/* The budget is spent: stop the transfers, fail what waits. */
static void
stop_all(struct fetch_crawler *c)
{
	struct buf err = BUF_INIT, why = BUF_INIT;

	while (c->run) {
		struct req *r = c->run;

		unlink_running(c, r);
		fetch__xfer_finish(&r->x, CURLE_OPERATION_TIMEDOUT, &err);
		c->bytes += r->res.bytes_in;
		if (!r->done) {
			r->host->robots_state = 2;
			r->host->robots = fetch__robots_all(0);
			req_free(r);
			continue;
		}
		buf_setf(&err,
		    "cannot fetch '%s': run budget of %.0f s used "
		    "up",
		    r->url, c->o.budget);
		r->res.budget = 1;
		complete(c, r, DW_EAGAIN, &err);
	}
	buf_setf(&why, "not fetched: run budget of %.0f s used up",
	    c->o.budget);
	for (size_t i = 0; i < c->nhosts; i++)
		drain_host(c, c->hosts[i], DW_EAGAIN, why.data, 1);
	buf_release(&err);
	buf_release(&why);
}

void
fetch_crawler_run(struct fetch_crawler *c,
    void (*progress)(size_t done, size_t total, void *arg), void *arg)
{
	size_t last_done = (size_t)-1;

	int busy = 0; /* the caller's work may still add requests */

	for (;;) {
		double now = now_mono(), soonest;
		int still = 0, left = 0, wait_ms, ended;
		CURLMsg *m;

		if (now >= c->deadline) {
			stop_all(c);
			break;
		}
		soonest = schedule(c, now);
		if (c->running == 0 && c->queued == 0 && !busy)
			break;
		curl_multi_perform(c->multi, &still);
		ended = 0;
		while ((m = curl_multi_info_read(c->multi, &left)) != NULL) {
			if (m->msg == CURLMSG_DONE) {
				finished(c, m, now_mono());
				ended++;
			}
		}
		if (c->turn) {
			size_t before = c->total;

			busy = c->turn(c->turn_arg);
			ended +=
			    c->total != before; /* schedule what it added */
		}
		if (progress && c->done != last_done) {
			progress(c->done, c->total, arg);
			last_done = c->done;
		}
		if (c->running == 0 && c->queued == 0 && !busy)
			break;
		/* Something ended: a host is free, schedule before waiting. */
		if (ended)
			continue;
		now = now_mono();
		wait_ms = (int)((MIN(soonest, c->deadline) - now) * 1000) + 1;
		if (wait_ms > 1000)
			wait_ms = 1000;
		if (wait_ms < 0)
			wait_ms = 0;
		curl_multi_poll(c->multi, NULL, 0, wait_ms, NULL);
	}
	if (progress)
		progress(c->done, c->total, arg);
}

void
fetch_crawler_on_turn(struct fetch_crawler *c, int (*fn)(void *arg), void *arg)
{
	c->turn = fn;
	c->turn_arg = arg;
}

void
fetch_crawler_wakeup(struct fetch_crawler *c)
{
	curl_multi_wakeup(c->multi);
}

void
fetch_crawler_robots_put(struct fetch_crawler *c, const char *host_key,
    long status, struct span body, int64_t fetched_at)
{
	int64_t now = (int64_t)time(NULL);
	struct host *h;

	if (!c->o.robots || fetched_at > now ||
	    now - fetched_at >= FETCH_ROBOTS_TTL)
		return;
	if (!(status >= 200 && status < 300) &&
	    !(status >= 400 && status < 500))
		return;
	h = host_get(c, host_key);
	if (h->robots_state != 0)
		return;
	h->robots = status < 300 ? fetch__robots_parse(body, FETCH_AGENT)
	                         : fetch__robots_all(1);
	h->robots_state = 2;
	h->robots_body = xstrndup(body.p, status < 300 ? body.len : 0);
	h->robots_len = status < 300 ? body.len : 0;
	h->robots_status = status;
	h->robots_time = fetched_at;
	if (fetch__robots_delay(h->robots) > h->rest)
		h->rest = MIN(fetch__robots_delay(h->robots), 60.0);
}

void
fetch_crawler_robots_each(struct fetch_crawler *c,
    void (*fn)(const char *host_key, long status, struct span body,
        int64_t fetched_at, void *arg),
    void *arg)
{
	for (size_t i = 0; i < c->nhosts; i++) {
		const struct host *h = c->hosts[i];

		if (h->robots_status)
			fn(h->key, h->robots_status,
			    (struct span){ h->robots_body, h->robots_len },
			    h->robots_time, arg);
	}
}

uint64_t
fetch_crawler_bytes(const struct fetch_crawler *c)
{
	return c->bytes;
}

void
fetch_crawler_free(struct fetch_crawler *c)
{
	if (!c)
		return;
	/* transfers still running first: unlinking one marks its host */
	while (c->run) {
		struct req *r = c->run;

		unlink_running(c, r);
		req_free(r);
	}
	for (size_t i = 0; i < c->nhosts; i++) {
		struct host *h = c->hosts[i];

		while (h->head) {
			struct req *r = h->head;

			h->head = r->next;
			req_free(r);
		}
		fetch__robots_free(h->robots);
		curl_slist_free_all(h->resolve);
		free(h->robots_body);
		free(h->key);
		free(h);
	}
	free(c->hosts);
	free(c->table);
	for (size_t i = 0; i < c->nrkeys; i++)
		free(c->rkeys[i].key);
	free(c->rkeys);
	while (c->nspare)
		curl_easy_cleanup(c->spare[--c->nspare]);
	curl_multi_cleanup(c->multi);
	free(c);
}
