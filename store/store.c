/*
 * store.c: opening the SQLite database (WAL through vfs.c, busy timeout,
 * migrations), statements, transactions and batches, and feeds. Storing
 * articles is article.c's, merging mentions into deals merge.c's, output
 * export.c's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/internal.h"

#define STMT_CACHE 256 /* slots, a power of two; a quarter kept free */

struct stmt_slot {
	const char *sql;
	sqlite3_stmt *st;
	uint64_t bound; /* store__stmt_binds: bound non-NULL the last time */
};

/*
 * NOTE: the cache lives beside the handle rather than in it so that
 * internal.h need not expose its size.
 */
#define STMT_EXTRA 8

struct store_full {
	struct store s;
	struct stmt_slot slots[STMT_CACHE];
	size_t nslots;
	struct stmt_slot extra[STMT_EXTRA]; /* past the cache, the newest */
	size_t nextra;
	uint64_t extra_bound; /* an extra statement's: made anew each time */
};

int
store__fail(struct store *s, struct buf *err, const char *what)
{
	int code = sqlite3_extended_errcode(s->db);

	buf_setf(err, "%s (database '%s'): %s", what, s->path,
	    sqlite3_errmsg(s->db));
	switch (code & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DW_ELOCKED;
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
	case SQLITE_FULL:
		return DW_ECREATE;
	case SQLITE_CONSTRAINT:
		return DW_EEXISTS;
	default:
		return DW_EIO;
	}
}

/* The slot of sql, or the empty one where it would go. A crawl looks a
 * dozen statements up for every article: a hash, not a search. */
static struct stmt_slot *
stmt_slot(struct store_full *f, const char *sql)
{
	size_t i = ((uintptr_t)sql >> 3) * 0x9e3779b97f4a7c15ULL >> 56;

	while (f->slots[i].sql && f->slots[i].sql != sql)
		i = (i + 1) & (STMT_CACHE - 1);
	return &f->slots[i];
}

/* The statement of sql, reset, its bindings cleared unless bound is
 * given: it then receives where the statement's record of what was
 * bound the last time is (store__stmt_binds). */
static sqlite3_stmt *
stmt_get(struct store *s, const char *sql, uint64_t **bound, struct buf *err)
{
	struct store_full *f = (struct store_full *)s;
	struct stmt_slot *slot = stmt_slot(f, sql);
	sqlite3_stmt *st = NULL;

	_Static_assert(STMT_CACHE == 256, "the hash keeps 8 bits");
	if (slot->sql) {
		st = slot->st;
		sqlite3_reset(st);
		if (bound) {
			*bound = &slot->bound;
		} else {
			sqlite3_clear_bindings(st);
			/* Its caller binds what it binds: unknown. */
			slot->bound = ~(uint64_t)0;
		}
		return st;
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	        NULL) != SQLITE_OK) {
		store__fail(s, err, "cannot prepare statement");
		return NULL;
	}
	/* Far more slots than statements: never full. Should it fill up,
	 * the statement is prepared each time and leaks nothing but time
	 * (it is finalized with the cache). */
	if (f->nslots < STMT_CACHE * 3 / 4) {
		slot->sql = sql;
		slot->st = st;
		slot->bound = bound ? 0 : ~(uint64_t)0;
		f->nslots++;
		if (bound)
			*bound = &slot->bound;
	} else {
		struct stmt_slot *extra = &f->extra[f->nextra % STMT_EXTRA];

		sqlite3_finalize(extra->st);
		extra->st = st;
		f->nextra++;
		f->extra_bound = 0;
		if (bound)
			*bound = &f->extra_bound;
	}
	return st;
}

sqlite3_stmt *
store__stmt(struct store *s, const char *sql, struct buf *err)
{
	return stmt_get(s, sql, NULL, err);
}

sqlite3_stmt *
store__stmt_binds(struct store *s, const char *sql, struct binds *b,
    struct buf *err)
{
	b->now = 0;
	b->st = stmt_get(s, sql, &b->last, err);
	return b->st;
}

