/*
 * vfs.c: SQLite's own file system, with one change: writes to a WAL file
 * are gathered in memory and reach the file in large pieces.
 *
 * SQLite appends each page of a commit to the WAL as two pwrite calls (a
 * 24-byte frame header, then the page). A crawl's commit holds several
 * hundred pages scattered over the indexes, and on a virtual machine the
 * system calls, not the bytes, were a third of the time storing took.
 * Appends to the WAL are buffered instead and written out in one call:
 *
 * - with the last frame of a transaction (its header carries the
 *   database size, which only a commit frame does): the write of that
 *   frame returns only once everything is in the file, and an error
 *   (a full disk) fails the commit as it would have without the buffer;
 * - before SQLite publishes new frames to other connections (it updates
 *   the wal-index header only after a memory barrier, xShmBarrier, on the
 *   database file), so no reader, in this process or another, ever sees a
 *   frame that is not in the file (the barrier writes out the frames the
 *   calling thread buffered, never another connection's);
 * - before anything else looks at the file (read, size, truncate, sync,
 *   close), and when a write does not simply append.
 *
 * A process killed with frames still in the buffer loses only frames of a
 * transaction that was not committed yet: exactly as if it had been
 * killed a moment earlier.
 *
 * A checkpoint copies pages from the WAL into the database file one
 * pwrite a page, in page order: runs of adjacent pages (a 1,000-feed
 * crawl's 31,000 page writes are 2,100 runs) are gathered the same way
 * and written in one call, before anything else is done with the
 * database file (a read, its size, a truncation, a file control, a lock
 * or shared-memory call and above all the sync that comes before SQLite
 * records the checkpoint as done: until then the WAL still holds every
 * page, so a process killed with pages in the buffer lost nothing). A
 * write that fails to reach the file fails the next call that reports
 * errors (a write, read, sync, truncation or close), so a checkpoint
 * never counts pages the file does not hold.
 */
#define _GNU_SOURCE /* sync_file_range */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/internal.h"

#define WAL_BUF (1024 * 1024)
/* The unix VFS writes at most 128 KB - 1 in one call. */
#define WAL_CHUNK (124 * 1024)
#define WAL_FRAME_HEADER 24
#define NO_BUFFER (-1) /* buffer_locked: write through */

struct dw_file {
	sqlite3_file base;
	sqlite3_file *real;   /* the default VFS's file, right after this */
	const char *name;     /* as opened (SQLite keeps it alive) */
	int wal;              /* a WAL file: appends are buffered */
	int main_db;          /* a database file: adjacent writes are */
	int err;              /* a database file's failed write, to report */
	pthread_mutex_t mu;   /* a WAL's buffer: flushed from other threads */
	unsigned char *buf;   /* WAL_BUF bytes, or NULL before the first */
	size_t len;           /* bytes buffered */
	sqlite3_int64 off;    /* file offset of buf[0] */
	int commit_next;      /* the next write is a commit frame's page */
	pthread_t owner;      /* the thread whose writes are buffered */
	struct dw_file *next; /* open WAL files */
	int wb;               /* a descriptor of the file's own + 1, or 0 */
};

static sqlite3_vfs *orig;
static sqlite3_vfs dw_vfs;
static pthread_once_t dw_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t wals_mu = PTHREAD_MUTEX_INITIALIZER;
static struct dw_file *wals;

