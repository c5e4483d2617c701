/*
 * cmd_crawl.c: `dealwire crawl`, made for cron: take the lock beside the
 * database, fetch every feed that is due (politely, through the crawler in
 * fetch/), parse it, fetch the article page of each new teaser item,
 * extract deals and store each feed's new articles with their deals and
 * the feed's new ETag in one transaction; then one summary line. A failing
 * feed backs off and never stops the others. Killed midway, nothing of a
 * feed not yet committed is stored and the next run fetches it again.
 *
 * Threads: the main thread only fetches (it owns the crawler); a small
 * pool of workers, fed through a bounded queue, parses each feed, looks
 * its items up on a read-only connection of its own, turns their HTML
 * into text and extracts their deals (one extractor each, as the
 * compiled rules keep match state), and reads the article pages the
 * main thread fetched for teasers; one writer thread owns the database
 * connection that writes and stores each finished feed, taking them from
 * a second bounded queue. So fetching, parsing, extracting and storing
 * overlap, and memory stays bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/syscall.h>
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
/* Worker threads at most, and feeds or pages waiting per thread: the
 * queue is bounded, so a fast network cannot pile up documents. */
#define THREADS_MAX 64
#define QUEUE_PER_THREAD 4
/* Finished feeds waiting for the writer thread, at most (each holds its
 * parsed feed and articles: a few hundred KB for a big feed). Room for a
 * stall of the writer's (the first commit syncs a new WAL; a checkpoint
 * syncs both files) to pass without stopping the fetching: with 64, a
 * 1,000-feed crawl's main thread waited 0.1 to 0.7 s for the writer and
 * both CPUs sat partly idle at each checkpoint (0.59 CPU seconds idle a
 * crawl on average, 6 runs); with 160, 0.01 s and 0.44 (320: 0.42), for
 * 5 to 20 MB more at the peak. */
#define WRITER_QUEUE 160
/* Feeds the writer stores in one transaction (store_group_begin), at
 * most, while more wait: a commit a feed wrote the pages every feed
 * touches again each time. A crawl killed loses the open group's feeds
 * only, which the next crawl fetches again (their ETags went too). 64
 * (of 50 items: about 3,200 articles, 20 MB of pages, within the store's
 * page cache) instead of 16 writes a fifth fewer bytes (1,000 feeds:
 * 267 MB instead of 336) and commits at most every fraction of a second
 * while feeds keep coming (WRITER_LINGER otherwise). */
#define WRITER_GROUP 64
/* Seconds an open group waits for the next feed before it commits: a
 * stored feed is not held back from readers longer than that. */
#define WRITER_LINGER 0.2
/* How much nicer the workers are than the rest of the crawl. */
#define WORKER_NICE 5

static const char crawl_usage[] =
    "usage: dealwire crawl [--jobs N] [--host-delay SECONDS] [--budget "
    "SECONDS]\n"
    "                      [--timeout SECONDS] [--connect-timeout SECONDS]\n"
    "                      [--stall-timeout SECONDS] [--max-body BYTES]\n"
    "                      [--resolve HOST:PORT:ADDR]... [--allow-private]\n"
    "                      [--allow-address ADDR]... [--force] [--new] "
    "[--quiet]\n"
    "                      [--threads N] [--stats] [--progress | "
    "--no-progress]\n"
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
    "  --threads N           extract on N threads beside the fetching one\n"
    "                        (default: the number of CPUs; 0: none)\n"
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
struct xjob;

struct feedjob {
	struct crawl *c;
	struct feed_state st; /* as stored; strings in c->list_arena */
	char *prev_error;     /* last_error before this run, malloc'd */
	struct arena a;       /* the parsed feed, until it is stored */
	struct feed f;
	struct xjob **slot; /* per entry, its extracted article; malloc'd */
	char *etag, *last_modified, *moved_to; /* from the response */
	long status;
	int pending; /* its feed task and its pages, not back yet */
	int failed;  /* some article could not be stored: keep the ETag */
	int local;   /* a file the user added, not a URL */
	const char *old_url;   /* before a permanent redirect moved it */
	int save;              /* SAVE_*: what the writer is to do with it */
	char *fail_msg;        /* why it failed, malloc'd */
	struct feedjob *wnext; /* in the writer's queue */
};

/* What the writer thread does with a feed handed to it. */
enum {
	SAVE_FAILED = 1, /* its failure and back-off */
	SAVE_DONE,       /* its new state (not modified) */
	SAVE_STORE,      /* its new articles and then its new state */
};

/*
 * The writer thread: feeds to store wait here, in the order they were
 * finished; the main thread blocks when WRITER_QUEUE are waiting.
 */
struct writer {
	pthread_mutex_t mu;
	pthread_cond_t work, space;
	struct feedjob *head, *tail;
	size_t queued;
	int closing, started;
	pthread_t tid;
};

/* One article, extracted by a worker and stored by the writer: what is
 * stored, and the deals found. text and title live in the feed's arena,
 * or in own when they came from an article page. */
struct xjob {
	struct feedjob *fj;
	size_t entry;
	const char *text, *title; /* title may be NULL */
	char *own;                /* one malloc'd block for both, or NULL */
	char day[11];             /* published "YYYY-MM-DD", "" when unknown */
	struct deal_list deals;   /* one malloc'd block, names inside */
	struct store_sketch sketch; /* the text's, made here for the writer */
	int rc;                     /* extraction's DW_* code */
	char *msg;                  /* its message when not DW_OK, malloc'd */
};

/* A teaser item whose article page is wanted. */
struct itemjob {
	struct feedjob *fj;
	size_t entry;
	const char *text; /* the feed's own text, in the feed's arena */
	struct itemjob *next;
};

/*
 * Work for the pool, handed over with its feed and taken back with the
 * result. TASK_FEED: parse a fetched feed, look its items up, turn their
 * HTML into text and extract the deals of each new one; teasers come
 * back for their pages to be fetched. TASK_PAGE: a teaser's page (none
 * when it could not be had): its main text, else the feed's, and deals.
 */
enum {
	TASK_FEED = 1,
	TASK_PAGE,
};