void
store__binds_end(struct binds *b)
{
	/* What was bound the last time and is not now goes back to NULL
	 * (rarely any: a crawl's articles bind alike). */
	uint64_t gone = *b->last & ~b->now;
	int n;

	if (gone) {
		/* Parameters 1 to n only (~0: all that may be bound). */
		n = sqlite3_bind_parameter_count(b->st);
		if (n < 63)
			gone &= ((uint64_t)1 << (n + 1)) - 1;
		for (gone &= ~(uint64_t)1; gone; gone &= gone - 1)
			sqlite3_bind_null(b->st, __builtin_ctzll(gone));
	}
	*b->last = b->now;
}

void
store__b_text(struct binds *b, int i, const char *v, size_t n)
{
	if (!v)
		return;
	sqlite3_bind_text64(b->st, i, v, n, SQLITE_STATIC, SQLITE_UTF8);
	b->now |= (uint64_t)1 << i;
}

void
store__b_blob(struct binds *b, int i, const void *v, size_t n)
{
	if (!v)
		return;
	sqlite3_bind_blob64(b->st, i, v, n, SQLITE_STATIC);
	b->now |= (uint64_t)1 << i;
}

void
store__b_cstr(struct binds *b, int i, const char *v)
{
	if (v)
		store__b_text(b, i, v, strlen(v));
}

void
store__b_int64(struct binds *b, int i, int64_t v)
{
	sqlite3_bind_int64(b->st, i, v);
	b->now |= (uint64_t)1 << i;
}

void
store__b_double(struct binds *b, int i, double v)
{
	sqlite3_bind_double(b->st, i, v);
	b->now |= (uint64_t)1 << i;
}

void
store__b_figures(struct binds *b, int i, const struct amount *m)
{
	store__b_double(b, i, m->value);
	if (m->qualifier == Q_RANGE) {
		store__b_double(b, i + 1, m->low);
		store__b_double(b, i + 2, m->high);
	}
	store__b_cstr(b, i + 3, m->currency);
	store__b_int64(b, i + 4, m->qualifier);
}

void
store__stmt_cache_free(struct store *s)
{
	struct store_full *f = (struct store_full *)s;

	for (size_t i = 0; i < STMT_CACHE; i++) {
		if (f->slots[i].sql)
			sqlite3_finalize(f->slots[i].st);
		f->slots[i].sql = NULL;
	}
	for (size_t i = 0; i < STMT_EXTRA; i++) {
		sqlite3_finalize(f->extra[i].st);
		f->extra[i].st = NULL;
	}
	f->nslots = f->nextra = 0;
}

int
store__exec(struct store *s, const char *sql, struct buf *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store__fail(s, err, "cannot write");
	return DW_OK;
}

/*
 * A batch that SQLite rolled back by itself (some I/O errors, a full
 * disk do that to the whole transaction): its units must not go on in
 * autocommit mode, where each would be durable on its own.
 */
static int
batch_lost(struct store *s, struct buf *err)
{
	if (!(s->batch || s->group) || !sqlite3_get_autocommit(s->db))
		return 0;
	store__pend_drop(s);
	buf_setf(err,
	    "cannot write (database '%s'): the batch was rolled back after "
	    "an earlier error",
	    s->path);
	return 1;
}

int
store__lost(struct store *s, struct buf *err)
{
	return batch_lost(s, err) ? DW_EIO : DW_OK;
}

/* Transaction control through cached statements: a crawl runs a few of
 * these for every article, and sqlite3_exec would prepare each again. */
static const char sql_begin[] = "BEGIN IMMEDIATE";
static const char sql_commit[] = "COMMIT";
static const char sql_rollback[] = "ROLLBACK";
static const char sql_savepoint[] = "SAVEPOINT unit";
static const char sql_release[] = "RELEASE unit";
static const char sql_rollback_to[] = "ROLLBACK TO unit";

static int tx(struct store *s, const char *sql, struct buf *err);