/* Write out what is buffered; the caller holds f->mu. */
static int
flush_locked(struct dw_file *f)
{
	int rc = SQLITE_OK;

	for (size_t done = 0; done < f->len && rc == SQLITE_OK;) {
		size_t n = MIN(f->len - done, (size_t)WAL_CHUNK);

		rc = f->real->pMethods->xWrite(f->real, f->buf + done, (int)n,
		    f->off + (sqlite3_int64)done);
		done += n;
	}
#ifdef SYNC_FILE_RANGE_WRITE
	/* The kernel starts writing these bytes to the disk now, while the
	 * crawl goes on, instead of when the checkpoint's (or the last
	 * close's) sync asks for all of them: that sync then mostly finds
	 * them written. Nothing is promised by it; the syncs SQLite does
	 * are what make a commit durable, as before. */
	if (f->wb && rc == SQLITE_OK && f->len)
		(void)sync_file_range(f->wb - 1, (off_t)f->off, (off_t)f->len,
		    SYNC_FILE_RANGE_WRITE);
#endif
	f->off += (sqlite3_int64)f->len;
	f->len = 0;
	return rc;
}

/* Write out what is buffered. A database file's error is kept for
 * the next call that reports one (flush); flush_keep leaves it there. */
static int
flush_keep(struct dw_file *f)
{
	int rc;

	if (!f->wal && !f->main_db)
		return SQLITE_OK;
	pthread_mutex_lock(&f->mu);
	rc = flush_locked(f);
	if (f->main_db && rc != SQLITE_OK && f->err == SQLITE_OK)
		f->err = rc;
	pthread_mutex_unlock(&f->mu);
	return f->main_db ? SQLITE_OK : rc;
}

static int
flush(struct dw_file *f)
{
	int rc = flush_keep(f);

	if (f->main_db) {
		pthread_mutex_lock(&f->mu);
		rc = f->err;
		f->err = SQLITE_OK;
		pthread_mutex_unlock(&f->mu);
	}
	return rc;
}

static int
dw_close(sqlite3_file *file)
{
	struct dw_file *f = (struct dw_file *)file;
	int rc = flush(f), rc2;

	if (f->wal) {
		struct dw_file **p;

		pthread_mutex_lock(&wals_mu);
		for (p = &wals; *p && *p != f; p = &(*p)->next)
			;
		if (*p)
			*p = f->next;
		pthread_mutex_unlock(&wals_mu);
		pthread_mutex_destroy(&f->mu);
		free(f->buf);
	} else if (f->main_db) {
		pthread_mutex_destroy(&f->mu);
		free(f->buf);
	}
	if (f->wb)
		close(f->wb - 1);
	rc2 = f->real->pMethods->xClose(f->real);
	return rc != SQLITE_OK ? rc : rc2;
}

static int
dw_read(sqlite3_file *file, void *p, int n, sqlite3_int64 off)
{
	struct dw_file *f = (struct dw_file *)file;
	int rc = flush(f);

	if (rc != SQLITE_OK)
		return rc;
	return f->real->pMethods->xRead(f->real, p, n, off);
}

/*
 * Put n bytes at off into f's buffer (the caller holds f->mu): over what
 * it holds when they fall within it, after it when they follow it and
 * fit, else in its place once it is written out. NO_BUFFER when there
 * is no buffer to be had: the caller writes them through.
 */
static int
buffer_locked(struct dw_file *f, const void *p, int n, sqlite3_int64 off)
{
	int rc;

	if (f->len && off >= f->off &&
	    off + n <= f->off + (sqlite3_int64)f->len) {
		/* Rewriting what is still in the buffer. */
		memcpy(f->buf + (off - f->off), p, (size_t)n);
		return SQLITE_OK;
	}
	if (!f->buf && !(f->buf = malloc(WAL_BUF)))
		return NO_BUFFER;
	if (!f->len || off != f->off + (sqlite3_int64)f->len ||
	    f->len + (size_t)n > WAL_BUF) {
		rc = flush_locked(f);
		if (rc != SQLITE_OK)
			return rc;
		f->off = off;
	}
	memcpy(f->buf + f->len, p, (size_t)n);
	f->len += (size_t)n;
	return SQLITE_OK;
}

