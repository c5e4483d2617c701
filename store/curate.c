/*
 * curate.c: what a person decides about stored deals: rejecting one, and
 * merging two that the rules kept apart. Both outlive re-crawls and
 * re-extraction: a rejection is a property of the deal id, which later
 * mentions of the deal join; a merge pins the mentions to the deal.
 */
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* Follow merged_into to the deal that now stands for id. */
static int
resolve(struct store *s, int64_t id, int64_t *out, struct buf *err)
{
	static const char sql[] = "SELECT merged_into FROM deals WHERE id = ?";
	int hops = 0;

	*out = id;
	for (;;) {
		sqlite3_stmt *st = store__stmt(s, sql, err);
		int rc;

		if (!st)
			return DW_EIO;
		sqlite3_bind_int64(st, 1, *out);
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE) {
			sqlite3_reset(st);
			buf_setf(err, "no deal %lld in the database",
			    (long long)id);
			return DW_ENOTFOUND;
		}
		if (rc != SQLITE_ROW) {
			sqlite3_reset(st);
			return store__fail(s, err, "cannot read deal");
		}
		if (sqlite3_column_type(st, 0) == SQLITE_NULL || ++hops > 64) {
			sqlite3_reset(st);
			return DW_OK;
		}
		*out = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
}

int
store_deal_reject(struct store *s, int64_t id, struct buf *err)
{
	static const char sql[] = "UPDATE deals SET rejected = 1, updated = ?"
	                          " WHERE id = ?";
	static const char q_gh[] = "SELECT gh FROM deals WHERE id = ?";
	sqlite3_stmt *st;
	int64_t target;
	char now[21];
	int rc;

	rc = store__begin(s, err);
	if (rc != DW_OK)
		return rc;
	rc = resolve(s, id, &target, err);
	if (rc != DW_OK)
		goto out;
	st = store__stmt(s, sql, err);
	if (!st) {
		rc = DW_EIO;
		goto out;
	}
	store__now(now);
	store__bind_text(st, 1, now);
	sqlite3_bind_int64(st, 2, target);
	rc = store__step_done(s, st, err, "cannot reject deal");
	/* Its group is now one to look up (groups.c). */
	st = rc == DW_OK ? store__stmt(s, q_gh, err) : NULL;
	if (st) {
		sqlite3_bind_int64(st, 1, target);
		if (sqlite3_step(st) == SQLITE_ROW)
			store__group_add(s, sqlite3_column_int64(st, 0));
		sqlite3_reset(st);
	} else if (rc == DW_OK) {
		rc = DW_EIO;
	}
	if (rc == DW_OK)
		rc = store__commit(s, err);
out:
	store__rollback(s);
	return rc;
}

int
store_deal_merge(struct store *s, int64_t into, int64_t from, struct buf *err)
{
	static const char pin[] =
	    "UPDATE mentions SET pin = ?1, deal_id = ?1"
	    " WHERE deal_id IN (?1, ?2) OR pin IN (?1, ?2)";
	static const char mark[] = "UPDATE deals SET merged_into = ?1 WHERE id "
	                           "= ?2 OR merged_into = ?2";
	static const char keys[] =
	    "SELECT DISTINCT gkey FROM mentions WHERE deal_id = ?";
	struct merge_ctx ctx = { NULL, 0, 0, 0 };
	char **gk = NULL;
	size_t ngk = 0;
	sqlite3_stmt *st;
	int64_t a, b;
	int rc;

	rc = store__begin(s, err);
	if (rc != DW_OK)
		return rc;
	rc = resolve(s, into, &a, err);
	if (rc == DW_OK)
		rc = resolve(s, from, &b, err);
	if (rc != DW_OK)
		goto out;
	if (a == b) {
		buf_setf(err, "deals %lld and %lld are already one deal",
		    (long long)into, (long long)from);
		rc = DW_EUSAGE;
		goto out;
	}
	st = store__stmt(s, pin, err);
	if (!st) {
		rc = DW_EIO;
		goto out;
	}
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	rc = store__step_done(s, st, err, "cannot merge deals");
	st = rc == DW_OK ? store__stmt(s, mark, err) : NULL;
	if (rc == DW_OK && !st)
		rc = DW_EIO;
	if (rc == DW_OK) {
		sqlite3_bind_int64(st, 1, a);
		sqlite3_bind_int64(st, 2, b);
		rc = store__step_done(s, st, err, "cannot merge deals");
	}
	/* The deal merged away keeps no parties, history or names. */
	if (rc == DW_OK)
		rc = store__deal_drop_rows(s, b, err);
	if (rc != DW_OK)
		goto out;
	/* Recluster the groups involved so that the pins take effect. */
	st = store__stmt(s, keys, err);
	if (!st) {
		rc = DW_EIO;
		goto out;
	}
	sqlite3_bind_int64(st, 1, a);
	while (sqlite3_step(st) == SQLITE_ROW) {
		gk = xreallocarray(gk, ngk + 1, sizeof(*gk));
		gk[ngk++] = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	for (size_t i = 0; i < ngk && rc == DW_OK; i++)
		rc = store__recluster(s, gk[i], &ctx, err);
	if (rc == DW_OK) {
		ctx.touched = xreallocarray(ctx.touched, ctx.ntouched + 1,
		    sizeof(*ctx.touched));
		ctx.touched[ctx.ntouched++] = a;
		ctx.cap = ctx.ntouched;
		rc = store__merge_finish(s, &ctx, err);
	}
	if (rc == DW_OK)
		rc = store__commit(s, err);
out:
	store__rollback(s);
	for (size_t i = 0; i < ngk; i++)
		free(gk[i]);
	free(gk);
	free(ctx.touched);
	return rc;
}