struct task {
	int kind;
	struct feedjob *fj;
	struct buf body;      /* the document, moved from the transfer */
	char *url, *ctype;    /* where it came from, its type; may be NULL */
	int ok;               /* TASK_PAGE: the page came (HTTP 200) */
	struct itemjob *item; /* TASK_PAGE: the item, malloc'd */
	int rc;               /* TASK_FEED: DW_OK, or why the parse failed */
	char *msg;            /* its message, malloc'd */
	struct itemjob *pages, **pages_tail; /* TASK_FEED: teasers */
	struct xjob *art; /* TASK_PAGE: the article, NULL when no text */
	int fell_back;    /* TASK_PAGE: the feed's text was used */
	int no_rules;     /* an article was left: there are no rules */
	struct task *next;
};

struct worker {
	struct pool *p;
	struct extractor *x; /* its own (matching keeps state in it), compiled
	                      * at its first article */
	struct store *rd;    /* its look-ups; NULL: none */
	int own_rd;          /* rd is its own connection */
	struct arena a;      /* one article's scratch */
	struct arena page;   /* one article page's */
	struct buf err;
	double busy, cpu; /* seconds spent extracting; CPU seconds in all */
	double t_parse, t_text; /* seconds parsing feeds, and items' HTML */
	double wait;            /* seconds it waited for a CPU, at its end */
	pthread_t tid;
	long ktid; /* the kernel's id, for cpu_wait() */
	int started;
};

/*
 * The pool: tasks wait in a bounded FIFO queue for a worker and come
 * back on the done list, which the main thread takes whenever the
 * crawler's loop turns (a worker wakes it) or while it waits for room.
 */
struct pool {
	pthread_mutex_t mu;
	pthread_cond_t work;      /* a task was queued, or closing */
	pthread_cond_t space;     /* a task was taken or is done */
	struct task *head, *tail; /* waiting for a worker */
	size_t queued, max;
	struct task *done, *done_tail; /* done, for the main thread */
	int closing;
	pthread_mutex_t rules_mu; /* guards rules */
	int rules; /* 0 not loaded yet, 1 loaded, -1 failed (reported once) */
	struct worker *w;
	int nworkers;    /* threads running; 0: work inline */
	size_t inflight; /* main thread: handed out, not taken back */
	struct fetch_crawler *fc;
};

struct crawl {
	struct store *st; /* the writer's (the main thread's without one) */
	struct writer wr;
	struct pool pool;
	int threads;    /* worker threads wanted */
	int pool_state; /* 0 not started, 1 running */
	/* The rules, compiled before any work (a mistake in them stops the
	 * run there); the first worker's extractor once the pool starts. */
	struct extractor *x0;
	/* The second worker's rules, compiled on a thread of their own while
	 * the main thread compiles x0 (early_start). */
	struct early {
		pthread_t tid;
		int started;
		struct extractor *x; /* NULL when the compile failed */
	} early;
	int writer_thread; /* storing ran on a thread of its own */
	int run_over;      /* the crawler's run has ended */
	struct task *late; /* pages asked for after it: none to be had */
	struct fetch_crawler *fc;
	struct arena list_arena;
	int quiet, progress, status;
	int64_t now;
	struct buf err;  /* the main thread's messages */
	struct buf serr; /* the writer's */
	int sstatus;     /* the writer's exit status, with status at the end */
	size_t fetched, not_modified, failed, deferred, unfinished, nfeeds;
	size_t new_articles, pages, page_fallbacks, article_errors;
	long new_deals, updated_deals;
	/* Stored in the writer's open group, counted once it commits. */
	struct {
		size_t feeds, articles;
		long new_deals, updated_deals;
	} pend;
	int64_t max_deal_before;
	double t_store, t_wait; /* seconds, for --stats */
	double t_wait_store;    /* the main thread waiting for the writer */
	double cpu_store;       /* CPU seconds storing */
	double wait_store;      /* the writer's seconds waiting for a CPU */
	/* When the last feed came in, the workers and the writer finished
	 * (seconds since the start, for --stats): the tail after the
	 * fetching is the part no network can hide. */
	double t_fetched, t_extracted, t_stored;
	size_t commits; /* groups the writer committed */
};

static int64_t
wall_now(void)
{
	return (int64_t)time(NULL);
}

/*
 * Seconds on a clock: CLOCK_MONOTONIC for time taken, or
 * CLOCK_THREAD_CPUTIME_ID for the CPU time the calling thread used (on a
 * busy machine, what a piece of work cost, without the waits for a CPU).
 */
static double
clock_now(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
mono_now(void)
{
	return clock_now(CLOCK_MONOTONIC);
}

static double
cpu_now(void)
{
	return clock_now(CLOCK_THREAD_CPUTIME_ID);
}

/* pthread_cond_wait, the time it took added to *total. */
static void
timed_wait(pthread_cond_t *cv, pthread_mutex_t *mu, double *total)
{
	double t = mono_now();

	pthread_cond_wait(cv, mu);
	*total += mono_now() - t;
}

static long
thread_id(void)
{
	return (long)syscall(SYS_gettid);
}

/* Seconds the thread has waited for a CPU while it could run (Linux's
 * schedstat), for --stats; 0 when unknown. */
static double
cpu_wait(long tid)
{
	char path[64];
	unsigned long long run, wait;
	FILE *f;
	double secs = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%ld/schedstat", tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%llu %llu", &run, &wait) == 2)
		secs = (double)wait / 1e9;
	fclose(f);
	return secs;
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
	int rc = store_feed_update(c->st, &fj->st, &c->serr);

	/* Moved for good to a URL that is a feed already: keep both. */
	if (rc == DW_EEXISTS && fj->old_url) {
		cli_error("crawl: feed '%s' moved to '%s', which is a feed "
		          "already; keeping the old address",
		    fj->old_url, fj->st.url);
		fj->st.url = fj->old_url;
		rc = store_feed_update(c->st, &fj->st, &c->serr);
	}
	if (rc != DW_OK) {
		cli_error("crawl: %s", c->serr.data);
		c->sstatus = MAX(c->sstatus, EXIT_IOERR);
	}
}

