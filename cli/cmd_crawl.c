/*
 * cmd_crawl.c: `dealwire crawl`, made for cron: take the lock beside the
 * database, fetch every feed that is due (politely, through the crawler in
 * fetch/), parse it, fetch the article page of each new teaser item,
 * extract deals and store each article with its deals in one transaction;
 * then one summary line. A failing feed backs off and never stops the
 * others. The feed's ETag is written only after its articles are stored,
 * so a crash loses nothing: the next run fetches it again.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "fetch/fetch.h"

/* Failing feeds wait 5 minutes, then twice as long each time, up to a day. */
#define BACKOFF_BASE 300
#define BACKOFF_MAX 86400
/* A feed item with less text than this is a teaser: fetch the page. */
#define TEASER_MAX 600
/* Each article's work (parsing its page, extracting) stays under this. */
#define ARTICLE_ARENA ((size_t)256 << 20)

static const char crawl_usage[] =
    "usage: dealwire crawl [--jobs N] [--host-delay SECONDS] [--budget "
    "SECONDS]\n"
    "                      [--timeout SECONDS] [--connect-timeout SECONDS]\n"
    "                      [--stall-timeout SECONDS] [--max-body BYTES]\n"
    "                      [--resolve HOST:PORT:ADDR]... [--allow-private]\n"
    "                      [--allow-address ADDR]... [--force] [--new] "
    "[--quiet]\n"
    "                      [--stats] [--progress | --no-progress]\n"
    "\n"
    "Fetch every feed that is due, store new articles and the deals they\n"
    "report, and print one summary line. Made to run from cron: a second\n"
    "crawl while one runs exits at once with status 75; exit 0 when every\n"
    "feed went well, 75 when some failed (they back off: 5 minutes, doubling\n"
    "up to a day). Feeds are http(s) URLs or local files added with\n"
    "'dealwire feed add'.\n"
    "\n"
    "  --jobs N              transfers at once, one per host (default 8)\n"
    "  --host-delay S        rest between requests to one host (default 1)\n"
    "  --budget S            stop the whole run after S seconds (default "
    "600)\n"
    "  --timeout S           one transfer at most (default 60)\n"
    "  --connect-timeout S   connecting at most (default 10)\n"
    "  --stall-timeout S     fail a transfer slower than 64 bytes/s for S\n"
    "                        seconds (default 30)\n"
    "  --max-body BYTES      largest body, after decompression (default "
    "16M)\n"
    "  --resolve H:P:A       connect to address A for host H, port P, as\n"
    "                        curl's --resolve\n"
    "  --allow-private       allow loopback, private and link-local "
    "addresses\n"
    "  --allow-address A     allow this one address though not public\n"
    "  --force               fetch feeds that are backing off too\n"
    "  --new                 print the deals first seen in this run\n"
    "  --stats               also print bytes received and where the time "
    "went\n"
    "  -q, --quiet           print only errors, and a feed's error only when\n"
    "                        it starts failing or recovers\n"
    "  --progress            a progress bar on standard error (default on a\n"
    "                        terminal)\n"
    "\n"
    "examples:\n"
    "  dealwire crawl\n"
    "  */15 * * * *  dealwire crawl --quiet\n";

struct crawl;

struct feedjob {
	struct crawl *c;
	struct feed_state st; /* as stored; strings in c->list_arena */
	char *prev_error;     /* last_error before this run, malloc'd */
	struct arena a;       /* the parsed feed, while pages are fetched */
	struct feed f;
	char *etag, *last_modified, *moved_to; /* from the response */
	long status;
	int pending; /* article pages still being fetched */
	int failed;  /* some article could not be stored: keep the ETag */
	int local;   /* a file the user added, not a URL */
	const char *old_url; /* before a permanent redirect moved it */
};

struct itemjob {
	struct feedjob *fj;
	size_t entry;
	char *text; /* the feed's own text, malloc'd */
};

struct crawl {
	struct store *st;
	struct extractor *x;
	struct fetch_crawler *fc;
	struct arena list_arena;
	struct arena art; /* one article's scratch */
	int quiet, progress, status;
	int no_rules; /* the rules failed to load (reported once) */
	int64_t now;
	struct buf err;
	size_t fetched, not_modified, failed, deferred, unfinished, nfeeds;
	size_t new_articles, pages, page_fallbacks, article_errors;
	long new_deals, updated_deals;
	int64_t max_deal_before;
	double t_parse, t_text, t_extract, t_store; /* seconds, for --stats */
};

