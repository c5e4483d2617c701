/*
 * read.c: read transactions for a connection that only looks things up
 * (a crawl's workers looking a feed's items up): one snapshot and one
 * taking of the database's locks for many look-ups, instead of one each.
 */
#include "store/internal.h"

static const char sql_read_begin[] = "BEGIN";
static const char sql_read_end[] = "COMMIT";
static const char sql_read_abort[] = "ROLLBACK";

static int
run(struct store *s, const char *sql)
{
	struct buf err = BUF_INIT;
	sqlite3_stmt *st = store__stmt(s, sql, &err);
	int rc = DW_EIO;

	buf_release(&err);
	if (st) {
		rc = sqlite3_step(st) == SQLITE_DONE ? DW_OK : DW_EIO;
		sqlite3_reset(st);
	}
	return rc;
}

int
store_read_begin(struct store *s)
{
	if (s->batch || s->in_tx || !sqlite3_get_autocommit(s->db))
		return DW_EUSAGE;
	return run(s, sql_read_begin);
}

void
store_read_end(struct store *s)
{
	/* A snapshot left open would keep every checkpoint short of it. */
	if (!s->batch && !s->in_tx && !sqlite3_get_autocommit(s->db) &&
	    run(s, sql_read_end) != DW_OK)
		run(s, sql_read_abort);
}