static void writer_put(struct crawl *c, struct feedjob *fj, int save);

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
	free(fj->fail_msg);
	fj->fail_msg = xstrdup(msg);
	fj->st.last_error = fj->fail_msg;
	fj->st.next_fetch = c->now + MIN(wait, BACKOFF_MAX);
	writer_put(c, fj, SAVE_FAILED);
}

/* Every article of the feed is stored: now the ETag may move on (the
 * writer's side). */
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
}

static void
article_error(struct crawl *c, struct feedjob *fj, int rc)
{
	c->article_errors++;
	if (fj)
		fj->failed = 1;
	cli_error("crawl: %s", c->serr.data);
	if (rc == DW_EIO || rc == DW_ECREATE)
		c->sstatus = MAX(c->sstatus, cli_exitcode(rc));
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

/*
 * The deals of one article, copied out of the worker's arena into one
 * block (party names after the deals), so they outlive its next article.
 */
static void
deals_copy(struct deal_list *out, const struct deal_list *in)
{
	size_t size = in->n * sizeof(struct deal);
	char *blk, *p;

	out->v = NULL;
	out->n = in->n;
	if (in->n == 0)
		return;
	for (size_t i = 0; i < in->n; i++)
		for (size_t k = 0; k < in->v[i].nparties; k++)
			if (in->v[i].parties[k].name)
				size += strlen(in->v[i].parties[k].name) + 1;
	blk = xmalloc(size);
	memcpy(blk, in->v, in->n * sizeof(struct deal));
	out->v = (struct deal *)(void *)blk;
	p = blk + in->n * sizeof(struct deal);
	for (size_t i = 0; i < in->n; i++)
		for (size_t k = 0; k < out->v[i].nparties; k++) {
			const char *name = out->v[i].parties[k].name;
			size_t len;

			if (!name)
				continue;
			len = strlen(name) + 1;
			memcpy(p, name, len);
			out->v[i].parties[k].name = p;
			p += len;
		}
}

static void
xjob_free(struct xjob *j)
{
	if (!j)
		return;
	free(j->own);
	free(j->msg);
	free(j->deals.v);
	free(j);
}

/* Find the article's deals with the worker's extractor and scratch. */
static void
extract_job(struct worker *w, struct xjob *j)
{
	struct deal_list deals = { NULL, 0 };
	struct span text = span_cstr(j->text);
	double t = mono_now();

	buf_reset(&w->err);
	j->rc = extract_deals(&deals, w->x, text, j->day[0] ? j->day : NULL,
	    &w->a, &w->err);
	if (j->rc == DW_OK) {
		deals_copy(&j->deals, &deals);
		store_sketch(&j->sketch, text);
	} else {
		j->msg = xstrdup(w->err.data);
	}
	arena_reset(&w->a);
	w->busy += mono_now() - t;
}

static void run_task(struct worker *w, struct task *t);

static struct extractor *worker_extractor(struct worker *w);

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->p;

	w->ktid = thread_id();
	/*
	 * Workers yield to the writer and the main thread: with every core
	 * busy extracting, a writer given only its share falls behind and
	 * stores its backlog alone at the end while the other cores idle,
	 * and a main thread kept waiting leaves the network unused. Linux
	 * sets a thread's nice value by its id; should it fail, nothing is
	 * lost but that.
	 */
	errno = 0;
	{
		int nice_now = getpriority(PRIO_PROCESS, (id_t)w->ktid);

		if (errno == 0)
			(void)setpriority(PRIO_PROCESS, (id_t)w->ktid,
			    MIN(nice_now + WORKER_NICE, 19));
	}
	/* Its own connection to look items up on; without one, every item
	 * is extracted and the writer skips those it has. */
	if (cli_open_store(&w->rd) != 0)
		w->rd = NULL;
	w->own_rd = 1;
	/* Its rules now, while the first feeds are still coming in, rather
	 * than when its first article waits for them. */
	(void)worker_extractor(w);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct task *t;
		int wake;

		while (!p->head && !p->closing)
			pthread_cond_wait(&p->work, &p->mu);
		if (!p->head)
			break;
		t = p->head;
		p->head = t->next;
		if (!p->head)
			p->tail = NULL;
		p->queued--;
		pthread_cond_signal(&p->space);
		pthread_mutex_unlock(&p->mu);

		run_task(w, t);

		pthread_mutex_lock(&p->mu);
		t->next = NULL;
		wake = !p->done;
		if (p->done_tail)
			p->done_tail->next = t;
		else
			p->done = t;
		p->done_tail = t;
		pthread_cond_signal(&p->space);
		/* The main thread may be waiting on the network: only the
		 * first task of a batch it has not taken yet needs to wake it. */
		if (wake)
			fetch_crawler_wakeup(p->fc);
	}
	pthread_mutex_unlock(&p->mu);
	/* Done: what it holds is let go here, beside the writer's last
	 * work, instead of by the main thread at the end. */
	extractor_free(w->x);
	w->x = NULL;
	store_close(w->rd);
	w->rd = NULL;
	w->wait = cpu_wait(w->ktid);
	return NULL;
}

/*
 * The second worker's extractor, compiled while the main thread compiles
 * (and so checks) the first: at the start of a crawl one CPU would wait
 * for the other, and the second worker would compile when the first
 * feeds are there to parse. Rules that do not load are reported by the
 * main thread's compile; this one says nothing and is dropped.
 */
static void *
early_main(void *arg)
{
	struct early *e = arg;
	struct buf err = BUF_INIT;
	struct rule_files rf;

	if (rule_files_load(&rf, cli_global.rules, &err) == DW_OK) {
		if (extractor_open(&e->x, &rf, &err) != DW_OK)
			e->x = NULL;
		rule_files_release(&rf);
	}
	buf_release(&err);
	return NULL;
}

static void
early_start(struct crawl *c)
{
	if (c->threads < 2)
		return;
	if (pthread_create(&c->early.tid, NULL, early_main, &c->early) == 0)
		c->early.started = 1;
}