/* A write to a database file: gathered with the writes next to it. */
static int
db_write(struct dw_file *f, const void *p, int n, sqlite3_int64 off)
{
	int rc;

	pthread_mutex_lock(&f->mu);
	rc = f->err;
	f->err = SQLITE_OK;
	if (rc == SQLITE_OK)
		rc = buffer_locked(f, p, n, off);
	if (rc == NO_BUFFER)
		rc = f->real->pMethods->xWrite(f->real, p, n, off);
	pthread_mutex_unlock(&f->mu);
	return rc;
}

static int
dw_write(sqlite3_file *file, const void *p, int n, sqlite3_int64 off)
{
	struct dw_file *f = (struct dw_file *)file;
	int rc = SQLITE_OK, commit = 0;

	if (f->main_db && n > 0 && n <= WAL_BUF)
		return db_write(f, p, n, off);
	if (!f->wal || n <= 0 || n > WAL_BUF)
		goto through;
	pthread_mutex_lock(&f->mu);
	if (f->commit_next) {
		f->commit_next = 0;
		commit = 1;
	} else if (n == WAL_FRAME_HEADER) {
		const unsigned char *h = p;

		/* Bytes 4-7 of a frame header: the database size in pages
		 * after a commit, 0 in every other frame. */
		f->commit_next = (h[4] | h[5] | h[6] | h[7]) != 0;
	}
	rc = buffer_locked(f, p, n, off);
	if (rc == NO_BUFFER) {
		pthread_mutex_unlock(&f->mu);
		goto through;
	}
	if (rc == SQLITE_OK)
		f->owner = pthread_self();
	if (rc == SQLITE_OK && commit)
		rc = flush_locked(f);
	pthread_mutex_unlock(&f->mu);
	return rc;
through:
	rc = flush(f);
	if (rc != SQLITE_OK)
		return rc;
	return f->real->pMethods->xWrite(f->real, p, n, off);
}

static int
dw_truncate(sqlite3_file *file, sqlite3_int64 size)
{
	struct dw_file *f = (struct dw_file *)file;
	int rc = flush(f);

	return rc != SQLITE_OK ? rc
	                       : f->real->pMethods->xTruncate(f->real, size);
}

static int
dw_sync(sqlite3_file *file, int flags)
{
	struct dw_file *f = (struct dw_file *)file;
	int rc = flush(f);

	return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int
dw_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
	struct dw_file *f = (struct dw_file *)file;
	int rc = flush(f);

	return rc != SQLITE_OK ? rc
	                       : f->real->pMethods->xFileSize(f->real, size);
}

static int
dw_lock(sqlite3_file *file, int lock)
{
	struct dw_file *f = (struct dw_file *)file;

	flush_keep(f);
	return f->real->pMethods->xLock(f->real, lock);
}

static int
dw_unlock(sqlite3_file *file, int lock)
{
	struct dw_file *f = (struct dw_file *)file;

	flush_keep(f);
	return f->real->pMethods->xUnlock(f->real, lock);
}