/* COMMIT, the rows kept back and the deal ids' mark written first. */
static int
tx_commit(struct store *s, struct buf *err)
{
	struct buf scratch = BUF_INIT;
	int rc = store__pend_flush(s, err ? err : &scratch);

	if (rc == DW_OK)
		rc = store__deal_seq_save(s, err ? err : &scratch);

	buf_release(&scratch);
	return rc == DW_OK ? tx(s, sql_commit, err) : rc;
}

static int
tx(struct store *s, const char *sql, struct buf *err)
{
	struct buf scratch = BUF_INIT;
	sqlite3_stmt *st = store__stmt(s, sql, err ? err : &scratch);
	int rc;

	buf_release(&scratch);
	/* What is rolled back was never written: rows kept back go too
	 * (and a new transaction starts with none, whatever became of the
	 * last one). */
	if (sql == sql_rollback || sql == sql_begin)
		store__pend_drop(s);
	else if (sql == sql_rollback_to)
		store__pend_rewind(s, s->unit_mark);
	if (!st)
		return DW_EIO;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return err ? store__fail(s, err, "cannot write") : DW_EIO;
	return DW_OK;
}

int
store__begin(struct store *s, struct buf *err)
{
	int rc;

	if (batch_lost(s, err))
		return DW_EIO;
	if (s->batch || s->group)
		s->unit_mark = store__pend_mark(s);
	rc = tx(s, s->batch || s->group ? sql_savepoint : sql_begin, err);
	if (rc == DW_OK)
		s->in_tx = 1;
	if (!s->batch && !s->group) {
		store__near_stale(s);
		store__group_stale(s);
		store__deal_seq_stale(s);
	}
	return rc;
}

int
store__commit(struct store *s, struct buf *err)
{
	int rc =
	    s->batch || s->group ? tx(s, sql_release, err) : tx_commit(s, err);

	if (rc != DW_OK) {
		store__rollback(s);
		return rc;
	}
	s->in_tx = 0;
	return DW_OK;
}

void
store__rollback(struct store *s)
{
	if (s->in_tx) {
		/* Inside a batch only this unit goes; the batch stays open
		 * (unless SQLite already rolled it all back). */
		if (!s->batch && !s->group) {
			tx(s, sql_rollback, NULL);
		} else if (!sqlite3_get_autocommit(s->db)) {
			tx(s, sql_rollback_to, NULL);
			tx(s, sql_release, NULL);
		}
	}
	s->in_tx = 0;
}

int
store_batch_begin(struct store *s, struct buf *err)
{
	int rc;

	if (s->batch || s->in_tx) {
		buf_setf(err, "database '%s': a batch is already open",
		    s->path);
		return DW_EUSAGE;
	}
	if (s->group) {
		/* The group's transaction holds it (no savepoint: a
		 * savepoint around a feed's pages spills its journal). */
		rc = batch_lost(s, err) ? DW_EIO : DW_OK;
	} else {
		rc = tx(s, sql_begin, err);
		store__near_stale(s);
		store__group_stale(s);
		store__deal_seq_stale(s);
	}
	if (rc == DW_OK)
		s->batch = 1;
	return rc;
}

int
store_batch_commit(struct store *s, struct buf *err)
{
	int rc;

	if (!s->batch) {
		buf_setf(err, "database '%s': no batch is open", s->path);
		return DW_EUSAGE;
	}
	store__rollback(s); /* a unit left open is not committed */
	if (batch_lost(s, err)) {
		s->batch = 0;
		store__near_free(s);
		return DW_EIO;
	}
	if (s->group) {
		rc = DW_OK; /* committed with the group */
	} else {
		rc = tx_commit(s, err);
		if (rc != DW_OK) {
			tx(s, sql_rollback, NULL);
			store__near_free(s);
		}
	}
	s->batch = 0;
	return rc;
}

void
store_batch_rollback(struct store *s)
{
	if (!s->batch)
		return;
	s->in_tx = 0;
	store__pend_drop(s);
	/* In a group, the whole group goes: store_group_commit says so. */
	if (!sqlite3_get_autocommit(s->db))
		tx(s, sql_rollback, NULL);
	s->batch = 0;
	store__near_free(s); /* it may hold articles of the batch */
}