/* The early extractor, once compiled (NULL if it could not be). */
static struct extractor *
early_take(struct crawl *c)
{
	struct extractor *x;

	if (!c->early.started)
		return NULL;
	pthread_join(c->early.tid, NULL);
	c->early.started = 0;
	x = c->early.x;
	c->early.x = NULL;
	return x;
}

/*
 * Start the workers, at the first feed to parse (a run where every feed
 * answers 304 starts none). The first takes the rules compiled at the
 * start; each other compiles its own as it starts.
 */
static void
pool_start(struct crawl *c)
{
	struct pool *p = &c->pool;
	int n = c->threads;

	if (c->pool_state)
		return;
	c->pool_state = 1;
	pthread_mutex_init(&p->mu, NULL);
	pthread_mutex_init(&p->rules_mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->space, NULL);
	p->fc = c->fc;
	p->w = xcalloc((size_t)(n > 0 ? n : 1), sizeof(*p->w));
	p->max = (size_t)(n > 0 ? n : 1) * QUEUE_PER_THREAD;
	for (int i = 0; i < (n > 0 ? n : 1); i++) {
		p->w[i].p = p;
		arena_init(&p->w[i].a, ARTICLE_ARENA);
		arena_init(&p->w[i].page, ARTICLE_ARENA);
		buf_init(&p->w[i].err, 1 << 16);
	}
	/* Working inline, the main thread looks items up on the one
	 * connection, unless the writer thread has it. */
	p->w[0].rd = c->wr.started ? NULL : c->st;
	/* The rules compiled at the start are the first worker's (an
	 * extractor is one thread's; this one is not used until then), so
	 * the others compile theirs at once, in parallel. */
	p->w[0].x = c->x0;
	c->x0 = NULL;
	p->rules = p->w[0].x ? 1 : 0;
	if (n > 1)
		p->w[1].x = early_take(c);
	for (int i = 0; i < n; i++) {
		if (pthread_create(&p->w[i].tid, NULL, worker_main, &p->w[i]) !=
		    0)
			break;
		p->w[i].started = 1;
		p->nworkers++;
	}
}

static void
task_free(struct task *t)
{
	buf_release(&t->body);
	free(t->url);
	free(t->ctype);
	free(t->msg);
	free(t->item);
	while (t->pages) {
		struct itemjob *it = t->pages;

		t->pages = it->next;
		free(it);
	}
	xjob_free(t->art);
	free(t);
}

static void page_done(struct fetch_result *res, int rc, const struct buf *err,
    void *arg);
static void submit_page(struct crawl *c, struct itemjob *it,
    struct fetch_result *res);

/* A task is back: the feed may be complete, or its teasers' pages are to
 * be fetched. */
static void
task_back(struct crawl *c, struct task *t)
{
	struct feedjob *fj = t->fj;

	c->pool.inflight--;
	if (t->no_rules)
		fj->failed = 1; /* left for the next run */
	if (t->kind == TASK_PAGE) {
		c->pages++;
		c->page_fallbacks += (size_t)t->fell_back;
		fj->slot[t->item->entry] = t->art;
		t->art = NULL;
	} else if (t->rc != DW_OK) {
		feed_failed(fj, t->msg, 0);
		task_free(t);
		return;
	} else {
		c->fetched++;
		while (t->pages) {
			struct itemjob *it = t->pages;

			t->pages = it->next;
			it->next = NULL;
			fj->pending++;
			if (c->run_over)
				submit_page(c, it, NULL);
			else
				fetch_crawler_add(c->fc,
				    fj->f.entries[it->entry].link, NULL, NULL,
				    page_done, it);
		}
	}
	task_free(t);
	if (--fj->pending == 0)
		writer_put(c, fj, SAVE_STORE);
}

/* Take the done list; with wait, block until there is one. */
static struct task *
take_done(struct crawl *c, int wait)
{
	struct pool *p = &c->pool;
	struct task *t;

	pthread_mutex_lock(&p->mu);
	while (wait && !p->done)
		timed_wait(&p->space, &p->mu, &c->t_wait);
	t = p->done;
	p->done = p->done_tail = NULL;
	pthread_mutex_unlock(&p->mu);
	return t;
}

static void
back_all(struct crawl *c, struct task *t)
{
	while (t) {
		struct task *next = t->next;

		task_back(c, t);
		t = next;
	}
}

/* The crawler's loop turned: take back what the workers have done. Busy
 * while tasks are out: a feed may yet ask for pages. */
static int
pool_turn(void *arg)
{
	struct crawl *c = arg;

	if (c->pool_state > 0 && c->pool.nworkers > 0)
		back_all(c, take_done(c, 0));
	return c->pool_state > 0 && c->pool.inflight > 0;
}

/* Hand a task to the workers; while the queue is full, take back what
 * they have done. */