static int
dw_check_reserved(sqlite3_file *file, int *out)
{
	struct dw_file *f = (struct dw_file *)file;

	return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int
dw_file_control(sqlite3_file *file, int op, void *arg)
{
	struct dw_file *f = (struct dw_file *)file;
	/* A database file's error waits for a call whose result SQLite
	 * looks at (it ignores some file controls'). */
	int rc = f->main_db ? flush_keep(f) : flush(f);

	return rc != SQLITE_OK
	    ? rc
	    : f->real->pMethods->xFileControl(f->real, op, arg);
}

static int
dw_sector_size(sqlite3_file *file)
{
	struct dw_file *f = (struct dw_file *)file;

	return f->real->pMethods->xSectorSize(f->real);
}

static int
dw_device_characteristics(sqlite3_file *file)
{
	struct dw_file *f = (struct dw_file *)file;

	return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int
dw_shm_map(sqlite3_file *file, int pg, int pgsz, int extend, void volatile **pp)
{
	struct dw_file *f = (struct dw_file *)file;

	return f->real->pMethods->xShmMap(f->real, pg, pgsz, extend, pp);
}

static int
dw_shm_lock(sqlite3_file *file, int offset, int n, int flags)
{
	struct dw_file *f = (struct dw_file *)file;

	flush_keep(f);
	return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

/* The WAL file of database name: name followed by "-wal". */
static int
wal_of(const struct dw_file *w, const char *name)
{
	size_t n = name ? strlen(name) : 0;

	return name && w->name && strncmp(w->name, name, n) == 0 &&
	    strcmp(w->name + n, "-wal") == 0;
}

/*
 * Write out what this thread buffered in WAL file w. Frames another
 * thread's connection buffered are not this thread's to publish: they
 * belong to a transaction still being written, and writing them out here
 * could only fail them behind their owner's back (a full disk).
 */
static int
flush_own(struct dw_file *w)
{
	int rc = SQLITE_OK;

	pthread_mutex_lock(&w->mu);
	if (w->len && pthread_equal(w->owner, pthread_self()))
		rc = flush_locked(w);
	pthread_mutex_unlock(&w->mu);
	return rc;
}

static void
dw_shm_barrier(sqlite3_file *file)
{
	struct dw_file *f = (struct dw_file *)file;

	/*
	 * SQLite may be about to publish new frames of this thread's
	 * connection: they must be in the file. Commit frames were written
	 * already, so there is nothing left to write here unless SQLite
	 * changes how it commits. Should that write fail, publishing frames
	 * that are not in the file would corrupt the database for every
	 * reader: stopping the process instead leaves it as a crash would,
	 * intact without the last transaction. Readers pass here too, on
	 * every read transaction: they leave other connections' buffers
	 * alone.
	 */
	flush_keep(f);
	pthread_mutex_lock(&wals_mu);
	for (struct dw_file *w = wals; w; w = w->next)
		if ((!f->name || wal_of(w, f->name)) && w->wal &&
		    flush_own(w) != SQLITE_OK)
			abort();
	pthread_mutex_unlock(&wals_mu);
	f->real->pMethods->xShmBarrier(f->real);
}

static int
dw_shm_unmap(sqlite3_file *file, int delete_flag)
{
	struct dw_file *f = (struct dw_file *)file;

	return f->real->pMethods->xShmUnmap(f->real, delete_flag);
}

static int
dw_fetch(sqlite3_file *file, sqlite3_int64 off, int n, void **pp)
{
	struct dw_file *f = (struct dw_file *)file;
	int rc = flush(f);

	return rc != SQLITE_OK ? rc
	                       : f->real->pMethods->xFetch(f->real, off, n, pp);
}

static int
dw_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
	struct dw_file *f = (struct dw_file *)file;

	return f->real->pMethods->xUnfetch(f->real, off, p);
}

static const sqlite3_io_methods dw_methods = {
	3,
	dw_close,
	dw_read,
	dw_write,
	dw_truncate,
	dw_sync,
	dw_file_size,
	dw_lock,
	dw_unlock,
	dw_check_reserved,
	dw_file_control,
	dw_sector_size,
	dw_device_characteristics,
	dw_shm_map,
	dw_shm_lock,
	dw_shm_barrier,
	dw_shm_unmap,
	dw_fetch,
	dw_unfetch,
};

static int
dw_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags,
    int *out_flags)
{
	struct dw_file *f = (struct dw_file *)file;
	int rc;

	(void)vfs;
	memset(f, 0, sizeof(*f));
	f->real = (sqlite3_file *)(f + 1);
	rc = orig->xOpen(orig, name, f->real, flags, out_flags);
	if (rc != SQLITE_OK || !f->real->pMethods ||
	    f->real->pMethods->iVersion < 3) {
		/* Not a file we know how to wrap (never with the unix
		 * VFS): closed if it was opened at all. */
		if (f->real->pMethods)
			f->real->pMethods->xClose(f->real);
		if (rc == SQLITE_OK)
			rc = SQLITE_CANTOPEN;
		file->pMethods = NULL;
		return rc;
	}
	f->name = name;
	f->wal = (flags & SQLITE_OPEN_WAL) != 0;
	f->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
	if (f->main_db)
		pthread_mutex_init(&f->mu, NULL);
#ifdef SYNC_FILE_RANGE_WRITE
	if ((f->wal || f->main_db) && (flags & SQLITE_OPEN_READWRITE) && name) {
		int fd = open(name, O_RDONLY | O_CLOEXEC);

		f->wb = fd >= 0 ? fd + 1 : 0;
	}
#endif
	if (f->wal) {
		pthread_mutex_init(&f->mu, NULL);
		pthread_mutex_lock(&wals_mu);
		f->next = wals;
		wals = f;
		pthread_mutex_unlock(&wals_mu);
	}
	file->pMethods = &dw_methods;
	return SQLITE_OK;
}

static int
dw_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return orig->xDelete(orig, name, sync_dir);
}