static int64_t
wall_now(void)
{
	return (int64_t)time(NULL);
}

static double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parse a positive number of seconds (fractions allowed). */
static int
parse_seconds(const char *opt, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < 0 || v > 86400 * 7) {
		cli_error("crawl: %s '%s' is not a number of seconds", opt, s);
		return EXIT_USAGE;
	}
	*out = v;
	return 0;
}

/* Bytes with an optional K, M or G suffix. */
static int
parse_bytes(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		goto bad;
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	else if (*end == 'G' || *end == 'g')
		v <<= 30, end++;
	if (*end || v == 0 || v > ((unsigned long long)1 << 32))
		goto bad;
	*out = (size_t)v;
	return 0;
bad:
	cli_error("crawl: --max-body '%s' is not a size (such as 16M)", s);
	return EXIT_USAGE;
}

static int
is_local(const char *url)
{
	return url[0] == '/' || strncmp(url, "file://", 7) == 0;
}

static void
print_feed_error(struct feedjob *fj, const char *msg)
{
	/* --quiet: only when the feed starts failing, not every run. */
	if (fj->c->quiet && fj->prev_error)
		return;
	cli_error("crawl: %s", msg);
}

/* Write the feed's state back; a failure here is the run's failure. */
static void
save_feed(struct feedjob *fj)
{
	struct crawl *c = fj->c;
	int rc = store_feed_update(c->st, &fj->st, &c->err);

	/* Moved for good to a URL that is a feed already: keep both. */
	if (rc == DW_EEXISTS && fj->old_url) {
		cli_error("crawl: feed '%s' moved to '%s', which is a feed "
		          "already; keeping the old address",
		    fj->old_url, fj->st.url);
		fj->st.url = fj->old_url;
		rc = store_feed_update(c->st, &fj->st, &c->err);
	}
	if (rc != DW_OK) {
		cli_error("crawl: %s", c->err.data);
		c->status = MAX(c->status, EXIT_IOERR);
	}
}

static void
feed_failed(struct feedjob *fj, const char *msg, long retry_after)
{
	struct crawl *c = fj->c;
	int64_t wait = BACKOFF_BASE;

	c->failed++;
	print_feed_error(fj, msg);
	fj->st.failures++;
	for (int i = 1; i < fj->st.failures && wait < BACKOFF_MAX; i++)
		wait *= 2;
	if (retry_after > wait)
		wait = retry_after;
	fj->st.last_fetch = c->now;
	fj->st.last_status = fj->status;
	fj->st.last_error = msg;
	fj->st.next_fetch = c->now + MIN(wait, BACKOFF_MAX);
	save_feed(fj);
	fj->st.last_error = NULL;
}

/* Every article of the feed is stored: now the ETag may move on. */
static void
feed_done(struct feedjob *fj)
{
	struct crawl *c = fj->c;

	if (fj->prev_error)
		cli_error("crawl: feed '%s' recovered after %d failed "
		          "fetches",
		    fj->st.url, fj->st.failures);
	if (fj->moved_to) {
		fj->old_url = fj->st.url;
		fj->st.url = fj->moved_to;
	}
	if (!fj->failed) {
		fj->st.etag = fj->etag;
		fj->st.last_modified = fj->last_modified;
	}
	if (fj->f.title && *fj->f.title)
		fj->st.title = fj->f.title;
	fj->st.last_fetch = c->now;
	fj->st.last_status = fj->status;
	fj->st.last_error = NULL;
	fj->st.failures = 0;
	fj->st.next_fetch = 0;
	save_feed(fj);
	arena_release(&fj->a);
	memset(&fj->f, 0, sizeof(fj->f));
}

static void
article_error(struct crawl *c, struct feedjob *fj, int rc)
{
	c->article_errors++;
	if (fj)
		fj->failed = 1;
	cli_error("crawl: %s", c->err.data);
	if (rc == DW_EIO || rc == DW_ECREATE)
		c->status = MAX(c->status, cli_exitcode(rc));
}

/* The date part of a timestamp, for extraction; NULL when none. */
static const char *
ymd(const char *ts, char out[11])
{
	int y, m, d;

	if (!ts || strlen(ts) < 10)
		return NULL;
	memcpy(out, ts, 10);
	out[10] = '\0';
	return date_parse_ymd(out, &y, &m, &d) == DW_OK ? out : NULL;
}