static void
pool_submit(struct crawl *c, struct task *t)
{
	struct pool *p = &c->pool;

	pool_start(c);
	p->inflight++;
	if (p->nworkers == 0) {
		run_task(&p->w[0], t);
		task_back(c, t);
		return;
	}
	pthread_mutex_lock(&p->mu);
	while (p->queued >= p->max) {
		struct task *done = p->done;

		if (done) {
			p->done = p->done_tail = NULL;
			pthread_mutex_unlock(&p->mu);
			back_all(c, done);
			pthread_mutex_lock(&p->mu);
		} else {
			timed_wait(&p->space, &p->mu, &c->t_wait);
		}
	}
	t->next = NULL;
	if (p->tail)
		p->tail->next = t;
	else
		p->head = t;
	p->tail = t;
	p->queued++;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

/*
 * The crawl is over: wait for the last tasks. Pages asked for now cannot
 * be fetched: their items are extracted from the feed's text.
 */
static void
pool_drain(struct crawl *c)
{
	c->run_over = 1;
	while (c->pool_state > 0 && (c->pool.inflight > 0 || c->late)) {
		while (c->late) {
			struct task *t = c->late;

			c->late = t->next;
			pool_submit(c, t);
		}
		if (c->pool.inflight > 0)
			back_all(c, take_done(c, 1));
	}
	if (c->pool_state > 0) {
		pthread_mutex_lock(&c->pool.rules_mu);
		if (c->pool.rules < 0)
			c->status = MAX(c->status, EXIT_CONFIG);
		pthread_mutex_unlock(&c->pool.rules_mu);
	}
}

/* No more tasks: the workers end (pool_join() waits for them). */
static void
pool_close(struct crawl *c)
{
	struct pool *p = &c->pool;

	if (c->pool_state <= 0)
		return;
	pthread_mutex_lock(&p->mu);
	p->closing = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
}

static void
pool_join(struct crawl *c)
{
	struct pool *p = &c->pool;

	pool_close(c);
	for (int i = 0; c->pool_state > 0 && i < c->threads; i++)
		if (p->w[i].started) {
			pthread_join(p->w[i].tid, NULL);
			p->w[i].started = 0;
		}
}

static void
pool_stop(struct crawl *c)
{
	struct pool *p = &c->pool;
	int n = c->threads > 0 ? c->threads : 1;

	if (c->pool_state <= 0)
		return;
	pool_join(c);
	for (int i = 0; i < n; i++) {
		extractor_free(p->w[i].x);
		if (p->w[i].own_rd)
			store_close(p->w[i].rd);
		arena_release(&p->w[i].a);
		arena_release(&p->w[i].page);
		buf_release(&p->w[i].err);
	}
	/* Tasks still here belong to feeds that were never stored. */
	while (p->head) {
		struct task *t = p->head;

		p->head = t->next;
		task_free(t);
	}
	while (p->done) {
		struct task *t = p->done;

		p->done = t->next;
		task_free(t);
	}
	while (c->late) {
		struct task *t = c->late;

		c->late = t->next;
		task_free(t);
	}
	free(p->w);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->space);
	pthread_mutex_destroy(&p->rules_mu);
	pthread_mutex_destroy(&p->mu);
	c->pool_state = 0;
}

/* Store one extracted article of the feed (inside the feed's batch). */
static void
store_one(struct feedjob *fj, struct xjob *j, size_t *arts, long *nd_out,
    long *ud_out)
{
	struct crawl *c = fj->c;
	const struct feed_entry *e = &fj->f.entries[j->entry];
	struct article_rec rec;
	int rc, nd = 0, ud = 0;

	if (j->rc != DW_OK) {
		buf_setf(&c->serr, "cannot extract deals from '%s': %s",
		    e->link ? e->link : e->id, j->msg);
		article_error(c, fj, j->rc);
		return;
	}
	memset(&rec, 0, sizeof(rec));
	rec.feed_id = fj->st.id;
	rec.url = e->link;
	rec.guid = e->id;
	rec.title = j->title;
	rec.published = j->day[0] ? j->day : NULL;
	rec.text = span_cstr(j->text);
	rec.sketch = &j->sketch;
	rc = store_article_put(c->st, &rec, &j->deals, &nd, &ud, &c->serr);
	if (rc == DW_EEXISTS)
		return;
	if (rc != DW_OK) {
		article_error(c, fj, rc);
		return;
	}
	(*arts)++;
	*nd_out += nd;
	*ud_out += ud;
}

/*
 * Every item of the feed is extracted: store its new articles and then
 * its new state (ETag and all) in one batch, so a crawl killed before the
 * commit leaves nothing of the feed and the next one does it again.
 */
static void
store_feed(struct feedjob *fj)
{
	struct crawl *c = fj->c;
	size_t arts = 0;
	long nd = 0, ud = 0;
	double t = mono_now(), cpu = cpu_now();
	int rc;

	rc = store_batch_begin(c->st, &c->serr);
	if (rc != DW_OK) {
		/* Nothing of it stored: it stays due, with its old ETag. */
		cli_error("crawl: %s", c->serr.data);
		c->sstatus = MAX(c->sstatus, cli_exitcode(rc));
		goto out;
	}
	for (size_t i = 0; i < fj->f.nentries; i++)
		if (fj->slot && fj->slot[i])
			store_one(fj, fj->slot[i], &arts, &nd, &ud);
	feed_done(fj);
	rc = store_batch_commit(c->st, &c->serr);
	if (rc != DW_OK) {
		cli_error("crawl: %s", c->serr.data);
		c->sstatus = MAX(c->sstatus, cli_exitcode(rc));
		goto out;
	}
	c->pend.feeds++;
	c->pend.articles += arts;
	c->pend.new_deals += nd;
	c->pend.updated_deals += ud;
out:
	for (size_t i = 0; fj->slot && i < fj->f.nentries; i++)
		xjob_free(fj->slot[i]);
	free(fj->slot);
	fj->slot = NULL;
	arena_release(&fj->a);
	memset(&fj->f, 0, sizeof(fj->f));
	c->t_store += mono_now() - t;
	c->cpu_store += cpu_now() - cpu;
}

/* The writer's side of a feed handed to it. */
static void
writer_run(struct feedjob *fj)
{
	switch (fj->save) {
	case SAVE_FAILED:
		save_feed(fj);
		break;
	case SAVE_DONE:
		feed_done(fj);
		break;
	default:
		store_feed(fj);
		break;
	}
}

/*
 * What the feeds stored since the last commit count for: the run's
 * totals when it committed; nothing when it was rolled back (their feeds
 * keep their old state, so the next crawl does them again).
 */
static void
pending_settle(struct crawl *c, int committed)
{
	if (committed) {
		c->new_articles += c->pend.articles;
		c->new_deals += c->pend.new_deals;
		c->updated_deals += c->pend.updated_deals;
	}
	memset(&c->pend, 0, sizeof(c->pend));
}

/* Commit the writer's group of feeds. */
static void
group_end(struct crawl *c)
{
	double t = mono_now(), cpu = cpu_now();
	int rc = store_group_commit(c->st, &c->serr);

	c->commits++;
	if (rc != DW_OK) {
		cli_error("crawl: %s; the new articles of %zu feed(s) are not "
		          "stored, and those feeds are fetched again next run",
		    c->serr.data, c->pend.feeds);
		c->sstatus = MAX(c->sstatus, cli_exitcode(rc));
	}
	pending_settle(c, rc == DW_OK);
	c->t_store += mono_now() - t;
	c->cpu_store += cpu_now() - cpu;
}