int
store_group_begin(struct store *s, struct buf *err)
{
	int rc;

	if (s->group || s->batch || s->in_tx) {
		buf_setf(err, "database '%s': a batch is already open",
		    s->path);
		return DW_EUSAGE;
	}
	rc = tx(s, sql_begin, err);
	if (rc == DW_OK)
		s->group = 1;
	store__near_stale(s);
	store__group_stale(s);
	store__deal_seq_stale(s);
	return rc;
}

int
store_group_commit(struct store *s, struct buf *err)
{
	int rc;

	if (!s->group) {
		buf_setf(err, "database '%s': no group is open", s->path);
		return DW_EUSAGE;
	}
	store__rollback(s);
	store_batch_rollback(s); /* a batch left open is not committed */
	if (batch_lost(s, err)) {
		s->group = 0;
		store__near_free(s);
		return DW_EIO;
	}
	rc = tx_commit(s, err);
	if (rc != DW_OK) {
		tx(s, sql_rollback, NULL);
		store__near_free(s);
	}
	s->group = 0;
	return rc;
}

static void
group_rollback(struct store *s)
{
	if (!s->group)
		return;
	store__pend_drop(s);
	if (!sqlite3_get_autocommit(s->db))
		tx(s, sql_rollback, NULL);
	s->group = 0;
	store__near_free(s);
}

int
store__step_done(struct store *s, sqlite3_stmt *st, struct buf *err,
    const char *what)
{
	int rc = sqlite3_step(st);

	rc = rc == SQLITE_DONE || rc == SQLITE_ROW ? DW_OK
	                                           : store__fail(s, err, what);
	sqlite3_reset(st);
	return rc;
}

void
store__bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void
store__bind_cstr(sqlite3_stmt *st, int i, const char *v)
{
	/* strlen: SQLite measures a string of length -1 a byte a turn. */
	if (v)
		sqlite3_bind_text64(st, i, v, strlen(v), SQLITE_STATIC,
		    SQLITE_UTF8);
	else
		sqlite3_bind_null(st, i);
}

void
store__bind_static(sqlite3_stmt *st, int i, const char *v, size_t n)
{
	if (v)
		sqlite3_bind_text64(st, i, v, n, SQLITE_STATIC, SQLITE_UTF8);
	else
		sqlite3_bind_null(st, i);
}

void
store__bind_textn(sqlite3_stmt *st, int i, const char *v, size_t n)
{
	if (v)
		sqlite3_bind_text64(st, i, v, n, SQLITE_TRANSIENT, SQLITE_UTF8);
	else
		sqlite3_bind_null(st, i);
}

char *
store__col_text(sqlite3_stmt *st, int i, struct arena *a)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	if (!t)
		return NULL;
	return arena_strndup(a, (const char *)t,
	    (size_t)sqlite3_column_bytes(st, i));
}

void
store__col_amount(sqlite3_stmt *st, int i, int *has, struct amount *m)
{
	const unsigned char *cur;

	memset(m, 0, sizeof(*m));
	*has = sqlite3_column_type(st, i) != SQLITE_NULL;
	if (!*has)
		return;
	m->value = sqlite3_column_double(st, i);
	m->low = sqlite3_column_double(st, i + 1);
	m->high = sqlite3_column_double(st, i + 2);
	cur = sqlite3_column_text(st, i + 3);
	if (cur)
		memcpy(m->currency, cur, MIN(strlen((const char *)cur), 3u));
	m->qualifier = sqlite3_column_int(st, i + 4);
}

void
store__now(char out[21])
{
	/* Formatted once a second: a crawl asks for every article. */
	static _Thread_local time_t last = -1;
	static _Thread_local char text[21];
	time_t t = time(NULL);

	if (t != last) {
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
		last = t;
	}
	memcpy(out, text, sizeof(text));
}