/* Extract and store one article; c->art is its scratch. */
static void
store_article(struct feedjob *fj, const struct feed_entry *e, const char *text,
    const char *title, const char *published)
{
	struct crawl *c = fj->c;
	struct deal_list deals = { NULL, 0 };
	struct article_rec rec;
	char day[11];
	int rc, nd = 0, ud = 0;
	double t;

	memset(&rec, 0, sizeof(rec));
	rec.feed_id = fj->st.id;
	rec.url = e->link;
	rec.guid = e->id;
	rec.title = title;
	rec.published = ymd(published, day);
	rec.text = span_cstr(text);
	/* The rules are compiled when the first article needs them: a run
	 * where every feed answers 304 never does. */
	if (!c->x && !c->no_rules && cli_open_extractor(&c->x) != 0) {
		c->no_rules = 1;
		c->status = MAX(c->status, EXIT_CONFIG);
	}
	if (!c->x) {
		fj->failed = 1;
		return;
	}
	t = mono_now();
	rc = extract_deals(&deals, c->x, rec.text, rec.published, &c->art,
	    &c->err);
	c->t_extract += mono_now() - t;
	if (rc != DW_OK) {
		article_error(c, fj, rc);
		return;
	}
	t = mono_now();
	rc = store_article_put(c->st, &rec, &deals, &nd, &ud, &c->err);
	c->t_store += mono_now() - t;
	if (rc == DW_EEXISTS)
		return;
	if (rc != DW_OK) {
		article_error(c, fj, rc);
		return;
	}
	c->new_articles++;
	c->new_deals += nd;
	c->updated_deals += ud;
}

static int
ends_with(const char *s, size_t n, const char *tail)
{
	size_t k = strlen(tail);

	return n >= k && memcmp(s + n - k, tail, k) == 0;
}

/*
 * A feed item that only teases the article: cut off ("...", "Read
 * more"), or a short summary where the feed has no full content.
 */
static int
is_teaser(const char *text, int full_content)
{
	size_t n = strlen(text);

	while (n && (text[n - 1] == ' ' || text[n - 1] == '\n'))
		n--;
	if (ends_with(text, n, "...") || ends_with(text, n, "\xe2\x80\xa6") ||
	    ends_with(text, n, "[\xe2\x80\xa6]") ||
	    ends_with(text, n, "Read more") ||
	    ends_with(text, n, "Continue reading"))
		return 1;
	return !full_content && n < TEASER_MAX;
}

static void
page_done(struct fetch_result *res, int rc, const struct buf *err, void *arg)
{
	struct itemjob *it = arg;
	struct feedjob *fj = it->fj;
	struct crawl *c = fj->c;
	const struct feed_entry *e = &fj->f.entries[it->entry];
	struct article_page page;
	const char *text = it->text, *title = e->title;
	const char *published = e->published[0] ? e->published : NULL;

	(void)err;
	arena_reset(&c->art);
	c->pages++;
	memset(&page, 0, sizeof(page));
	if (rc == DW_OK && res->status == 200 &&
	    fetch_article_extract(&page, buf_span(&res->body),
	        res->effective_url, &c->art, &c->err) == DW_OK &&
	    page.text && strlen(page.text) > strlen(text)) {
		text = page.text;
		if (!title)
			title = page.title;
		if (!published)
			published = page.published;
	} else {
		/* The page cannot be had: the feed's text will do. */
		c->page_fallbacks++;
	}
	if (*text)
		store_article(fj, e, text, title, published);
	free(it->text);
	free(it);
	if (--fj->pending == 0)
		feed_done(fj);
}

/* An item's HTML as plain text (the feed module's converter). */
static char *
item_text(struct crawl *c, const char *html)
{
	double t = mono_now();
	char *text;

	if (!html || !*html)
		return NULL;
	text = fetch_html_to_text(html, strlen(html), &c->art);
	c->t_text += mono_now() - t;
	return text;
}