/*
 * With the group open and nothing queued, wait up to linger seconds for
 * the next feed (the lock held by the caller): a writer that keeps up
 * with the workers would otherwise commit after every feed, writing the
 * pages all feeds share each time. 1 when a feed is there to store.
 */
static int
writer_more(struct writer *w, double linger)
{
	struct timespec until;

	if (w->head)
		return 1;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += (time_t)linger;
	until.tv_nsec += (long)((linger - (double)(time_t)linger) * 1e9);
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (!w->head && !w->closing)
		if (pthread_cond_timedwait(&w->work, &w->mu, &until) != 0)
			break;
	return w->head != NULL;
}

static void *
writer_main(void *arg)
{
	struct crawl *c = arg;
	struct writer *w = &c->wr;
	int grouped = 0, n = 0;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct feedjob *fj;

		while (!w->head && !w->closing)
			pthread_cond_wait(&w->work, &w->mu);
		if (!w->head)
			break;
		fj = w->head;
		w->head = fj->wnext;
		if (!w->head)
			w->tail = NULL;
		pthread_mutex_unlock(&w->mu);
		/* Without a group (it could not begin), feed by feed. */
		if (!grouped)
			grouped = store_group_begin(c->st, &c->serr) == DW_OK;
		writer_run(fj);
		if (!grouped)
			pending_settle(c, 1);
		pthread_mutex_lock(&w->mu);
		if (grouped &&
		    (++n >= WRITER_GROUP || !writer_more(w, WRITER_LINGER))) {
			pthread_mutex_unlock(&w->mu);
			group_end(c);
			grouped = n = 0;
			pthread_mutex_lock(&w->mu);
		}
		/* Counted until stored, so WRITER_QUEUE bounds what is held. */
		w->queued--;
		pthread_cond_signal(&w->space);
	}
	pthread_mutex_unlock(&w->mu);
	c->wait_store = cpu_wait(thread_id());
	return NULL;
}

/*
 * With extraction threads, a writer thread too: it takes over the
 * connection that writes, and the main thread opens its own for looking
 * items up. Without one, the main thread writes as it goes.
 */
static void
writer_start(struct crawl *c)
{
	struct writer *w = &c->wr;

	if (c->threads == 0)
		return;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->space, NULL);
	if (pthread_create(&w->tid, NULL, writer_main, c) != 0) {
		pthread_cond_destroy(&w->work);
		pthread_cond_destroy(&w->space);
		pthread_mutex_destroy(&w->mu);
		return;
	}
	w->started = 1;
	c->writer_thread = 1;
}

/* Hand a finished feed to the writer (or write it now, without one). */
static void
writer_put(struct crawl *c, struct feedjob *fj, int save)
{
	struct writer *w = &c->wr;

	fj->save = save;
	if (!w->started) {
		writer_run(fj);
		pending_settle(c, 1);
		return;
	}
	pthread_mutex_lock(&w->mu);
	while (w->queued >= WRITER_QUEUE)
		timed_wait(&w->space, &w->mu, &c->t_wait_store);
	fj->wnext = NULL;
	if (w->tail)
		w->tail->wnext = fj;
	else
		w->head = fj;
	w->tail = fj;
	w->queued++;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
}

/* Everything is handed over: wait until it is written. */
static void
writer_stop(struct crawl *c)
{
	struct writer *w = &c->wr;
	double t = mono_now();

	if (!w->started)
		return;
	pthread_mutex_lock(&w->mu);
	w->closing = 1;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->tid, NULL);
	c->t_wait_store += mono_now() - t;
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->space);
	pthread_mutex_destroy(&w->mu);
	w->started = 0;
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

/*
 * The worker's extractor, compiled as it starts; NULL when there
 * are no rules (reported once, and every article is left for the next
 * run).
 */
static struct extractor *
worker_extractor(struct worker *w)
{
	struct pool *p = w->p;
	int state;

	if (w->x)
		return w->x;
	/* The first compile tells whether the rules load (so a mistake in
	 * them is reported once); once they did, the others go in parallel. */
	pthread_mutex_lock(&p->rules_mu);
	state = p->rules;
	if (state == 0) {
		if (cli_open_extractor(&w->x) != 0)
			w->x = NULL;
		p->rules = w->x ? 1 : -1;
	}
	pthread_mutex_unlock(&p->rules_mu);
	if (state > 0 && cli_open_extractor(&w->x) != 0) {
		w->x = NULL;
		pthread_mutex_lock(&p->rules_mu);
		p->rules = -1;
		pthread_mutex_unlock(&p->rules_mu);
	}
	return w->x;
}

/*
 * One article of the feed, its deals extracted now; title and published
 * may be NULL. copy: text and title are scratch and get a block of their
 * own; else they live in the feed's arena. NULL when there are no rules.
 */
static struct xjob *
article_new(struct worker *w, struct feedjob *fj, size_t entry,
    const char *text, const char *title, const char *published, int copy)
{
	struct xjob *j;

	if (!worker_extractor(w))
		return NULL;
	j = xcalloc(1, sizeof(*j));
	j->fj = fj;
	j->entry = entry;
	j->text = text;
	j->title = title;
	if (copy) {
		size_t tl = strlen(text) + 1,
		       hl = title ? strlen(title) + 1 : 0;

		j->own = xmalloc(tl + hl);
		memcpy(j->own, text, tl);
		j->text = j->own;
		if (title) {
			memcpy(j->own + tl, title, hl);
			j->title = j->own + tl;
		}
	}
	if (!ymd(published, j->day))
		j->day[0] = '\0';
	extract_job(w, j);
	return j;
}

/* An item's HTML as plain text (the feed module's converter), in the
 * feed's arena. */
static const char *
item_text(struct worker *w, struct feedjob *fj, const char *html)
{
	double t = mono_now();
	const char *text;

	if (!html || !*html)
		return "";
	text = fetch_html_to_text(html, strlen(html), &fj->a);
	w->t_text += mono_now() - t;
	return text ? text : "";
}

/* One new item of a feed: extracted now, or, a teaser, back for its
 * page. */