static void
remove_db_files(const char *path)
{
	struct buf b = BUF_INIT;

	unlink(path);
	buf_addf(&b, "%s-wal", path);
	unlink(b.data);
	buf_reset(&b);
	buf_addf(&b, "%s-shm", path);
	unlink(b.data);
	buf_reset(&b);
	buf_addf(&b, "%s-journal", path);
	unlink(b.data);
	buf_release(&b);
}

/* WAL bytes between two checkpoints (see store_open). */
#define WAL_CHECKPOINT_BYTES (8 << 20)

/* A checkpoint every WAL_CHECKPOINT_BYTES of WAL, whatever the database's
 * page size (an older one keeps its own). */
static void
set_checkpoint(struct store *s)
{
	sqlite3_stmt *st = NULL;
	int size = 0;

	if (sqlite3_prepare_v2(s->db, "PRAGMA page_size", -1, &st, NULL) ==
	        SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		size = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (size < 512)
		size = 4096;
	sqlite3_wal_autocheckpoint(s->db, WAL_CHECKPOINT_BYTES / size);
}

int
store_open(struct store **out, const char *path, struct buf *err)
{
	struct store_full *f = xcalloc(1, sizeof(*f));
	struct store *s = &f->s;
	struct stat sb;
	int existed, rc;

	*out = NULL;
	s->path = xstrdup(path);
	/* A first block, which rewinding keeps: a crawl's calls reuse it
	 * instead of allocating (and faulting in) a block each. */
	arena_init(&s->scratch, (size_t)256 << 20);
	arena_alloc(&s->scratch, 1, 1, 1);
	existed = stat(path, &sb) == 0;
	if (existed && S_ISDIR(sb.st_mode)) {
		buf_setf(err, "cannot create database '%s': is a directory",
		    path);
		rc = DW_ECREATE;
		goto fail;
	}
	if (sqlite3_open_v2(path, &s->db,
	        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	            SQLITE_OPEN_NOMUTEX,
	        store__vfs()) != SQLITE_OK) {
		buf_setf(err, "cannot create database '%s': %s", path,
		    s->db ? sqlite3_errmsg(s->db) : strerror(errno));
		rc = DW_ECREATE;
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 10000);
	/*
	 * Foreign keys are declared but not enforced: checking them cost a
	 * crawl a look-up of the parent for every row it inserts (7% of
	 * storing), and the store writes children only of parents it knows.
	 * What ON DELETE did is done where rows are deleted
	 * (store__deal_drop_rows, store_feed_remove).
	 *
	 * WAL lets readers go on while a crawl writes; synchronous=NORMAL in
	 * WAL keeps every commit atomic and durable up to the last
	 * checkpoint-free crash of the OS, which is what a crawl needs.
	 * A crawl commits a group of feeds at a time; an article appends
	 * rows to the ends of its tables and touches a few index pages at
	 * random places (group keys, party names). 8 KB pages (for a new
	 * database; an existing one keeps its size): schema 2 wrote 8 LSH
	 * bands an article at random places and used 2 KB pages to write
	 * fewer bytes for them; without them, bigger pages mean fewer system
	 * calls a checkpoint makes (one pread and one pwrite a page), fewer
	 * page splits of the tables (an article's row is about 1 KB) and
	 * fewer rebalancings of the indexes (8 KB: 4 % fewer instructions an
	 * article than 4 KB, ir_crawl). A checkpoint comes every 8 MB of WAL
	 * (WAL_CHECKPOINT_BYTES, set below from the page size: 1,024 pages
	 * of 8 KB). A crawl's writer runs it on its own thread while the
	 * others extract, but the last one runs when the database is
	 * closed, after all other work, and copies what the WAL holds then;
	 * and each one stops the writer for two fsyncs, after which it
	 * stores a backlog. CPU time idle during a 1,000-feed crawl, 6 runs
	 * each in turn: every 32 MB (4,096 pages) 0.32-0.47 s (mean 0.375),
	 * every 8 MB 0.19-0.27 s (mean 0.23); every 4 MB was no better
	 * than 32 (the writer's backlog at the end grew). journal_size_limit
	 * gives the WAL file back after a checkpoint, and a 32 MB page cache keeps the
	 * indexes a crawl walks for every article in memory. Each article of
	 * a batch is a savepoint, whose journal stays in memory up to 512 KB
	 * (vfs.c: with SQLite's 64 KB, spilling to a file cost about a
	 * quarter of the time storing took). Debian's SQLite is built with
	 * secure_delete on, which zeroes the bytes of every cell a page
	 * split moves or a delete frees: news text and deal figures are no
	 * secrets, and zeroing was 2.5 % of what storing an article cost.
	 */
	rc = store__exec(s,
	    "PRAGMA page_size=8192;"
	    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	    "PRAGMA journal_size_limit=33554432;"
	    "PRAGMA cache_size=-32768;"
	    "PRAGMA foreign_keys=OFF; PRAGMA secure_delete=OFF;",
	    err);
	if (rc == DW_OK)
		rc = store__begin(s, err);
	if (rc == DW_OK)
		rc = store__migrate(s, err);
	if (rc == DW_OK)
		rc = store__commit(s, err);
	if (rc == DW_OK)
		set_checkpoint(s);
	if (rc != DW_OK) {
		const char *cause = sqlite3_errmsg(s->db);

		store__rollback(s);
		/* One line naming the path; a newer schema says so itself. */
		if (rc == DW_ECREATE || !existed) {
			buf_setf(err, "cannot %s database '%s': %s",
			    existed ? "write" : "create", path, cause);
			rc = DW_ECREATE;
		} else if (strstr(err->data, "newer than") == NULL) {
			buf_setf(err, "cannot open database '%s': %s", path,
			    cause);
		}
		goto fail;
	}
	*out = s;
	return DW_OK;
fail:
	store__stmt_cache_free(s);
	if (s->db)
		sqlite3_close(s->db);
	if (!existed)
		remove_db_files(path);
	arena_release(&s->scratch);
	free(s->path);
	free(f);
	return rc;
}

void
store_close(struct store *s)
{
	if (!s)
		return;
	store__rollback(s);
	store_batch_rollback(s);
	group_rollback(s);
	store__near_free(s);
	store__group_free(s);
	store__put_free(s);
	store__pend_free(s);
	store__stmt_cache_free(s);
	sqlite3_close(s->db);
	arena_release(&s->scratch);
	free(s->path);
	free((struct store_full *)s);
}

/*
 * Feeds.
 */
int
store_feed_add(struct store *s, const char *url, struct buf *err)
{
	static const char sql[] = "INSERT INTO feeds(url) VALUES (?)";
	sqlite3_stmt *st = store__stmt(s, sql, err);
	int rc;

	if (!st)
		return DW_EIO;
	store__bind_text(st, 1, url);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return DW_OK;
	if ((sqlite3_extended_errcode(s->db) & 0xff) == SQLITE_CONSTRAINT) {
		buf_setf(err, "feed '%s' is already in the database", url);
		return DW_EEXISTS;
	}
	return store__fail(s, err, "cannot add feed");
}

static int
parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!*s || *s < '0' || *s > '9')
		return DW_EPARSE;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v <= 0)
		return DW_EPARSE;
	*out = v;
	return DW_OK;
}