static void
process_entry(struct feedjob *fj, size_t i)
{
	struct crawl *c = fj->c;
	const struct feed_entry *e = &fj->f.entries[i];
	const char *html = e->content ? e->content : e->summary;
	const char *text;

	if (!e->link && !e->id)
		return;
	if (store_article_known(c->st, e->link, e->id) == 1)
		return;
	arena_reset(&c->art);
	text = item_text(c, html);
	if (!text)
		text = "";
	/* A local feed is read as it is: its links are not fetched, so
	 * `make run` and the tests never leave the machine. */
	if (!fj->local && e->link && fetch_is_url(e->link) &&
	    is_teaser(text, e->content != NULL)) {
		struct itemjob *it = xcalloc(1, sizeof(*it));

		it->fj = fj;
		it->entry = i;
		it->text = xstrdup(text);
		fj->pending++;
		fetch_crawler_add(c->fc, e->link, NULL, NULL, page_done, it);
		return;
	}
	if (*text)
		store_article(fj, e, text, e->title,
		    e->published[0] ? e->published : NULL);
}

/* A feed document is here: parse it and handle each item. */
static void
feed_body(struct feedjob *fj, struct span body, const char *base,
    const char *ctype)
{
	struct crawl *c = fj->c;
	double t = mono_now();
	int rc;

	arena_init(&fj->a, (size_t)1 << 30);
	rc = fetch_feed_parse(&fj->f, body, base, ctype, &fj->a, &c->err);
	c->t_parse += mono_now() - t;
	if (rc != DW_OK) {
		feed_failed(fj, c->err.data, 0);
		arena_release(&fj->a);
		memset(&fj->f, 0, sizeof(fj->f));
		return;
	}
	c->fetched++;
	/* pending counts this loop too, so pages done early cannot finish
	 * the feed before every item was looked at. */
	fj->pending++;
	for (size_t i = 0; i < fj->f.nentries; i++)
		process_entry(fj, i);
	if (--fj->pending == 0)
		feed_done(fj);
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void
feed_fetched(struct fetch_result *res, int rc, const struct buf *err, void *arg)
{
	struct feedjob *fj = arg;
	struct crawl *c = fj->c;

	fj->status = res->status;
	if (rc == DW_EAGAIN && res->budget) {
		/* Not the feed's fault: it is first in line next time. */
		c->unfinished++;
		return;
	}
	if (rc != DW_OK) {
		feed_failed(fj, err->data, res->retry_after);
		return;
	}
	if (res->status == 304) {
		c->not_modified++;
		/* A 304 may carry fresher validators; else keep ours. */
		fj->etag = dup_or_null(res->etag ? res->etag : fj->st.etag);
		fj->last_modified =
		    dup_or_null(res->last_modified ? res->last_modified
		                                   : fj->st.last_modified);
		feed_done(fj);
		return;
	}
	/* Only a chain of 301 and 308 moves the feed for good. */
	if (res->permanent_url && strcmp(res->permanent_url, fj->st.url) != 0)
		fj->moved_to = xstrdup(res->permanent_url);
	fj->etag = dup_or_null(res->etag);
	fj->last_modified = dup_or_null(res->last_modified);
	feed_body(fj, buf_span(&res->body), res->effective_url,
	    res->content_type);
}

/* A local feed file: its modification time and size stand for an ETag. */
static void
local_feed(struct feedjob *fj)
{
	struct crawl *c = fj->c;
	const char *path = fj->st.url;
	struct buf body = BUF_INIT, tag = BUF_INIT;
	struct stat sb;
	int rc;

	fj->local = 1;
	if (strncmp(path, "file://", 7) == 0)
		path += 7;
	if (stat(path, &sb) != 0) {
		buf_setf(&c->err, "cannot read feed '%s': %s", path,
		    strerror(errno));
		feed_failed(fj, c->err.data, 0);
		return;
	}
	buf_addf(&tag, "file:%lld.%09ld-%lld", (long long)sb.st_mtim.tv_sec,
	    sb.st_mtim.tv_nsec, (long long)sb.st_size);
	if (fj->st.etag && strcmp(fj->st.etag, tag.data) == 0) {
		c->not_modified++;
		fj->etag = buf_detach(&tag, NULL);
		feed_done(fj);
		goto out;
	}
	rc = file_read(&body, path, FETCH_MAX_BODY, &c->err);
	if (rc != DW_OK) {
		feed_failed(fj, c->err.data, 0);
		goto out;
	}
	fj->etag = buf_detach(&tag, NULL);
	feed_body(fj, buf_span(&body), NULL, NULL);
out:
	buf_release(&body);
	buf_release(&tag);
}

static void
show_progress(size_t done, size_t total, void *arg)
{
	struct crawl *c = arg;
	int width = 30, fill;

	if (!c->progress || total == 0)
		return;
	fill = (int)((double)done / (double)total * width);
	fprintf(stderr, "\rcrawl [%.*s%*s] %zu/%zu", fill,
	    "##############################", width - fill, "", done, total);
	fflush(stderr);
}

/*
 * The robots.txt cache beside the database, DB.robots: a first line
 * naming the format, then per host "KEY<TAB>STATUS<TAB>TIME<TAB>LENGTH\n"
 * and LENGTH bytes of robots.txt and "\n". Written to a temporary file and
 * renamed, so a crash leaves the old one; a damaged one is ignored.
 */
#define ROBOTS_MAGIC "dealwire robots cache 1\n"

static void
robots_load(struct fetch_crawler *fc, const char *db)
{
	struct buf path = BUF_INIT, data = BUF_INIT, err = BUF_INIT;
	const char *p, *end;

	buf_addf(&path, "%s.robots", db);
	if (file_read(&data, path.data, (size_t)64 << 20, &err) != DW_OK ||
	    strncmp(data.data, ROBOTS_MAGIC, strlen(ROBOTS_MAGIC)) != 0)
		goto out;
	p = data.data + strlen(ROBOTS_MAGIC);
	end = data.data + data.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		char key[512], *q;
		long status;
		long long when;
		unsigned long long len;
		size_t klen;

		if (!nl)
			break;
		klen = strcspn(p, "\t\n");
		if (klen >= sizeof(key) || p[klen] != '\t')
			break;
		memcpy(key, p, klen);
		key[klen] = '\0';
		errno = 0;
		status = strtol(p + klen + 1, &q, 10);
		if (*q != '\t')
			break;
		when = strtoll(q + 1, &q, 10);
		if (*q != '\t')
			break;
		len = strtoull(q + 1, &q, 10);
		if (errno || q != nl ||
		    len > (unsigned long long)(end - nl - 1))
			break;
		fetch_crawler_robots_put(fc, key, status,
		    (struct span){ nl + 1, (size_t)len }, (int64_t)when);
		p = nl + 1 + len + 1;
	}
out:
	buf_release(&path);
	buf_release(&data);
	buf_release(&err);
}