static int
dw_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return orig->xAccess(orig, name, flags, out);
}

static int
dw_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return orig->xFullPathname(orig, name, n, out);
}

static void *
dw_dlopen(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return orig->xDlOpen(orig, name);
}

static void
dw_dlerror(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	orig->xDlError(orig, n, msg);
}

static void (*dw_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return orig->xDlSym(orig, h, sym);
}

static void
dw_dlclose(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	orig->xDlClose(orig, h);
}

static int
dw_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return orig->xRandomness(orig, n, out);
}

static int
dw_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return orig->xSleep(orig, us);
}

static int
dw_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return orig->xCurrentTime(orig, out);
}

static int
dw_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return orig->xGetLastError(orig, n, out);
}

static int
dw_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return orig->xCurrentTimeInt64(orig, out);
}

static void
dw_register(void)
{
	/*
	 * Savepoints (one an article of a batch) and statements journal the
	 * pages they change in memory, in one piece of this size, before
	 * spilling to a temporary file. SQLite's default of 64 KB spilled
	 * some articles to a file, and journals kept in memory by
	 * temp_store=MEMORY grow in 1 KB pieces, which cost more than the
	 * journalling itself (12 % of an article's instructions). Possible
	 * only before SQLite is first used in the process; otherwise its
	 * default stays, which is slower, not wrong.
	 */
	sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 512 << 10);
	/* No allocation statistics: each of SQLite's allocations took a
	 * global mutex for them (4 % of what storing an article costs). */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	store__mem_register();
	orig = sqlite3_vfs_find(NULL);
	if (!orig || orig->iVersion < 2 || !orig->xCurrentTimeInt64)
		return;
	dw_vfs.iVersion = 2;
	dw_vfs.szOsFile =
	    (int)((sizeof(struct dw_file) + 7) & ~(size_t)7) + orig->szOsFile;
	dw_vfs.mxPathname = orig->mxPathname;
	dw_vfs.zName = "dealwire";
	dw_vfs.xOpen = dw_open;
	dw_vfs.xDelete = dw_delete;
	dw_vfs.xAccess = dw_access;
	dw_vfs.xFullPathname = dw_full_pathname;
	dw_vfs.xDlOpen = dw_dlopen;
	dw_vfs.xDlError = dw_dlerror;
	dw_vfs.xDlSym = dw_dlsym;
	dw_vfs.xDlClose = dw_dlclose;
	dw_vfs.xRandomness = dw_randomness;
	dw_vfs.xSleep = dw_sleep;
	dw_vfs.xCurrentTime = dw_current_time;
	dw_vfs.xGetLastError = dw_last_error;
	dw_vfs.xCurrentTimeInt64 = dw_current_time64;
	if (sqlite3_vfs_register(&dw_vfs, 0) != SQLITE_OK)
		dw_vfs.zName = NULL;
}

const char *
store__vfs(void)
{
	pthread_once(&dw_once, dw_register);
	return dw_vfs.zName;
}