static void
feed_item(struct worker *w, struct task *t, size_t i)
{
	struct feedjob *fj = t->fj;
	const struct feed_entry *e = &fj->f.entries[i];
	const char *text;

	if (!e->link && !e->id)
		return;
	text = item_text(w, fj, e->content ? e->content : e->summary);
	/* A local feed is read as it is: its links are not fetched, so
	 * `make run` and the tests never leave the machine. */
	if (!fj->local && e->link && fetch_is_url(e->link) &&
	    is_teaser(text, e->content != NULL)) {
		struct itemjob *it = xcalloc(1, sizeof(*it));

		it->fj = fj;
		it->entry = i;
		it->text = text;
		*t->pages_tail = it;
		t->pages_tail = &it->next;
		return;
	}
	if (*text) {
		fj->slot[i] = article_new(w, fj, i, text, e->title,
		    e->published[0] ? e->published : NULL, 0);
		if (!fj->slot[i])
			fj->failed = 1; /* no rules: left for the next run */
	}
}

/* A feed document is here: parse it and handle each item. */
static void
feed_task(struct worker *w, struct task *t)
{
	struct feedjob *fj = t->fj;
	double t0 = mono_now();
	unsigned char *known;

	arena_init(&fj->a, (size_t)1 << 30);
	buf_reset(&w->err);
	t->rc = fetch_feed_parse(&fj->f, buf_span(&t->body), t->url, t->ctype,
	    &fj->a, &w->err);
	buf_release(&t->body);
	w->t_parse += mono_now() - t0;
	if (t->rc != DW_OK) {
		t->msg = xstrdup(w->err.data);
		arena_release(&fj->a);
		memset(&fj->f, 0, sizeof(fj->f));
		return;
	}
	fj->slot =
	    xcalloc(fj->f.nentries ? fj->f.nentries : 1, sizeof(*fj->slot));
	t->pages_tail = &t->pages;
	known = xcalloc(fj->f.nentries ? fj->f.nentries : 1, 1);
	/* The items looked up at once, in one read transaction: the locks
	 * are taken once, and the snapshot is let go before extracting. */
	if (w->rd && fj->f.nentries) {
		int tx = w->own_rd && store_read_begin(w->rd) == DW_OK;
		size_t n = fj->f.nentries;
		const char **keys = xcalloc(2 * n, sizeof(*keys));

		for (size_t i = 0; i < n; i++) {
			keys[i] = fj->f.entries[i].link;
			keys[n + i] = fj->f.entries[i].id;
		}
		store_articles_known(w->rd, n, keys, keys + n, known);
		free(keys);
		if (tx)
			store_read_end(w->rd);
	}
	for (size_t i = 0; i < fj->f.nentries; i++)
		if (!known[i])
			feed_item(w, t, i);
	free(known);
}

/* A teaser's page: its main text when it has more than the feed's. */
static void
page_task(struct worker *w, struct task *t)
{
	struct feedjob *fj = t->fj;
	const struct feed_entry *e = &fj->f.entries[t->item->entry];
	struct article_page page;
	const char *text = t->item->text, *title = e->title;
	const char *published = e->published[0] ? e->published : NULL;

	memset(&page, 0, sizeof(page));
	if (t->ok &&
	    fetch_article_extract(&page, buf_span(&t->body), t->url, &w->page,
	        &w->err) == DW_OK &&
	    page.text && strlen(page.text) > strlen(text)) {
		text = page.text;
		if (!title)
			title = page.title;
		if (!published)
			published = page.published;
	} else {
		/* The page cannot be had: the feed's text will do. */
		t->fell_back = 1;
	}
	buf_release(&t->body);
	if (*text) {
		t->art = article_new(w, fj, t->item->entry, text, title,
		    published, 1);
		t->no_rules = !t->art;
	}
	arena_reset(&w->page);
}

/* Its CPU time is taken once a task: the thread's CPU clock is a system
 * call, too dear for every article. */
static void
run_task(struct worker *w, struct task *t)
{
	double cpu = cpu_now();

	if (t->kind == TASK_FEED)
		feed_task(w, t);
	else
		page_task(w, t);
	w->cpu += cpu_now() - cpu;
}

/* Move the response's body and where it came from into the task. */
static void
take_body(struct task *t, struct fetch_result *res)
{
	t->body = res->body;
	buf_init(&res->body, 0);
	t->url = res->effective_url;
	res->effective_url = NULL;
	t->ctype = res->content_type;
	res->content_type = NULL;
}

/* Hand an item's page (NULL: it cannot be had) to the workers; once the
 * run is over, to pool_drain(). */
static void
submit_page(struct crawl *c, struct itemjob *it, struct fetch_result *res)
{
	struct task *t = xcalloc(1, sizeof(*t));

	t->kind = TASK_PAGE;
	t->fj = it->fj;
	t->item = it;
	buf_init(&t->body, 0);
	if (res && res->status == 200) {
		t->ok = 1;
		take_body(t, res);
	}
	if (c->run_over) {
		t->next = c->late;
		c->late = t;
		return;
	}
	pool_submit(c, t);
}

static void
page_done(struct fetch_result *res, int rc, const struct buf *err, void *arg)
{
	struct itemjob *it = arg;

	(void)err;
	submit_page(it->fj->c, it, rc == DW_OK ? res : NULL);
}