static void
robots_one(const char *key, long status, struct span body, int64_t when,
    void *arg)
{
	struct buf *b = arg;

	buf_addf(b, "%s\t%ld\t%lld\t%zu\n", key, status, (long long)when,
	    body.len);
	buf_addspan(b, body);
	buf_addch(b, '\n');
}

static void
robots_save(struct fetch_crawler *fc, const char *db)
{
	struct buf path = BUF_INIT, tmp = BUF_INIT, data = BUF_INIT;
	FILE *f;

	buf_adds(&data, ROBOTS_MAGIC);
	fetch_crawler_robots_each(fc, robots_one, &data);
	buf_addf(&path, "%s.robots", db);
	buf_addf(&tmp, "%s.robots.tmp", db);
	f = fopen(tmp.data, "wb");
	/* A cache we cannot write only costs requests next time. */
	if (f) {
		int ok = fwrite(data.data, 1, data.len, f) == data.len;

		if (fclose(f) == 0 && ok && !buf_error(&data))
			rename(tmp.data, path.data);
		else
			unlink(tmp.data);
	}
	buf_release(&path);
	buf_release(&tmp);
	buf_release(&data);
}

/*
 * The lock: flock on DB.lock. The kernel drops it when the process dies,
 * however it dies, so there is never a stale lock to clean up.
 */
static int
take_lock(const char *db, int *fd_out)
{
	struct buf path = BUF_INIT;
	int fd, status = 0;

	buf_addf(&path, "%s.lock", db);
	fd = open(path.data, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		cli_error("crawl: cannot create lock '%s': %s", path.data,
		    strerror(errno));
		status = EXIT_CANTCREAT;
		goto out;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			cli_error("crawl: another crawl is running (lock "
			          "'%s'); try again later",
			    path.data);
		else
			cli_error("crawl: cannot lock '%s': %s", path.data,
			    strerror(errno));
		close(fd);
		fd = -1;
		status = EXIT_TEMPFAIL;
	}
out:
	*fd_out = fd;
	buf_release(&path);
	return status;
}

struct crawl_args {
	struct fetch_crawl_opts o;
	const char **resolve, **allow;
	size_t nresolve, nallow;
	int force, show_new, progress, stats;
};