int
store_feed_remove(struct store *s, const char *url_or_id, struct buf *err)
{
	/* The feed's articles stay, without it (ON DELETE SET NULL, done
	 * here: foreign keys are not enforced, see store_open). */
	static const char unlink_id[] =
	    "UPDATE articles SET feed_id = NULL WHERE feed_id = ?";
	static const char unlink_url[] =
	    "UPDATE articles SET feed_id = NULL WHERE feed_id IN"
	    " (SELECT id FROM feeds WHERE url = ?)";
	static const char by_id[] = "DELETE FROM feeds WHERE id = ?";
	static const char by_url[] = "DELETE FROM feeds WHERE url = ?";
	int64_t id = 0;
	int by_number = parse_id(url_or_id, &id) == DW_OK;
	const char *q[2] = { by_number ? unlink_id : unlink_url,
		by_number ? by_id : by_url };
	int rc = store__begin(s, err);

	for (size_t i = 0; i < countof(q) && rc == DW_OK; i++) {
		sqlite3_stmt *st = store__stmt(s, q[i], err);

		if (!st) {
			rc = DW_EIO;
			break;
		}
		if (by_number)
			sqlite3_bind_int64(st, 1, id);
		else
			store__bind_text(st, 1, url_or_id);
		rc = store__step_done(s, st, err, "cannot remove feed");
	}
	if (rc == DW_OK && sqlite3_changes(s->db) == 0) {
		buf_setf(err, "no feed '%s' in the database", url_or_id);
		rc = DW_ENOTFOUND;
	}
	if (rc == DW_OK)
		rc = store__commit(s, err);
	store__rollback(s);
	return rc;
}