/* A feed document is here (body NULL: in res): the workers parse it. */
static void
submit_feed(struct feedjob *fj, struct fetch_result *res, struct buf *body)
{
	struct task *t = xcalloc(1, sizeof(*t));

	t->kind = TASK_FEED;
	t->fj = fj;
	if (res) {
		take_body(t, res);
	} else {
		t->body = *body;
		buf_init(body, 0);
	}
	fj->pending = 1;
	pool_submit(fj->c, t);
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
		writer_put(c, fj, SAVE_DONE);
		return;
	}
	/* Only a chain of 301 and 308 moves the feed for good. */
	if (res->permanent_url && strcmp(res->permanent_url, fj->st.url) != 0)
		fj->moved_to = xstrdup(res->permanent_url);
	fj->etag = dup_or_null(res->etag);
	fj->last_modified = dup_or_null(res->last_modified);
	submit_feed(fj, res, NULL);
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
		writer_put(c, fj, SAVE_DONE);
		goto out;
	}
	rc = file_read(&body, path, FETCH_MAX_BODY, &c->err);
	if (rc != DW_OK) {
		feed_failed(fj, c->err.data, 0);
		goto out;
	}
	fj->etag = buf_detach(&tag, NULL);
	submit_feed(fj, NULL, &body);
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
		{ "threads",         required_argument, NULL, 'T' },
		{ "timeout",         required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	/* clang-format on */
	double secs = 0; /* (read even when parse_seconds refused it) */
	int ch, st;
	char *end;
	long n;

	fetch_crawl_opts_init(&ca->o);
	ca->progress = -1;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	c->threads = n < 1 ? 1 : n > 8 ? 8 : (int)n;
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
		case 'T':
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || n < 0 ||
			    n > THREADS_MAX) {
				cli_error("crawl: --threads '%s' is not a "
				          "number "
				          "from 0 to %d",
				    optarg, THREADS_MAX);
				return EXIT_USAGE;
			}
			c->threads = (int)n;
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

/*
 * --stats: bytes, and where the time went. Parsing, item text and
 * extraction are the workers' time added up (their CPU time covers all
 * three), storing is the writer's (they run beside the main thread's
 * fetching); waiting is the main thread's time blocked on them (a queue
 * full, or the last feeds at the end).
 */
static void
stats(struct crawl *c, double secs)
{
	double extract = 0, cpu = 0, parse = 0, text = 0, wait = c->wait_store;
	int n = c->pool_state > 0 ? c->pool.nworkers : 0;

	for (int i = 0; c->pool_state > 0 && i < (n > 0 ? n : 1); i++) {
		extract += c->pool.w[i].busy;
		cpu += c->pool.w[i].cpu;
		parse += c->pool.w[i].t_parse;
		text += c->pool.w[i].t_text;
		wait += c->pool.w[i].wait;
	}
	wait += cpu_wait(thread_id());
	printf("crawl stats: %llu bytes received; feed parsing %.2f s, "
	       "item text %.2f s, extraction %.2f s (CPU %.2f s for the "
	       "three) on %d threads, storing %.2f s (CPU %.2f s, %zu "
	       "commits)%s; "
	       "the main thread (CPU %.2f s) waiting for the workers %.2f s, "
	       "for storing %.2f s; all threads waiting for a CPU %.2f s; "
	       "fetching done at %.2f s, extraction at %.2f s, storing at "
	       "%.2f s; %.2f s in all\n",
	    (unsigned long long)fetch_crawler_bytes(c->fc), parse, text,
	    extract, cpu, n, c->t_store, c->cpu_store, c->commits,
	    c->writer_thread ? " on its own thread" : "", cpu_now(), c->t_wait,
	    c->t_wait_store, wait, c->t_fetched, c->t_extracted, c->t_stored,
	    secs);
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
	buf_init(&c.serr, 1 << 16);
	arena_init(&c.list_arena, 0);
	status = parse_args(&ca, argc, argv, &c);
	if (status)
		goto out;
	/*
	 * A crawl allocates and frees documents of much the same sizes
	 * thousands of times: glibc would map the larger ones afresh and
	 * give the heap's top back each time, each costing page faults.
	 * Freed memory is kept for the next document instead.
	 */
	mallopt(M_MMAP_THRESHOLD, (int)(FETCH_MAX_BODY * 2));
	mallopt(M_TRIM_THRESHOLD, (int)(FETCH_MAX_BODY * 4));
	c.quiet |= cli_global.quiet;
	c.progress = ca.progress >= 0 ? ca.progress : isatty(2) && !c.quiet;
	db = cli_db_path();
	status = take_lock(db, &lockfd);
	if (status)
		goto out;
	/* The rules before any work: a mistake in them is reported here,
	 * as path:line:col, and nothing is fetched. */
	early_start(&c);
	status = cli_open_extractor(&c.x0);
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
	fetch_crawler_on_turn(c.fc, pool_turn, &c);
	writer_start(&c);
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
	c.t_fetched = mono_now() - t0;
	pool_drain(&c);
	pool_close(&c);
	c.t_extracted = mono_now() - t0;
	writer_stop(&c);
	c.t_stored = mono_now() - t0;
	pool_join(&c);
	c.status = MAX(c.status, c.sstatus);
	robots_save(c.fc, db);
	if (c.progress)
		fputs("\r\033[K", stderr);
	if (ca.show_new && c.new_deals > 0)
		show_new(&c);
	if (!c.quiet)
		summary(&c, mono_now() - t0);
	if (ca.stats)
		stats(&c, mono_now() - t0);
	/* A store that cannot be written is worse than a feed that failed. */
	if (c.unfinished)
		cli_error("crawl: run budget of %.0f s used up; %zu feeds left "
		          "for the next run",
		    ca.o.budget, c.unfinished);
	status = c.status              ? c.status
	    : c.failed || c.unfinished ? EXIT_TEMPFAIL
	                               : 0;
out:
	pool_stop(&c);
	writer_stop(&c);
	fetch_crawler_free(c.fc);
	for (size_t i = 0; jobs && i < nfeeds; i++) {
		free(jobs[i].prev_error);
		free(jobs[i].etag);
		free(jobs[i].last_modified);
		free(jobs[i].moved_to);
		free(jobs[i].fail_msg);
		for (size_t k = 0; jobs[i].slot && k < jobs[i].f.nentries; k++)
			xjob_free(jobs[i].slot[k]);
		free(jobs[i].slot);
		arena_release(&jobs[i].a);
	}
	free(jobs);
	extractor_free(c.x0);
	extractor_free(early_take(&c));
	store_close(c.st);
	if (lockfd >= 0)
		close(lockfd);
	free(db);
	free(ca.resolve);
	free(ca.allow);
	arena_release(&c.list_arena);
	buf_release(&c.err);
	buf_release(&c.serr);
	return cli_finish(status < 0 ? 0 : status);
}