static int
parse_args(struct crawl_args *ca, int argc, char **argv, struct crawl *c)
{
	/* clang-format off */
	static const struct option longopts[] = {
		{ "allow-address",   required_argument, NULL, 'A' },
		{ "allow-private",   no_argument,       NULL, 'P' },
		{ "budget",          required_argument, NULL, 'b' },
		{ "connect-timeout", required_argument, NULL, 'C' },
		{ "force",           no_argument,       NULL, 'F' },
		{ "help",            no_argument,       NULL, 'h' },
		{ "host-delay",      required_argument, NULL, 'd' },
		{ "jobs",            required_argument, NULL, 'j' },
		{ "max-body",        required_argument, NULL, 'm' },
		{ "new",             no_argument,       NULL, 'n' },
		{ "no-progress",     no_argument,       NULL, 'N' },
		{ "progress",        no_argument,       NULL, 'p' },
		{ "quiet",           no_argument,       NULL, 'q' },
		{ "resolve",         required_argument, NULL, 'r' },
		{ "stats",           no_argument,       NULL, 's' },
		{ "stall-timeout",   required_argument, NULL, 'S' },
		{ "timeout",         required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	/* clang-format on */
	double secs;
	int ch, st;
	char *end;
	long n;

	fetch_crawl_opts_init(&ca->o);
	ca->progress = -1;
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":hj:q", longopts, NULL)) != -1) {
		st = 0;
		switch (ch) {
		case 'A':
			ca->allow = xreallocarray(ca->allow, ca->nallow + 2,
			    sizeof(*ca->allow));
			ca->allow[ca->nallow++] = optarg;
			ca->allow[ca->nallow] = NULL;
			break;
		case 'P':
			ca->o.http.allow_private = 1;
			break;
		case 'b':
			st = parse_seconds("--budget", optarg, &ca->o.budget);
			break;
		case 'C':
			st = parse_seconds("--connect-timeout", optarg, &secs);
			ca->o.http.connect_timeout = secs < 1 ? 1 : (long)secs;
			break;
		case 'F':
			ca->force = 1;
			break;
		case 'h':
			fputs(crawl_usage, stdout);
			return -1;
		case 'd':
			st = parse_seconds("--host-delay", optarg,
			    &ca->o.host_delay);
			break;
		case 'j':
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || *end || n < 1 || n > 256) {
				cli_error("crawl: --jobs '%s' is not a number "
				          "from 1 to 256",
				    optarg);
				return EXIT_USAGE;
			}
			ca->o.jobs = (int)n;
			break;
		case 'm':
			st = parse_bytes(optarg, &ca->o.http.max_body);
			break;
		case 'n':
			ca->show_new = 1;
			break;
		case 'N':
			ca->progress = 0;
			break;
		case 'p':
			ca->progress = 1;
			break;
		case 'q':
			c->quiet = 1;
			break;
		case 'r':
			if (!strchr(optarg, ':') ||
			    !strchr(strchr(optarg, ':') + 1, ':')) {
				cli_error("crawl: --resolve '%s' is not "
				          "HOST:PORT:ADDR",
				    optarg);
				return EXIT_USAGE;
			}
			ca->resolve = xreallocarray(ca->resolve,
			    ca->nresolve + 2, sizeof(*ca->resolve));
			ca->resolve[ca->nresolve++] = optarg;
			ca->resolve[ca->nresolve] = NULL;
			break;
		case 's':
			ca->stats = 1;
			break;
		case 'S':
			st = parse_seconds("--stall-timeout", optarg, &secs);
			ca->o.http.low_speed_time = secs < 1 ? 1 : (long)secs;
			break;
		case 't':
			st = parse_seconds("--timeout", optarg, &secs);
			ca->o.http.timeout = secs < 1 ? 1 : (long)secs;
			break;
		default:
			return cli_bad_option("crawl", ch, argv);
		}
		if (st)
			return st;
	}
	if (optind < argc) {
		cli_error("crawl: unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	ca->o.http.resolve = ca->resolve;
	ca->o.http.allow_addrs = ca->allow;
	ca->o.http.accept = "application/rss+xml, application/atom+xml, "
	                    "text/xml;q=0.9, */*;q=0.8";
	return 0;
}

/* The deals first seen in this run: ids are never reused, so those past
 * the largest id before it. */
static void
show_new(struct crawl *c)
{
	struct deal_filter f;

	memset(&f, 0, sizeof(f));
	f.after_id = c->max_deal_before;
	if (store_export(c->st, stdout, EXPORT_TABLE, &f, &c->err) != DW_OK) {
		cli_error("crawl: %s", c->err.data);
		c->status = MAX(c->status, EXIT_IOERR);
	}
}

static void
summary(struct crawl *c, double secs)
{
	printf("crawl: %zu feeds: %zu fetched, %zu not modified, %zu failed",
	    c->nfeeds, c->fetched, c->not_modified, c->failed);
	if (c->deferred)
		printf(", %zu backing off", c->deferred);
	if (c->unfinished)
		printf(", %zu left for the next run", c->unfinished);
	printf("; %zu new articles; %ld new deals, %ld updated; %.1f s\n",
	    c->new_articles, c->new_deals, c->updated_deals, secs);
}

int
cmd_crawl(int argc, char **argv)
{
	struct crawl_args ca;
	struct crawl c;
	struct feed_state *feeds = NULL;
	struct feedjob *jobs = NULL;
	size_t nfeeds = 0;
	char *db = NULL;
	int lockfd = -1, status;
	double t0 = mono_now();

	memset(&ca, 0, sizeof(ca));
	memset(&c, 0, sizeof(c));
	buf_init(&c.err, 1 << 16);
	arena_init(&c.list_arena, 0);
	arena_init(&c.art, ARTICLE_ARENA);
	status = parse_args(&ca, argc, argv, &c);
	if (status)
		goto out;
	c.quiet |= cli_global.quiet;
	c.progress = ca.progress >= 0 ? ca.progress : isatty(2) && !c.quiet;
	db = cli_db_path();
	status = take_lock(db, &lockfd);
	if (status)
		goto out;
	status = cli_open_store(&c.st);
	if (status)
		goto out;
	if (store_feed_list(c.st, &feeds, &nfeeds, &c.list_arena, &c.err) !=
	    DW_OK) {
		status = cli_fail(DW_EIO, &c.err);
		goto out;
	}
	c.now = wall_now();
	c.max_deal_before = store_deal_last_id(c.st);
	c.fc = fetch_crawler_new(&ca.o);
	robots_load(c.fc, db);
	jobs = xcalloc(nfeeds ? nfeeds : 1, sizeof(*jobs));
	c.nfeeds = nfeeds;
	for (size_t i = 0; i < nfeeds; i++) {
		struct feedjob *fj = &jobs[i];

		fj->c = &c;
		fj->st = feeds[i];
		fj->prev_error = dup_or_null(feeds[i].last_error);
		if (!ca.force && feeds[i].next_fetch > c.now) {
			c.deferred++;
			continue;
		}
		if (is_local(fj->st.url))
			local_feed(fj);
		else
			fetch_crawler_add(c.fc, fj->st.url, fj->st.etag,
			    fj->st.last_modified, feed_fetched, fj);
	}
	fetch_crawler_run(c.fc, show_progress, &c);
	robots_save(c.fc, db);
	if (c.progress)
		fputs("\r\033[K", stderr);
	if (ca.show_new && c.new_deals > 0)
		show_new(&c);
	if (!c.quiet)
		summary(&c, mono_now() - t0);
	if (ca.stats)
		printf("crawl stats: %llu bytes received; feed parsing %.2f s, "
		       "item text %.2f s, extraction %.2f s, storing %.2f s\n",
		    (unsigned long long)fetch_crawler_bytes(c.fc), c.t_parse,
		    c.t_text, c.t_extract, c.t_store);
	/* A store that cannot be written is worse than a feed that failed. */
	if (c.unfinished)
		cli_error("crawl: run budget of %.0f s used up; %zu feeds left "
		          "for the next run",
		    ca.o.budget, c.unfinished);
	status = c.status              ? c.status
	    : c.failed || c.unfinished ? EXIT_TEMPFAIL
	                               : 0;
out:
	fetch_crawler_free(c.fc);
	for (size_t i = 0; jobs && i < nfeeds; i++) {
		free(jobs[i].prev_error);
		free(jobs[i].etag);
		free(jobs[i].last_modified);
		free(jobs[i].moved_to);
		arena_release(&jobs[i].a);
	}
	free(jobs);
	extractor_free(c.x);
	store_close(c.st);
	if (lockfd >= 0)
		close(lockfd);
	free(db);
	free(ca.resolve);
	free(ca.allow);
	arena_release(&c.list_arena);
	arena_release(&c.art);
	buf_release(&c.err);
	return cli_finish(status < 0 ? 0 : status);
}