int
store_feed_list(struct store *s, struct feed_state **out, size_t *n,
    struct arena *a, struct buf *err)
{
	static const char sql[] =
	    "SELECT id, url, title, etag, last_modified, last_fetch,"
	    " last_status, last_error, failures, next_fetch"
	    " FROM feeds ORDER BY id";
	sqlite3_stmt *st = store__stmt(s, sql, err);
	struct feed_state *v = NULL;
	size_t cap = 0, len = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return DW_EIO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct feed_state *f;

		if (len == cap) {
			struct feed_state *nv;

			cap = cap ? cap * 2 : 16;
			nv = NEW(a, struct feed_state, cap);
			if (!nv) {
				buf_setf(err, "too many feeds to list");
				return DW_ETOOBIG;
			}
			if (len)
				memcpy(nv, v, len * sizeof(*v));
			v = nv;
		}
		f = &v[len++];
		f->id = sqlite3_column_int64(st, 0);
		f->url = store__col_text(st, 1, a);
		f->title = store__col_text(st, 2, a);
		f->etag = store__col_text(st, 3, a);
		f->last_modified = store__col_text(st, 4, a);
		f->last_fetch = sqlite3_column_int64(st, 5);
		f->last_status = (long)sqlite3_column_int64(st, 6);
		f->last_error = store__col_text(st, 7, a);
		f->failures = sqlite3_column_int(st, 8);
		f->next_fetch = sqlite3_column_int64(st, 9);
	}
	if (rc != SQLITE_DONE)
		return store__fail(s, err, "cannot list feeds");
	*out = v;
	*n = len;
	return DW_OK;
}

int
store_feed_update(struct store *s, const struct feed_state *f, struct buf *err)
{
	static const char sql[] =
	    "UPDATE feeds SET url = ?, title = ?, etag = ?, last_modified = ?,"
	    " last_fetch = ?, last_status = ?, last_error = ?, failures = ?,"
	    " next_fetch = ? WHERE id = ?";
	sqlite3_stmt *st = store__stmt(s, sql, err);

	if (!st)
		return DW_EIO;
	store__bind_text(st, 1, f->url);
	store__bind_text(st, 2, f->title);
	store__bind_text(st, 3, f->etag);
	store__bind_text(st, 4, f->last_modified);
	sqlite3_bind_int64(st, 5, f->last_fetch);
	sqlite3_bind_int64(st, 6, f->last_status);
	store__bind_text(st, 7, f->last_error);
	sqlite3_bind_int(st, 8, f->failures);
	sqlite3_bind_int64(st, 9, f->next_fetch);
	sqlite3_bind_int64(st, 10, f->id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		if ((sqlite3_extended_errcode(s->db) & 0xff) ==
		    SQLITE_CONSTRAINT) {
			buf_setf(err, "feed '%s' is already in the database",
			    f->url);
			return DW_EEXISTS;
		}
		return store__fail(s, err, "cannot update feed");
	}
	if (sqlite3_changes(s->db) == 0) {
		buf_setf(err, "no feed %lld in the database", (long long)f->id);
		return DW_ENOTFOUND;
	}
	return DW_OK;
}
